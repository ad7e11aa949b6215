import { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../config/config-error.js';
import type { Org } from '../config/schemas.js';
import type { IamGrantSettings } from './iam/plan.js';
import { DEFAULT_POLL, type IdentityCenterSettings } from './identity-center/plan.js';

/**
 * Settings for WARDEN_GRANT_MODE=aws, read from the environment. Credentials are not here: the
 * SDK's default chain finds them (role, profile, SSO, environment), and endpoints come from the
 * SDK's own AWS_ENDPOINT_URL[_<SERVICE>] variables. Only the names that must match the resources
 * set up in each account (docs/aws-grant-role.md) are Warden's to configure.
 */
export interface AwsConfig {
  /** Region of the STS client (and IAM's signing region); IAM itself is global. */
  region: string;
  iam: IamGrantSettings;
  /** Set when both WARDEN_SSO_INSTANCE_ARN and WARDEN_SSO_IDENTITY_STORE_ID are; null: no Identity Center grants. */
  identityCenter: {
    region: string;
    settings: IdentityCenterSettings;
    /** The AWS access portal URL, for the sign-in instructions requesters get; null: not named. */
    startUrl: string | null;
    /** How often the identity store (users, groups) and the chat users' verified e-mails are read again. */
    directoryRefreshSeconds: number;
  } | null;
  reconcileIntervalSeconds: number;
  alerts: {
    /** Slack channel id for admin alerts (revocation keeps failing, reconciliation findings); null: audit log only. */
    channel: string | null;
    /** Alert after this many failed revocations in a row. */
    revokeAlertAfter: number;
  };
}

const blank = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : typeof value === 'string' ? value.trim() : value);
const opt = <T extends z.ZodType>(schema: T) => z.preprocess(blank, schema);

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

function intVar(min: number, max: number, fallback: number, what: string) {
  const message = `${what}: a whole number from ${min} to ${max}`;
  return opt(z.coerce.number({ error: message }).int(message).min(min, message).max(max, message).default(fallback));
}

const AwsEnvSchema = z.object({
  WARDEN_AWS_REGION: opt(z.string().regex(REGION, 'a region like "eu-west-1"').optional()),
  AWS_REGION: opt(z.string().optional()),
  AWS_DEFAULT_REGION: opt(z.string().optional()),
  WARDEN_AWS_GRANT_ROLE: opt(
    z
      .string()
      .regex(/^[\w+=,.@-]{1,64}$/, 'an IAM role name (letters, digits and +=,.@_-, at most 64), the role Warden assumes in each account')
      .default('warden-grant'),
  ),
  // AWS documents the external id as not secret; it is still never echoed, as some treat it as one.
  WARDEN_AWS_EXTERNAL_ID: opt(z.string().regex(/^[\w+=,.@:/-]{2,1224}$/, '2 to 1224 characters: letters, digits and +=,.@:/-').optional()),
  WARDEN_AWS_PERMISSIONS_BOUNDARY: opt(
    z
      .string()
      .regex(/^[\w+=,.@-]{1,128}$/, 'the name of the customer-managed boundary policy (at path /) in each account')
      .default('warden-grant-boundary'),
  ),
  WARDEN_SSO_INSTANCE_ARN: opt(z.string().regex(/^arn:aws[a-z-]*:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/, 'an IAM Identity Center instance ARN like "arn:aws:sso:::instance/ssoins-1234567890abcdef" (Identity Center → Settings)').optional()),
  WARDEN_SSO_IDENTITY_STORE_ID: opt(z.string().regex(/^d-[0-9a-f]{10}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'an identity store id like "d-1234567890" (Identity Center → Settings)').optional()),
  WARDEN_SSO_REGION: opt(z.string().regex(REGION, 'the Identity Center home region, like "eu-west-1"').optional()),
  WARDEN_SSO_START_URL: opt(z.url({ protocol: /^https$/, error: 'the AWS access portal URL, like "https://d-1234567890.awsapps.com/start" (Identity Center → Settings)' }).optional()),
  WARDEN_SSO_DIRECTORY_REFRESH_SECONDS: intVar(60, 86_400, 900, 'seconds between reads of the Identity Center users and the chat users\' e-mail addresses'),
  WARDEN_SSO_PROVISIONING_TIMEOUT_SECONDS: intVar(30, 3600, 300, 'seconds to wait for an Identity Center assignment before failing the grant'),
  WARDEN_AWS_RECONCILE_INTERVAL_SECONDS: intVar(60, 86_400, 900, 'seconds between reconciliations with AWS'),
  WARDEN_ALERT_CHANNEL: opt(z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'a Slack channel id like "C024BE91L" (channel details → About → Channel ID)').optional()),
  WARDEN_REVOKE_ALERT_AFTER: intVar(1, 100, 3, 'failed revocations in a row before the admins are alerted'),
});

