import { validateDetailed } from 'node-cron';
import { z } from 'zod';
import { ConfigError } from '../config/config-error.js';

/** A job's schedule: a cron expression, or null when the job is turned off (`off`). */
export type DigestSchedule = string | null;

/** Scheduled digests, read from the environment by `parseDigestEnv` (main.ts calls it at start-up). */
export interface DigestConfig {
  /** Each approver's pending requests. Default: weekdays 09:00. */
  pending: DigestSchedule;
  /** Notices to requesters whose grants end soon. Default: every 5 minutes. */
  expiring: DigestSchedule;
  /** How far ahead an expiring grant is announced. Default: 30 minutes. */
  expiringWithinMinutes: number;
  /** The weekly posture to the scan channels. Default: Mondays 09:00. */
  posture: DigestSchedule;
  /** The IANA time zone the cron expressions are read in. Default: UTC. */
  timezone: string;
}

export const DIGEST_DEFAULTS = {
  pending: '0 9 * * 1-5',
  expiring: '*/5 * * * *',
  expiringWithinMinutes: 30,
  posture: '0 9 * * 1',
  timezone: 'UTC',
} as const;

const blank = (value: unknown): unknown => (typeof value === 'string' ? (value.trim() === '' ? undefined : value.trim()) : value);

function cronProblem(expression: string): string | undefined {
  const result = validateDetailed(expression);
  if (result.valid) return undefined;
  const details = result.errors.map((e) => e.message).filter(Boolean);
  return details.length > 0 ? details.join('; ') : 'not a cron expression';
}

/** A cron expression (5 fields, or 6 with seconds first), `off`, or empty for the default. */
function schedule(fallback: string) {
  return z.preprocess(
    blank,
    z
      .string()
      .default(fallback)
      .superRefine((value, ctx) => {
        if (value.toLowerCase() === 'off') return;
        const problem = cronProblem(value);
        if (problem) {
          ctx.addIssue({
            code: 'custom',
            message: `"${value}" is not a valid cron expression (${problem}): use five fields like "${fallback}" (minute hour day-of-month month day-of-week), "off" to turn the digest off, or leave it empty for the default`,
          });
        }
      })
      .transform((value): DigestSchedule => (value.toLowerCase() === 'off' ? null : value)),
  );
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const withinMessage = 'minutes before expiry a grant is announced: a whole number from 1 to 1440';

const DigestEnvSchema = z.object({
  WARDEN_DIGEST_PENDING_CRON: schedule(DIGEST_DEFAULTS.pending),
  WARDEN_DIGEST_EXPIRING_CRON: schedule(DIGEST_DEFAULTS.expiring),
  WARDEN_DIGEST_EXPIRING_WITHIN_MINUTES: z.preprocess(
    blank,
    z.coerce.number({ error: withinMessage }).int(withinMessage).min(1, withinMessage).max(24 * 60, withinMessage).default(DIGEST_DEFAULTS.expiringWithinMinutes),
  ),
  WARDEN_DIGEST_POSTURE_CRON: schedule(DIGEST_DEFAULTS.posture),
  WARDEN_DIGEST_TIMEZONE: z.preprocess(
    blank,
    z
      .string()
      .default(DIGEST_DEFAULTS.timezone)
      .refine(isTimeZone, { message: 'an IANA time zone like "Europe/Lisbon" or "UTC"' }),
  ),
});

/**
 * Reads the digest settings. Throws a ConfigError (file `environment`) naming each bad variable and
 * what a good value looks like, so start-up stops with something an operator can fix.
 */
export function parseDigestEnv(env: NodeJS.ProcessEnv): DigestConfig {
  const parsed = DigestEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      'environment',
      parsed.error.issues.map((issue) => ({ path: String(issue.path[0] ?? ''), message: issue.message })),
    );
  }
  const e = parsed.data;
  return {
    pending: e.WARDEN_DIGEST_PENDING_CRON,
    expiring: e.WARDEN_DIGEST_EXPIRING_CRON,
    expiringWithinMinutes: e.WARDEN_DIGEST_EXPIRING_WITHIN_MINUTES,
    posture: e.WARDEN_DIGEST_POSTURE_CRON,
    timezone: e.WARDEN_DIGEST_TIMEZONE,
  };
}

/** One line for the start-up log. */
export function describeDigestConfig(config: DigestConfig): string {
  const one = (s: DigestSchedule) => s ?? 'off';
  return `pending ${one(config.pending)}; expiring ${one(config.expiring)} (within ${config.expiringWithinMinutes} min); posture ${one(config.posture)}; ${config.timezone}`;
}
