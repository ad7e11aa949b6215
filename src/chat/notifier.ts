import type { Origin } from '../access/types.js';
import type { MessageRef } from '../store/store.js';
import type { Card } from './cards/model.js';

/** Where a card goes: the request's own thread, a person's direct messages, or a channel. */
export type ChatTarget =
  | { kind: 'thread'; origin: Origin }
  | { kind: 'user'; userId: string }
  | { kind: 'channel'; channel: string };

/** The one messaging port the workflows use; each chat platform implements it. */
export interface Notifier {
  post(target: ChatTarget, card: Card, purpose?: MessageRef['purpose']): Promise<MessageRef>;
  update(ref: MessageRef, card: Card): Promise<void>;
}
