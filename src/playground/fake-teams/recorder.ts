import { AwaitableLog } from '../awaitable-log.js';
import type { TypedEmitter } from '../fake-slack/emitter.js';
import { preview } from '../fake-slack/json.js';
import type { FakeTeamsEvents, RecordedRequest, WaitForOptions } from './types.js';

export type RequestPredicate = (request: RecordedRequest) => boolean;

/**
 * Every request the fake answered, and `waitFor`, which tests use to await what the bot does after
 * it has already answered Teams (it acknowledges first and works afterwards).
 */
export class RequestRecorder {
  private readonly log = new AwaitableLog<RecordedRequest>(({ description, timeoutMs, since, considered }) => {
    const lines = considered.map((r) => `  #${r.seq} ${r.method} ${r.path} → ${r.status} ${preview(r.body)}`);
    return [`fake-teams: waited ${timeoutMs} ms for ${description}; requests${since > 0 ? ` since #${since}` : ''}: ${considered.length}`, ...lines].join('\n');
  });

  constructor(private readonly events: TypedEmitter<FakeTeamsEvents>) {}

  get requests(): readonly RecordedRequest[] {
    return this.log.entries;
  }

  record(entry: Omit<RecordedRequest, 'seq'>): RecordedRequest {
    const request: RecordedRequest = Object.freeze({ ...structuredClone(entry), seq: this.log.nextSeq });
    this.log.append(request, (r) => this.events.emit('request', r));
    return request;
  }

  waitFor(predicate: RequestPredicate, options: WaitForOptions = {}): Promise<RecordedRequest> {
    return this.log.waitFor(predicate, { ...options, description: options.description ?? 'a matching request' });
  }

  abortAll(reason: string): void {
    this.log.abortAll(reason);
  }
}
