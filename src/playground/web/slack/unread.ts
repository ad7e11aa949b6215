import type { PageMessage } from '../../api-types.js';
import { compareTs } from '../format.js';

/**
 * Unread counts per person and conversation, as the sidebar badges show them: top-level messages
 * by others, newer than what this person last had on screen there.
 */
export class UnreadTracker {
  private readonly seen = new Map<string, string>();

  count(person: string, conversation: string, messages: readonly PageMessage[]): number {
    const last = this.seen.get(`${person}|${conversation}`);
    return messages.filter((m) => m.threadTs === null && m.user !== person && (last === undefined || compareTs(m.ts, last) > 0)).length;
  }

  markSeen(person: string, conversation: string, messages: readonly PageMessage[]): void {
    const newest = messages.reduce<string | undefined>((max, m) => (max === undefined || compareTs(m.ts, max) > 0 ? m.ts : max), undefined);
    if (newest !== undefined) this.seen.set(`${person}|${conversation}`, newest);
  }
}
