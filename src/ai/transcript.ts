/**
 * The thread as data for the model: who said what, trimmed to a token budget, inside delimiters the
 * requester cannot forge. The requester's words never become part of the instructions.
 */
import type { TextDraftInput } from '../access/drafter.js';
import type { JsonValue } from './llm.js';

export interface TranscriptTurn {
  from: 'requester' | 'warden';
  text: string;
}

export interface Transcript {
  turns: TranscriptTurn[];
  /** Turns left out to stay within the budget (the oldest after the first). */
  omitted: number;
}

/** Roughly four characters a token for English text; close enough to keep a prompt in budget. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4) + 4;
}

/** The requester's messages, or the whole thread when the caller gives it (the bot's questions too). */
export function transcriptOf(input: TextDraftInput): TranscriptTurn[] {
  if (input.history && input.history.length > 0) {
    return input.history.map((t) => ({ from: t.role === 'user' ? 'requester' : 'warden', text: t.text }));
  }
  return input.messages.map((text) => ({ from: 'requester', text }));
}

/**
 * Keeps the first requester turn (it usually states the request) and as many of the newest turns as
 * fit in `budgetTokens`; a single turn longer than the budget is cut.
 */
export function trimToBudget(turns: readonly TranscriptTurn[], budgetTokens: number): Transcript {
  const cut = (turn: TranscriptTurn, tokens: number): TranscriptTurn => {
    const chars = Math.max(0, (tokens - 4) * 4);
    return turn.text.length <= chars ? turn : { ...turn, text: `${turn.text.slice(0, chars)}…` };
  };
  const firstIndex = turns.findIndex((t) => t.from === 'requester');
  const first = turns[firstIndex];
  if (first === undefined) return { turns: [], omitted: turns.length };

  const firstKept = cut(first, budgetTokens);
  let left = budgetTokens - estimateTokens(firstKept.text);
  const newest: TranscriptTurn[] = [];
  for (let i = turns.length - 1; i > firstIndex; i -= 1) {
    const turn = turns[i];
    if (turn === undefined) continue;
    const cost = estimateTokens(turn.text);
    if (cost > left) break;
    newest.unshift(turn);
    left -= cost;
  }
  const kept = [firstKept, ...newest];
  return { turns: kept, omitted: turns.length - firstIndex - kept.length };
}

/**
 * `<tag>` + JSON + `</tag>`. JSON escapes quotes and newlines, and "<", ">" and "&" are written as
 * \u escapes, so no text inside can close the tag or open another one.
 */
export function dataBlock(tag: string, value: JsonValue): string {
  const json = JSON.stringify(value, null, 1)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026');
  return `<${tag}>\n${json}\n</${tag}>`;
}

export function transcriptBlock(transcript: Transcript): string {
  return dataBlock('conversation', {
    omittedEarlierMessages: transcript.omitted,
    messages: transcript.turns.map((t) => ({ from: t.from, text: t.text })),
  });
}
