/**
 * An append-only log of what a fake answered, with `waitFor`: tests await what a bot does after it
 * has already acknowledged the platform (Slack and Teams bots both ack first and work afterwards).
 * Shared by the fake Slack's call recorder and the fake Teams connector's request recorder.
 */

export interface Sequenced {
  /** Position in the log, usable as `waitFor(…, { since })`. */
  readonly seq: number;
}

export interface AwaitOptions {
  timeoutMs?: number;
  /** Only entries at or after this position count. */
  since?: number;
  /** Named in the timeout error. */
  description?: string;
}

interface Waiter<T> {
  matches: (entry: T) => boolean;
  since: number;
  resolve: (entry: T) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

const DEFAULT_TIMEOUT_MS = 5000;

export class AwaitableLog<T extends Sequenced> {
  private readonly log: T[] = [];
  private readonly waiters = new Set<Waiter<T>>();

  /**
   * @param describeTimeout the error text of a wait that timed out, given the entries it looked at
   */
  constructor(private readonly describeTimeout: (what: { description: string; timeoutMs: number; since: number; considered: readonly T[] }) => string) {}

  get entries(): readonly T[] {
    return this.log;
  }

  get nextSeq(): number {
    return this.log.length;
  }

  /** Adds an entry, tells `announce` (listeners see it in the log already), then settles the waits it matches. */
  append(entry: T, announce?: (entry: T) => void): void {
    this.log.push(entry);
    announce?.(entry);
    for (const waiter of [...this.waiters]) {
      if (entry.seq >= waiter.since && waiter.matches(entry)) this.settle(waiter, () => waiter.resolve(entry));
    }
  }

  /** Resolves with the first matching entry, already recorded or still to come. */
  waitFor(matches: (entry: T) => boolean, options: AwaitOptions & { description: string }): Promise<T> {
    const since = options.since ?? 0;
    const past = this.log.find((entry) => entry.seq >= since && matches(entry));
    if (past) return Promise.resolve(past);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        matches,
        since,
        resolve,
        reject,
        timer: setTimeout(() => {
          const considered = this.log.filter((entry) => entry.seq >= since);
          this.settle(waiter, () => reject(new Error(this.describeTimeout({ description: options.description, timeoutMs, since, considered }))));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  clear(): void {
    this.log.length = 0;
  }

  /** Rejects pending waits so no timer outlives the fake. */
  abortAll(reason: string): void {
    for (const waiter of [...this.waiters]) this.settle(waiter, () => waiter.reject(new Error(reason)));
  }

  private settle(waiter: Waiter<T>, outcome: () => void): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter);
    outcome();
  }
}
