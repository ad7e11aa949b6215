import type { Clock } from '../clock.js';
import type { ExecutionStatus, ScanRunner } from './runner.js';

export interface PollOptions {
  initialMs: number;
  maxMs: number;
  /** How much longer each wait is while nothing changes. */
  factor?: number;
  /** Give up watching after this long (the execution may still be running). */
  timeoutMs: number;
  /** Give up after this many failed status calls in a row. */
  maxErrors?: number;
}

export interface PollRuntime {
  clock: Clock;
  /** Resolves after `ms`, or at once when `signal` aborts. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** In [0, 1): spreads replicas' polls apart. */
  random?: () => number;
  onError?: (error: unknown, attempt: number) => void;
}

export type PollResult = ExecutionStatus | { state: 'aborted' } | { state: 'timed_out' };

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Watches an execution until it ends. Waits start at `initialMs` and grow by `factor` up to `maxMs`
 * while nothing changes, back to `initialMs` when a tool's progress changes (the next change tends to
 * follow), and double after a failed call (throttling); a little jitter keeps replicas apart.
 */
export async function pollExecution(
  runner: ScanRunner,
  executionArn: string,
  options: PollOptions,
  runtime: PollRuntime,
  signal: AbortSignal,
  onProgress: (status: ExecutionStatus) => Promise<void>,
): Promise<PollResult> {
  const factor = options.factor ?? 1.5;
  const maxErrors = options.maxErrors ?? 10;
  const random = runtime.random ?? Math.random;
  const deadline = runtime.clock.now().getTime() + options.timeoutMs;
  let delay = options.initialMs;
  let errors = 0;
  let last = '';
  for (;;) {
    if (signal.aborted) return { state: 'aborted' };
    try {
      const status = await runner.status(executionArn);
      errors = 0;
      if (status.state !== 'running') return status;
      const progress = JSON.stringify(status.tools);
      if (progress !== last) {
        last = progress;
        await onProgress(status);
        delay = options.initialMs;
      } else {
        delay = Math.min(delay * factor, options.maxMs);
      }
    } catch (error) {
      errors += 1;
      runtime.onError?.(error, errors);
      if (errors >= maxErrors) throw error;
      delay = Math.min(delay * 2, options.maxMs);
    }
    if (runtime.clock.now().getTime() >= deadline) return { state: 'timed_out' };
    await runtime.sleep(Math.round(delay * (0.9 + 0.2 * random())), signal);
  }
}
