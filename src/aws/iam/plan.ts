import type {
  CreateRoleCommandInput,
  DeleteRoleCommandInput,
  DeleteRolePolicyCommandInput,
  PutRolePolicyCommandInput,
  Tag,
} from '@aws-sdk/client-iam';
import type { AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import type { PermissionDraft, GrantCondition } from '../../access/types.js';
import { buildPolicyDocument, buildTrustPolicy, type IamPolicyDocument } from '../../policy/document.js';

/**
 * The AWS calls of an IAM grant and of its revocation, as data. The dry-run granter records these
 * and the IAM granter makes them, so the two cannot drift apart: a change here changes both.
 * Type-only SDK imports keep the dry-run path free of the SDK at run time.
 */

/** Per-deployment settings of the IAM granter (see `src/aws/config.ts` and docs/aws-grant-role.md). */
export interface IamGrantSettings {
  /** `aws`, `aws-cn` or `aws-us-gov`: the ARNs Warden builds must be in the target account's partition. */
  partition: string;
  /** The role Warden assumes in each target account. */
  grantRoleName: string;
  /** Sent with AssumeRole when the grant role's trust policy requires one. */
  externalId?: string | undefined;
  /** Customer-managed policy (at path `/`) set as every per-request role's permissions boundary. */
  permissionsBoundaryName: string;
}

export const DEFAULT_IAM_GRANT_SETTINGS: IamGrantSettings = {
  partition: 'aws',
  grantRoleName: 'warden-grant',
  permissionsBoundaryName: 'warden-grant-boundary',
};

/**
 * Per-request roles live under their own path: reconciliation lists just that path, and the grant
 * role's policy is scoped to `role/warden/warden-*`, so it can touch nothing else.
 */
export const ROLE_PATH = '/warden/';
export const ROLE_PREFIX = 'warden-';
export const GRANT_POLICY_NAME = 'warden-grant';
export const REVOKE_SESSIONS_POLICY_NAME = 'warden-revoke-sessions';
/** Short-lived on purpose: one grant or revocation needs a few seconds of these credentials. */
export const ASSUME_ROLE_SECONDS = 900;

export const TAG_KEYS = {
  requestId: 'warden:request-id',
  requester: 'warden:requester',
  approvers: 'warden:approvers',
  expiresAt: 'warden:expires-at',
} as const;

// IAM bounds MaxSessionDuration to 1–12 hours whatever the grant's length.
export const MIN_SESSION_SECONDS = 3600;
export const MAX_SESSION_SECONDS = 43200;

const REQUEST_ID = /^[A-Za-z0-9-]{1,57}$/;
const ACCOUNT_ID = /^\d{12}$/;

export function perRequestRoleName(requestId: string): string {
  return `${ROLE_PREFIX}${requestId}`;
}

/** The request id a per-request role name encodes, or null for any other role. */
export function requestIdOfRoleName(roleName: string): string | null {
  if (!roleName.startsWith(ROLE_PREFIX)) return null;
  const id = roleName.slice(ROLE_PREFIX.length);
  return REQUEST_ID.test(id) ? id : null;
}

export function grantRoleArn(settings: IamGrantSettings, accountId: string): string {
  return `arn:${settings.partition}:iam::${accountId}:role/${settings.grantRoleName}`;
}

export function roleArn(settings: IamGrantSettings, accountId: string, roleName: string): string {
  return `arn:${settings.partition}:iam::${accountId}:role${ROLE_PATH}${roleName}`;
}

export function permissionsBoundaryArn(settings: IamGrantSettings, accountId: string): string {
  return `arn:${settings.partition}:iam::${accountId}:policy/${settings.permissionsBoundaryName}`;
}

/**
 * One IAM call and what makes it safe to run again (each step is keyed by the request id through
 * the role name, so a crash between steps is repaired by running the whole plan again):
 * - `adopt`: CreateRole; if the role exists and carries this request's tag, bring it up to date.
 * - `upsert`: PutRolePolicy replaces the policy of that name; a missing role is an error.
 * - `gone-is-done`: the role or policy already being gone (NoSuchEntity) means the step is done.
 */
export type IamStep =
  | { operation: 'CreateRole'; idempotence: 'adopt'; input: CreateRoleCommandInput }
  | { operation: 'PutRolePolicy'; idempotence: 'upsert' | 'gone-is-done'; input: PutRolePolicyCommandInput }
  | { operation: 'DeleteRolePolicy'; idempotence: 'gone-is-done'; input: DeleteRolePolicyCommandInput }
  | { operation: 'DeleteRole'; idempotence: 'gone-is-done'; input: DeleteRoleCommandInput };

export interface CallPlan {
  accountId: string;
  requestId: string;
  assumeRole: AssumeRoleCommandInput;
  steps: IamStep[];
}

export interface GrantPlan extends CallPlan {
  /** What `revoke` needs later; stored with the grant. */
  handle: { accountId: string; roleName: string; roleArn: string };
}

export interface GrantPlanInput {
  requestId: string;
  requester: { id: string; awsPrincipal: string };
  approverIds: readonly string[];
  draft: PermissionDraft;
  /** Guardrail conditions from the request's policy review. */
  conditions?: readonly GrantCondition[];
  accountId: string;
  grantedAt: Date;
  expiresAt: Date;
}

/** The grant role's session is named after the request (or `reconcile`), so CloudTrail shows what each call was for. */
export function assumeGrantRoleInput(settings: IamGrantSettings, accountId: string, purpose: string): AssumeRoleCommandInput {
  return {
    RoleArn: grantRoleArn(settings, accountId),
    RoleSessionName: `warden-${purpose}`.slice(0, 64),
    DurationSeconds: ASSUME_ROLE_SECONDS,
    ...(settings.externalId ? { ExternalId: settings.externalId } : {}),
  };
}

function checkIds(requestId: string, accountId: string): void {
  if (!REQUEST_ID.test(requestId)) throw new Error(`Request id ${JSON.stringify(requestId)} cannot name an IAM role.`);
  if (!ACCOUNT_ID.test(accountId)) throw new Error(`Account id ${JSON.stringify(accountId)} is not 12 digits.`);
}

/** The role's session length: as short as the grant, within what IAM accepts. */
export function maxSessionSeconds(grantedAt: Date, expiresAt: Date): number {
  const seconds = Math.round((expiresAt.getTime() - grantedAt.getTime()) / 1000);
  return Math.min(MAX_SESSION_SECONDS, Math.max(MIN_SESSION_SECONDS, seconds));
}

/** IAM tag values allow letters, digits, spaces and `_.:/=+-@` only, up to 256 characters. */
function tagValue(value: string): string {
  return value.replace(/[^\p{L}\p{N}\s_.:/=+\-@]/gu, '_').slice(0, 256);
}

export function grantTags(input: Pick<GrantPlanInput, 'requestId' | 'requester' | 'approverIds' | 'expiresAt'>): Tag[] {
  return [
    { Key: TAG_KEYS.requestId, Value: input.requestId },
    { Key: TAG_KEYS.requester, Value: tagValue(input.requester.id) },
    { Key: TAG_KEYS.approvers, Value: tagValue(input.approverIds.join(' ')) },
    { Key: TAG_KEYS.expiresAt, Value: input.expiresAt.toISOString() },
  ];
}

export function grantPlan(input: GrantPlanInput, settings: IamGrantSettings): GrantPlan {
  const { requestId, accountId, expiresAt } = input;
  checkIds(requestId, accountId);
  const roleName = perRequestRoleName(requestId);
  return {
    accountId,
    requestId,
    assumeRole: assumeGrantRoleInput(settings, accountId, requestId),
    steps: [
      {
        operation: 'CreateRole',
        idempotence: 'adopt',
        input: {
          RoleName: roleName,
          Path: ROLE_PATH,
          AssumeRolePolicyDocument: JSON.stringify(buildTrustPolicy(input.requester.awsPrincipal, expiresAt)),
          MaxSessionDuration: maxSessionSeconds(input.grantedAt, expiresAt),
          // The grant role may only create roles with this boundary, so no grant can exceed it.
          PermissionsBoundary: permissionsBoundaryArn(settings, accountId),
          Description: `Warden temporary access for ${input.requester.id}, request ${requestId}`.slice(0, 1000),
          Tags: grantTags(input),
        },
      },
      {
        operation: 'PutRolePolicy',
        idempotence: 'upsert',
        input: { RoleName: roleName, PolicyName: GRANT_POLICY_NAME, PolicyDocument: JSON.stringify(buildPolicyDocument(input.draft, expiresAt, input.conditions)) },
      },
    ],
    handle: { accountId, roleName, roleArn: roleArn(settings, accountId, roleName) },
  };
}

/** IAM's date format, rounded up to the next whole second so a session issued in this second is cut too. */
function iamTimeCeil(at: Date): string {
  const ceil = new Date(Math.ceil(at.getTime() / 1000) * 1000);
  return ceil.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Denies everything to sessions issued before `now`: what the IAM console's "Revoke active sessions"
 * does. Credentials already handed out stay valid until they expire, so without this a session
 * started before revocation would keep working until its own expiry or the policy's expiry condition.
 */
export function revokeSessionsPolicy(now: Date): IamPolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'WardenRevokeOlderSessions',
        Effect: 'Deny',
        Action: ['*'],
        Resource: ['*'],
        Condition: { DateLessThan: { 'aws:TokenIssueTime': iamTimeCeil(now) } },
      },
    ],
  };
}

