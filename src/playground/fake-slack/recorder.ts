import { AwaitableLog } from '../awaitable-log.js';
import type { SlackArgs } from './body.js';
import type { Emitter } from './emitter.js';
import { type JsonObject, preview } from './json.js';
import type { RecordedCall, WaitForOptions } from './types.js';

export type CallPredicate = (call: RecordedCall) => boolean;

/**
 * The log of every request the fake answered, and `waitFor`, which tests use to await the bot's
 * asynchronous replies (Bolt acks first and calls the Web API afterwards).
 */
export class CallRecorder {
  private readonly log = new AwaitableLog<RecordedCall>(({ description, timeoutMs, since, considered }) => {
    const lines = considered.map((call) => {
      const outcome = call.response.ok === true ? 'ok' : `error ${String(call.response.error)}`;
      return `  #${call.seq} ${call.method} → ${outcome} ${preview(call.args)}`;
    });
    const scope = since > 0 ? ` since #${since}` : '';
    const header = `fake-slack: waited ${timeoutMs} ms for ${description}; recorded calls${scope}: ${considered.length}`;
    return [header, ...lines].join('\n');
  });

  constructor(
    private readonly events: Emitter<{ call: RecordedCall }>,
    private readonly now: () => Date,
  ) {}

  get calls(): readonly RecordedCall[] {
    return this.log.entries;
  }

  record(method: string, args: SlackArgs, response: JsonObject): RecordedCall {
    const call: RecordedCall = Object.freeze({
      seq: this.log.nextSeq,
      method,
      args: structuredClone(args),
      at: this.now(),
      response: structuredClone(response),
    });
    this.log.append(call, (c) => this.events.emit('call', c));
    return call;
  }

  /** Resolves with the first matching call, already recorded or still to come. */
  waitFor(predicate: CallPredicate | string, options: WaitForOptions = {}): Promise<RecordedCall> {
    const matches: CallPredicate = typeof predicate === 'string' ? (call) => call.method === predicate : predicate;
    const description = options.description ?? (typeof predicate === 'string' ? `a call to ${predicate}` : 'a matching call');
    return this.log.waitFor(matches, { ...options, description });
  }

  clear(): void {
    this.log.clear();
  }

  /** Rejects pending waits so no timer outlives the fake. */
  abortAll(reason: string): void {
    this.log.abortAll(reason);
  }
}