/** China and GovCloud regions sign and name ARNs in their own partitions. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

const NOT_ECHOED = new Set(['WARDEN_AWS_EXTERNAL_ID']);

/**
 * Reads the AWS settings. Throws a ConfigError (file `environment`) naming each bad variable and
 * the fix. Region: WARDEN_AWS_REGION, else the SDK's AWS_REGION / AWS_DEFAULT_REGION, else us-east-1.
 */
export function parseAwsEnv(env: NodeJS.ProcessEnv): AwsConfig {
  const parsed = AwsEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError('environment', parsed.error.issues.map((issue) => envIssue(issue, env)));
  }
  const e = parsed.data;
  const region = e.WARDEN_AWS_REGION ?? e.AWS_REGION ?? e.AWS_DEFAULT_REGION ?? 'us-east-1';
  if (!REGION.test(region)) {
    const from = e.AWS_REGION !== undefined ? 'AWS_REGION' : 'AWS_DEFAULT_REGION';
    throw new ConfigError('environment', [{ path: from, message: `a region like "eu-west-1" (got ${JSON.stringify(region.slice(0, 40))}); or set WARDEN_AWS_REGION` }]);
  }
  const instanceArn = e.WARDEN_SSO_INSTANCE_ARN;
  const identityStoreId = e.WARDEN_SSO_IDENTITY_STORE_ID;
  if ((instanceArn === undefined) !== (identityStoreId === undefined)) {
    const missing = instanceArn === undefined ? 'WARDEN_SSO_INSTANCE_ARN' : 'WARDEN_SSO_IDENTITY_STORE_ID';
    throw new ConfigError('environment', [{ path: missing, message: 'missing: Identity Center grants need both WARDEN_SSO_INSTANCE_ARN and WARDEN_SSO_IDENTITY_STORE_ID; set both, or neither to grant through IAM only' }]);
  }
  const identityCenter =
    instanceArn !== undefined && identityStoreId !== undefined
      ? {
          region: e.WARDEN_SSO_REGION ?? region,
          settings: {
            instanceArn,
            identityStoreId,
            permissionsBoundaryName: e.WARDEN_AWS_PERMISSIONS_BOUNDARY,
            poll: { ...DEFAULT_POLL, timeoutMs: e.WARDEN_SSO_PROVISIONING_TIMEOUT_SECONDS * 1000 },
          },
          startUrl: e.WARDEN_SSO_START_URL ?? null,
          directoryRefreshSeconds: e.WARDEN_SSO_DIRECTORY_REFRESH_SECONDS,
        }
      : null;
  return {
    region,
    identityCenter,
    iam: {
      partition: partitionOf(region),
      grantRoleName: e.WARDEN_AWS_GRANT_ROLE,
      ...(e.WARDEN_AWS_EXTERNAL_ID !== undefined ? { externalId: e.WARDEN_AWS_EXTERNAL_ID } : {}),
      permissionsBoundaryName: e.WARDEN_AWS_PERMISSIONS_BOUNDARY,
    },
    reconcileIntervalSeconds: e.WARDEN_AWS_RECONCILE_INTERVAL_SECONDS,
    alerts: { channel: e.WARDEN_ALERT_CHANNEL ?? null, revokeAlertAfter: e.WARDEN_REVOKE_ALERT_AFTER },
  };
}

function envIssue(issue: z.core.$ZodIssue, env: NodeJS.ProcessEnv): ConfigIssue {
  const name = String(issue.path[0] ?? '');
  const raw = blank(env[name]);
  const got = typeof raw === 'string' && !NOT_ECHOED.has(name) ? ` (got ${JSON.stringify(raw.slice(0, 60))})` : '';
  return { path: name, message: `${issue.message}${got}` };
}