export interface RevokeTarget {
  requestId: string;
  accountId: string;
  /** From the stored grant handle; only ever the request's own role name, see `revokePlan`. */
  roleName?: string | undefined;
}

/**
 * Cut sessions first (so a later step failing still leaves the role useless), then remove the
 * policies (DeleteRole refuses a role that still has any), then the role.
 */
export function revokePlan(target: RevokeTarget, now: Date, settings: IamGrantSettings): CallPlan {
  const { requestId, accountId } = target;
  checkIds(requestId, accountId);
  const roleName = perRequestRoleName(requestId);
  // The handle comes from storage: a corrupted one must never make Warden delete some other role.
  if (target.roleName !== undefined && target.roleName !== roleName) {
    throw new Error(`Grant handle names role ${JSON.stringify(target.roleName)}, not ${roleName}: refusing to revoke it.`);
  }
  return {
    accountId,
    requestId,
    assumeRole: assumeGrantRoleInput(settings, accountId, requestId),
    steps: [
      {
        operation: 'PutRolePolicy',
        idempotence: 'gone-is-done',
        input: { RoleName: roleName, PolicyName: REVOKE_SESSIONS_POLICY_NAME, PolicyDocument: JSON.stringify(revokeSessionsPolicy(now)) },
      },
      { operation: 'DeleteRolePolicy', idempotence: 'gone-is-done', input: { RoleName: roleName, PolicyName: GRANT_POLICY_NAME } },
      { operation: 'DeleteRolePolicy', idempotence: 'gone-is-done', input: { RoleName: roleName, PolicyName: REVOKE_SESSIONS_POLICY_NAME } },
      { operation: 'DeleteRole', idempotence: 'gone-is-done', input: { RoleName: roleName } },
    ],
  };
}
