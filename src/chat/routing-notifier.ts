import { AsyncLocalStorage } from 'node:async_hooks';
import type { ChatPlatform } from '../access/types.js';
import type { MessageRef } from '../store/store.js';
import type { Card } from './cards/model.js';
import type { ChatTarget, Notifier } from './notifier.js';

/** One chat platform as the router sees it: its Notifier and whom it can reach without a thread. */
export interface RoutedPlatform {
  notifier: Notifier;
  /** Whether a direct message to this org user can be delivered on this platform now. */
  canReachUser(userId: string): Promise<boolean>;
  /** Whether this platform can post to the channel the access rules name. */
  knowsChannel(channel: string): Promise<boolean>;
}

/**
 * The platform the person being served is acting on. Chat handlers run their work inside
 * `withActingPlatform`, so a workflow that DMs approvers while handling a Teams click prefers Teams
 * without the workflow knowing chat platforms exist. Submit is the only workflow that messages
 * people outside a thread, and it always runs on the platform of the request's own thread (that is
 * where the draft's Submit button is), so this is "the platform the request came from".
 */
const actingPlatform = new AsyncLocalStorage<ChatPlatform>();

export function withActingPlatform<T>(platform: ChatPlatform, work: () => T): T {
  return actingPlatform.run(platform, work);
}

export class UnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreachableError';
  }
}

/**
 * The Notifier the workflows get when more than one chat platform is configured. A thread goes back
 * to the platform it lives on; a message ref is updated where it was posted; a person is messaged on
 * the first platform that can reach them, the acting platform first, then `fallbackOrder`.
 */
export class RoutingNotifier implements Notifier {
  constructor(
    private readonly platforms: Partial<Record<ChatPlatform, RoutedPlatform>>,
    private readonly fallbackOrder: readonly ChatPlatform[] = ['slack', 'teams'],
  ) {}

  async post(target: ChatTarget, card: Card, purpose?: MessageRef['purpose']): Promise<MessageRef> {
    switch (target.kind) {
      case 'thread':
        return this.platform(target.origin.platform).notifier.post(target, card, purpose);
      case 'user': {
        for (const platform of this.order()) {
          const routed = this.platforms[platform];
          if (routed && (await routed.canReachUser(target.userId))) return routed.notifier.post(target, card, purpose);
        }
        throw new UnreachableError(`${target.userId} cannot be messaged on ${this.configured()}: map their chat ids in the org config.`);
      }
      case 'channel': {
        // A channel the access rules name for one platform is posted there, or not at all.
        if (target.platform) return this.platform(target.platform).notifier.post(target, card, purpose);
        for (const platform of this.order()) {
          const routed = this.platforms[platform];
          if (routed && (await routed.knowsChannel(target.channel))) return routed.notifier.post(target, card, purpose);
        }
        throw new UnreachableError(`No chat platform knows the channel ${target.channel} (${this.configured()}).`);
      }
    }
  }

  async update(ref: MessageRef, card: Card): Promise<void> {
    await this.platform(ref.platform).notifier.update(ref, card);
  }

  private platform(platform: ChatPlatform): RoutedPlatform {
    const routed = this.platforms[platform];
    // A stored ref or origin of a platform that is no longer configured cannot be served by another one.
    if (!routed) throw new UnreachableError(`${platform} is not configured in this Warden, so its messages cannot be sent or updated.`);
    return routed;
  }

  private order(): ChatPlatform[] {
    const acting = actingPlatform.getStore();
    const configured = Object.keys(this.platforms) as ChatPlatform[];
    const order = new Set([...(acting ? [acting] : []), ...this.fallbackOrder, ...configured]);
    return [...order].filter((p) => this.platforms[p] !== undefined);
  }

  private configured(): string {
    return Object.keys(this.platforms).join(' or ') || 'no configured platform';
  }
}
