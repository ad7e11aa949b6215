import type { RetryRuntime } from '../retry.js';
import type { PollSettings } from './plan.js';

export type OperationStatus = { status: 'IN_PROGRESS' } | { status: 'SUCCEEDED' } | { status: 'FAILED'; reason: string };

export class ProvisioningFailedError extends Error {
  constructor(
    readonly what: string,
    readonly reason: string,
    readonly timedOut: boolean,
  ) {
    super(timedOut ? `${what} did not finish in time (${reason})` : `${what} failed: ${reason}`);
    this.name = 'ProvisioningFailedError';
  }
}

/**
 * Asks for an asynchronous operation's status until it leaves IN_PROGRESS, waiting longer each
 * time up to a ceiling. Running out of time is a failure like any other: never a silent success.
 */
export async function pollUntilDone(what: string, describe: () => Promise<OperationStatus>, settings: PollSettings, runtime: RetryRuntime): Promise<void> {
  let waited = 0;
  let delay = settings.firstDelayMs;
  for (;;) {
    const status = await describe();
    if (status.status === 'SUCCEEDED') return;
    if (status.status === 'FAILED') throw new ProvisioningFailedError(what, status.reason, false);
    if (waited >= settings.timeoutMs) throw new ProvisioningFailedError(what, `still IN_PROGRESS after ${Math.round(waited / 1000)} s`, true);
    const wait = Math.min(delay, settings.timeoutMs - waited);
    await runtime.sleep(wait);
    waited += wait;
    delay = Math.min(settings.maxDelayMs, delay * 2);
  }
}
