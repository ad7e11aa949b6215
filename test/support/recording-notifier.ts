import type { Card } from '../../src/chat/cards/model.js';
import type { ChatTarget, Notifier } from '../../src/chat/notifier.js';
import type { MessageRef } from '../../src/store/store.js';

/** A Notifier that keeps what workflows post and update, for tests below the chat adapters. */
export class RecordingNotifier implements Notifier {
  readonly posts: { target: ChatTarget; card: Card; ref: MessageRef }[] = [];
  readonly updates: { ref: MessageRef; card: Card }[] = [];
  private seq = 0;

  async post(target: ChatTarget, card: Card, purpose: MessageRef['purpose'] = 'draft'): Promise<MessageRef> {
    const channel = target.kind === 'thread' ? target.origin.channel : target.kind === 'user' ? `D-${target.userId}` : target.channel;
    const ref: MessageRef = { platform: 'slack', channel, ts: `1700000000.${String(++this.seq).padStart(6, '0')}`, purpose };
    this.posts.push({ target, card, ref });
    return ref;
  }

  async update(ref: MessageRef, card: Card): Promise<void> {
    this.updates.push({ ref, card });
  }

  /** Fallback texts of everything posted into threads, oldest first. */
  threadTexts(): string[] {
    return this.posts.filter((p) => p.target.kind === 'thread').map((p) => `${p.card.fallback} ${JSON.stringify(p.card.blocks)}`);
  }
}