/** Where the SCPs simulated on approval cards come from (WARDEN_SCP_SOURCE). */
export type ScpSourceConfig =
  | { source: 'files' }
  | {
      source: 'organizations';
      /** Organizations is global; its endpoint lives in one region per partition. */
      region: string;
      /** Region of STS, for the role below. */
      stsRegion: string;
      /** A role in the management account or a delegated administrator; unset: Warden's own identity. */
      roleArn: string | undefined;
      cacheTtlSeconds: number;
    };

export const SCP_SOURCES = ['files', 'organizations'] as const;
/** Fifteen minutes: an SCP change shows on cards soon enough, and a busy hour costs a few calls per account. */
export const DEFAULT_SCP_CACHE_TTL_SECONDS = 900;

const ScpSourceEnvSchema = z.object({
  WARDEN_SCP_SOURCE: opt(
    z
      .string()
      .transform((v) => v.toLowerCase())
      .pipe(z.enum(SCP_SOURCES, { error: 'one of "files", "organizations"' }))
      .optional(),
  ),
  WARDEN_ORG_ROLE_ARN: opt(
    z
      .string()
      .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, 'an IAM role ARN like "arn:aws:iam::999999999999:role/warden-scp-reader", in the management account or a delegated administrator')
      .optional(),
  ),
  WARDEN_SCP_CACHE_TTL_SECONDS: intVar(0, 86_400, DEFAULT_SCP_CACHE_TTL_SECONDS, 'seconds SCPs read from AWS Organizations are reused'),
  WARDEN_AWS_REGION: opt(z.string().optional()),
  AWS_REGION: opt(z.string().optional()),
  AWS_DEFAULT_REGION: opt(z.string().optional()),
});

/** Organizations' endpoint region in each partition. */
function organizationsRegion(partition: string): string {
  if (partition === 'aws-cn') return 'cn-northwest-1';
  if (partition === 'aws-us-gov') return 'us-gov-west-1';
  return 'us-east-1';
}

/**
 * WARDEN_SCP_SOURCE: `organizations` (the default with WARDEN_GRANT_MODE=aws) reads each target
 * account's SCPs live; `files` (the default otherwise) reads WARDEN_SCP_DIR. Throws a ConfigError.
 */
export function parseScpSourceEnv(env: NodeJS.ProcessEnv, grantMode: 'dry-run' | 'aws'): ScpSourceConfig {
  const parsed = ScpSourceEnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError('environment', parsed.error.issues.map((issue) => envIssue(issue, env)));
  const e = parsed.data;
  const source = e.WARDEN_SCP_SOURCE ?? (grantMode === 'aws' ? 'organizations' : 'files');
  if (source === 'files') return { source };
  const region = e.WARDEN_AWS_REGION ?? e.AWS_REGION ?? e.AWS_DEFAULT_REGION ?? 'us-east-1';
  const stsRegion = REGION.test(region) ? region : 'us-east-1';
  return { source, region: organizationsRegion(partitionOf(stsRegion)), stsRegion, roleArn: e.WARDEN_ORG_ROLE_ARN, cacheTtlSeconds: e.WARDEN_SCP_CACHE_TTL_SECONDS };
}

/**
 * Accounts the org file grants through Identity Center need the instance configured: checked at
 * start, so a missing WARDEN_SSO_* variable stops Warden instead of failing the first grant.
 */
export function checkIdentityCenterAccounts(org: Org, aws: AwsConfig, orgFile: string): void {
  if (aws.identityCenter) return;
  const issues: ConfigIssue[] = org.accounts.flatMap((account, i) =>
    account.grant?.via === 'identity-center'
      ? [{ path: `accounts[${i}].grant.via`, message: `account ${account.name} is granted through IAM Identity Center, but WARDEN_SSO_INSTANCE_ARN and WARDEN_SSO_IDENTITY_STORE_ID are not set; set them (Identity Center → Settings), or remove "grant" to use IAM roles` }]
      : [],
  );
  if (issues.length > 0) throw new ConfigError(orgFile, issues);
}
