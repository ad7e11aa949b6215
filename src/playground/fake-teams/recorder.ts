import type { TypedEmitter } from '../fake-slack/emitter.js';
import { preview } from '../fake-slack/json.js';
import type { FakeTeamsEvents, RecordedRequest, WaitForOptions } from './types.js';

export type RequestPredicate = (request: RecordedRequest) => boolean;

interface Waiter {
  matches: RequestPredicate;
  since: number;
  resolve: (request: RecordedRequest) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

const DEFAULT_TIMEOUT_MS = 5000;

/**
 * Every request the fake answered, and `waitFor`, which tests use to await what the bot does after
 * it has already answered Teams (it acknowledges first and works afterwards).
 */
export class RequestRecorder {
  private readonly log: RecordedRequest[] = [];
  private readonly waiters = new Set<Waiter>();

  constructor(private readonly events: TypedEmitter<FakeTeamsEvents>) {}

  get requests(): readonly RecordedRequest[] {
    return this.log;
  }

  record(entry: Omit<RecordedRequest, 'seq'>): RecordedRequest {
    const request: RecordedRequest = Object.freeze({ ...structuredClone(entry), seq: this.log.length });
    this.log.push(request);
    this.events.emit('request', request);
    for (const waiter of [...this.waiters]) {
      if (request.seq >= waiter.since && waiter.matches(request)) this.settle(waiter, () => waiter.resolve(request));
    }
    return request;
  }

  waitFor(predicate: RequestPredicate, options: WaitForOptions = {}): Promise<RecordedRequest> {
    const since = options.since ?? 0;
    const past = this.log.find((r) => r.seq >= since && predicate(r));
    if (past) return Promise.resolve(past);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const description = options.description ?? 'a matching request';
    return new Promise<RecordedRequest>((resolve, reject) => {
      const waiter: Waiter = {
        matches: predicate,
        since,
        resolve,
        reject,
        timer: setTimeout(() => this.settle(waiter, () => reject(new Error(this.timeoutMessage(description, timeoutMs, since)))), timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  abortAll(reason: string): void {
    for (const waiter of [...this.waiters]) this.settle(waiter, () => waiter.reject(new Error(reason)));
  }

  private settle(waiter: Waiter, outcome: () => void): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter);
    outcome();
  }

  private timeoutMessage(description: string, timeoutMs: number, since: number): string {
    const considered = this.log.filter((r) => r.seq >= since);
    const lines = considered.map((r) => `  #${r.seq} ${r.method} ${r.path} → ${r.status} ${preview(r.body)}`);
    return [`fake-teams: waited ${timeoutMs} ms for ${description}; requests${since > 0 ? ` since #${since}` : ''}: ${considered.length}`, ...lines].join('\n');
  }
}
