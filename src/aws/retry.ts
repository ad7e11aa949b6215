/**
 * Retries of AWS calls, in one place. Warden's SDK clients are built with `maxAttempts: 1` (see
 * `clients.ts`), so this is the only retry layer: its behaviour is what the tests exercise, and a
 * throttled call is never retried 3 × N times by two layers stacked on each other.
 */

export interface RetryPolicy {
  /** Attempts in total, the first included. */
  maxAttempts: number;
  /** Ceiling of the first wait; doubles per attempt ("full jitter": a random wait below the ceiling). */
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface RetryRuntime {
  sleep: (ms: number) => Promise<void>;
  /** In [0, 1). Injected so tests get fixed waits. */
  random: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 200, maxDelayMs: 10_000 };

export const realRuntime: RetryRuntime = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** The error's service code (`NoSuchEntityException`, `Throttling`, …), whatever shape it came in. */
export function awsErrorName(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const named = error as { name?: unknown; Code?: unknown; code?: unknown };
  for (const candidate of [named.name, named.Code, named.code]) {
    if (typeof candidate === 'string' && candidate !== 'Error') return candidate;
  }
  return undefined;
}

/** IAM names some errors with and some without the `Exception` suffix depending on protocol and SDK version. */
export function isAwsError(error: unknown, code: string): boolean {
  const name = awsErrorName(error);
  return name === code || name === `${code}Exception` || `${name}Exception` === code;
}

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'BandwidthLimitExceeded',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
]);

// Transient on the server or the wire; IAM answers ConcurrentModification when two writes to one entity race.
const TRANSIENT = new Set([
  'ServiceFailure',
  'ServiceFailureException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
  'InternalError',
  'InternalServerException',
  'ConcurrentModification',
  'ConcurrentModificationException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  // The SDK corrects its clock offset from the failed response, so the next attempt is signed right.
  'RequestTimeTooSkewed',
  'RequestExpired',
  'RequestInTheFuture',
]);

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND']);

export function isThrottling(error: unknown): boolean {
  const name = awsErrorName(error);
  if (name && THROTTLING.has(name)) return true;
  const retryable = (error as { $retryable?: { throttling?: boolean } } | null)?.$retryable;
  return retryable?.throttling === true || httpStatus(error) === 429;
}

/** Throttling, 5xx, a concurrent modification, a dropped connection: worth the same call again. */
export function isTransientAwsError(error: unknown): boolean {
  if (isThrottling(error)) return true;
  const name = awsErrorName(error);
  if (name && (TRANSIENT.has(name) || NETWORK_CODES.has(name))) return true;
  const status = httpStatus(error);
  if (status !== undefined && status >= 500) return true;
  const meta = error as { $fault?: unknown; $retryable?: unknown } | null;
  return meta?.$fault === 'server' || (meta?.$retryable !== undefined && meta.$retryable !== null);
}

function httpStatus(error: unknown): number | undefined {
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The wait before attempt `attempt + 1` (attempt counts from 1): full jitter under an exponential ceiling. */
export function backoffMs(attempt: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

export class RetriesExhaustedError extends Error {
  constructor(
    readonly what: string,
    readonly attempts: number,
    override readonly cause: unknown,
  ) {
    super(`${what} failed after ${attempts} attempts: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'RetriesExhaustedError';
  }
}

/**
 * Runs `call` until it succeeds, fails with an error `retryable` rejects, or runs out of attempts.
 * A non-retryable error is rethrown as it is, so callers can still match its AWS name.
 */
export async function withRetry<T>(
  what: string,
  call: () => Promise<T>,
  options: { policy?: RetryPolicy; runtime?: RetryRuntime; retryable?: (error: unknown) => boolean; onRetry?: (attempt: number, error: unknown, waitMs: number) => void } = {},
): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const runtime = options.runtime ?? realRuntime;
  const retryable = options.retryable ?? isTransientAwsError;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!retryable(error)) throw error;
      if (attempt >= policy.maxAttempts) throw new RetriesExhaustedError(what, attempt, error);
      const wait = backoffMs(attempt, policy, runtime.random);
      options.onRetry?.(attempt, error, wait);
      await runtime.sleep(wait);
    }
  }
}
