import type { SlackArgs } from './body.js';
import type { Emitter } from './emitter.js';
import { type JsonObject, preview } from './json.js';
import type { RecordedCall, WaitForOptions } from './types.js';

export type CallPredicate = (call: RecordedCall) => boolean;

interface Waiter {
  matches: CallPredicate;
  since: number;
  resolve: (call: RecordedCall) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

const DEFAULT_TIMEOUT_MS = 5000;

/**
 * The log of every request the fake answered, and `waitFor`, which tests use to await the bot's
 * asynchronous replies (Bolt acks first and calls the Web API afterwards).
 */
export class CallRecorder {
  private readonly log: RecordedCall[] = [];
  private readonly waiters = new Set<Waiter>();

  constructor(
    private readonly events: Emitter<{ call: RecordedCall }>,
    private readonly now: () => Date,
  ) {}

  get calls(): readonly RecordedCall[] {
    return this.log;
  }

  record(method: string, args: SlackArgs, response: JsonObject): RecordedCall {
    const call: RecordedCall = Object.freeze({
      seq: this.log.length,
      method,
      args: structuredClone(args),
      at: this.now(),
      response: structuredClone(response),
    });
    this.log.push(call);
    this.events.emit('call', call);
    for (const waiter of [...this.waiters]) {
      if (call.seq >= waiter.since && waiter.matches(call)) this.settle(waiter, () => waiter.resolve(call));
    }
    return call;
  }

  /** Resolves with the first matching call, already recorded or still to come. */
  waitFor(predicate: CallPredicate | string, options: WaitForOptions = {}): Promise<RecordedCall> {
    const matches: CallPredicate =
      typeof predicate === 'string' ? (call) => call.method === predicate : predicate;
    const description =
      options.description ?? (typeof predicate === 'string' ? `a call to ${predicate}` : 'a matching call');
    const since = options.since ?? 0;
    const past = this.log.find((call) => call.seq >= since && matches(call));
    if (past) return Promise.resolve(past);

    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise<RecordedCall>((resolve, reject) => {
      const waiter: Waiter = {
        matches,
        since,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.settle(waiter, () => reject(new Error(this.timeoutMessage(description, timeoutMs, since))));
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

  private settle(waiter: Waiter, outcome: () => void): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter);
    outcome();
  }

  private timeoutMessage(description: string, timeoutMs: number, since: number): string {
    const considered = this.log.filter((call) => call.seq >= since);
    const lines = considered.map((call) => {
      const outcome = call.response.ok === true ? 'ok' : `error ${String(call.response.error)}`;
      return `  #${call.seq} ${call.method} → ${outcome} ${preview(call.args)}`;
    });
    const scope = since > 0 ? ` since #${since}` : '';
    const header = `fake-slack: waited ${timeoutMs} ms for ${description}; recorded calls${scope}: ${considered.length}`;
    return [header, ...lines].join('\n');
  }
}
