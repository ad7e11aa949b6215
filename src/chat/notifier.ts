import type { ChatPlatform, Origin } from '../access/types.js';
import type { MessageRef } from '../store/store.js';
import type { Card } from './cards/model.js';

/**
 * Where a card goes: the request's own thread, a person's direct messages, or a channel. A channel
 * named for one platform (`platform`) goes there only; without it, to the first platform that knows it.
 */
export type ChatTarget =
  | { kind: 'thread'; origin: Origin }
  | { kind: 'user'; userId: string }
  | { kind: 'channel'; channel: string; platform?: ChatPlatform };

/** The one messaging port the workflows use; each chat platform implements it. */
export interface Notifier {
  post(target: ChatTarget, card: Card, purpose?: MessageRef['purpose']): Promise<MessageRef>;
  update(ref: MessageRef, card: Card): Promise<void>;
}
