import { z } from 'zod';
import { ConfigError } from '../config/config-error.js';
import { TOOLS, type Tool } from './finding.js';

/** Scan settings, read from the environment by `parseScanEnv` (main.ts calls it next to `parseEnv`). */
export interface ScanConfig {
  /** The scan state machine; without it `/scan <account>` is off and only import, status and last work. */
  stateMachineArn: string | null;
  /** The role the scan tasks assume in each scanned account: arn:aws:iam::<account>:role/<roleName>. */
  roleName: string;
  /** The account the scanners run in: scanned with their own credentials, no role assumed. */
  localAccountId: string | null;
  /** Scanned by a bare `/scan` (a name or id from org.yaml). */
  defaultAccount: string | null;
  defaultTools: Tool[];
  /** Groups whose members may scan every account (besides each account's approvers). */
  scanGroups: string[];
  poll: { initialMs: number; maxMs: number; timeoutMs: number };
  retentionDays: number;
  /** `/scan import <path>` reads only below this folder; null turns it off. */
  importDir: string | null;
}

const blank = (value: unknown): unknown => (typeof value === 'string' ? (value.trim() === '' ? undefined : value.trim()) : value);
const opt = <T extends z.ZodType>(schema: T) => z.preprocess(blank, schema);

function wholeNumber(min: number, max: number, fallback: number, what: string) {
  const message = `${what}: a whole number from ${min} to ${max}`;
  return opt(z.coerce.number({ error: message }).int(message).min(min, message).max(max, message).default(fallback));
}

const list = (fallback: string) =>
  opt(z.string().default(fallback)).transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

const ScanEnvSchema = z.object({
  WARDEN_SCAN_STATE_MACHINE_ARN: opt(
    z
      .string()
      .regex(/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/, 'a state machine ARN like "arn:aws:states:eu-west-1:111122223333:stateMachine:warden-scan"')
      .optional(),
  ),
  WARDEN_SCAN_ROLE_NAME: opt(z.string().regex(/^[\w+=,.@-]{1,64}$/, 'an IAM role name (letters, digits and +=,.@_-)').default('warden-scan')),
  WARDEN_SCAN_LOCAL_ACCOUNT_ID: opt(z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id').optional()),
  WARDEN_SCAN_DEFAULT_ACCOUNT: opt(z.string().optional()),
  WARDEN_SCAN_TOOLS: list(TOOLS.join(',')).pipe(
    z.array(z.enum(TOOLS, { error: `a comma-separated list of ${TOOLS.join(', ')}` })).min(1, `at least one of ${TOOLS.join(', ')}`),
  ),
  WARDEN_SCAN_GROUPS: list('platform'),
  WARDEN_SCAN_POLL_SECONDS: wholeNumber(1, 300, 5, 'seconds before the first check of a running scan'),
  WARDEN_SCAN_POLL_MAX_SECONDS: wholeNumber(1, 900, 60, 'longest wait between two checks of a running scan'),
  WARDEN_SCAN_TIMEOUT_MINUTES: wholeNumber(5, 48 * 60, 6 * 60, 'minutes after which a scan still running is reported as failed'),
  WARDEN_SCAN_RETENTION_DAYS: wholeNumber(1, 3650, 90, 'days scans are kept (each account keeps its newest one)'),
  WARDEN_SCAN_IMPORT_DIR: opt(z.string().optional()),
});

/**
 * Reads the scan settings. Throws a ConfigError (file `environment`) naming each bad variable and
 * what a good value looks like, so start-up stops with something an operator can fix.
 */
export function parseScanEnv(env: NodeJS.ProcessEnv): ScanConfig {
  const parsed = ScanEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      'environment',
      parsed.error.issues.map((issue) => ({ path: String(issue.path[0] ?? ''), message: issue.message })),
    );
  }
  const e = parsed.data;
  if (e.WARDEN_SCAN_POLL_MAX_SECONDS < e.WARDEN_SCAN_POLL_SECONDS) {
    throw new ConfigError('environment', [
      { path: 'WARDEN_SCAN_POLL_MAX_SECONDS', message: `must be at least WARDEN_SCAN_POLL_SECONDS (${e.WARDEN_SCAN_POLL_SECONDS})` },
    ]);
  }
  return {
    stateMachineArn: e.WARDEN_SCAN_STATE_MACHINE_ARN ?? null,
    roleName: e.WARDEN_SCAN_ROLE_NAME,
    localAccountId: e.WARDEN_SCAN_LOCAL_ACCOUNT_ID ?? null,
    defaultAccount: e.WARDEN_SCAN_DEFAULT_ACCOUNT ?? null,
    defaultTools: [...new Set(e.WARDEN_SCAN_TOOLS)],
    scanGroups: e.WARDEN_SCAN_GROUPS,
    poll: { initialMs: e.WARDEN_SCAN_POLL_SECONDS * 1000, maxMs: e.WARDEN_SCAN_POLL_MAX_SECONDS * 1000, timeoutMs: e.WARDEN_SCAN_TIMEOUT_MINUTES * 60_000 },
    retentionDays: e.WARDEN_SCAN_RETENTION_DAYS,
    importDir: e.WARDEN_SCAN_IMPORT_DIR ?? null,
  };
}

/** The region of the state machine, for the SFN client. */
export function stateMachineRegion(arn: string): string {
  return arn.split(':')[3]!;
}

/** The role ARN to put in the execution input; null for the scanners' own account. */
export function scanRoleArn(config: Pick<ScanConfig, 'roleName' | 'localAccountId' | 'stateMachineArn'>, accountId: string): string | null {
  if (config.localAccountId === accountId) return null;
  const partition = config.stateMachineArn?.split(':')[1] ?? 'aws';
  return `arn:${partition}:iam::${accountId}:role/${config.roleName}`;
}
