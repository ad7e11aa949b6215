import type { Clock } from '../../clock.js';
import { newResponseUrlId, newTriggerId } from './ids.js';

/** Where a response_url's messages go. */
export interface ResponseTarget {
  channel: string;
  user: string;
  /** The message the interaction came from, which replace_original / delete_original act on. */
  messageTs?: string;
}

export type TriggerCheck = { ok: true; user: string } | { ok: false; error: string };

/**
 * Short-lived handles Slack hands to an app with an interaction: trigger_ids (single use, valid
 * for a few seconds, so a bot that opens a modal too late fails here as it would in Slack) and
 * response_urls.
 */
export class Handles {
  private readonly triggers = new Map<string, { user: string; issuedAt: number; used: boolean }>();
  private readonly responseUrls = new Map<string, ResponseTarget>();

  constructor(
    private readonly clock: Clock,
    private readonly triggerTtlMs: number,
  ) {}

  issueTrigger(user: string): string {
    const id = newTriggerId();
    this.triggers.set(id, { user, issuedAt: this.clock.now().getTime(), used: false });
    return id;
  }

  exchangeTrigger(id: string): TriggerCheck {
    const trigger = this.triggers.get(id);
    if (!trigger) return { ok: false, error: 'invalid_trigger_id' };
    if (trigger.used) return { ok: false, error: 'exchanged_trigger_id' };
    if (this.clock.now().getTime() - trigger.issuedAt > this.triggerTtlMs) {
      return { ok: false, error: 'expired_trigger_id' };
    }
    trigger.used = true;
    return { ok: true, user: trigger.user };
  }

  mintResponseUrl(target: ResponseTarget): string {
    const id = newResponseUrlId();
    this.responseUrls.set(id, { ...target });
    return id;
  }

  responseTarget(id: string): ResponseTarget | undefined {
    const target = this.responseUrls.get(id);
    return target && { ...target };
  }

  reset(): void {
    this.triggers.clear();
    this.responseUrls.clear();
  }
}
