import { notice } from '../chat/cards/request-cards.js';
import type { AccessDeps } from './deps.js';
import { addMinutes } from './duration.js';
import { transition } from './transition.js';
import { endGrant, grantApproved } from './workflows/grant.js';
import { syncCards } from './workflows/sync-cards.js';

export interface TickReport {
  ran: boolean;
  expired: string[];
  revokeFailures: string[];
  stalePending: string[];
  resumed: string[];
}

const LEASE = 'scheduler.expiry';

/**
 * Revokes grants at expiry. State lives in the Store, so a restart (or another replica) picks up
 * whatever is due, including grants that expired while Warden was down; the lease makes one
 * replica do each tick.
 */
export class ExpiryScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<TickReport> | undefined;

  constructor(
    private readonly deps: AccessDeps,
    private readonly options: { owner: string; intervalMs: number; onError?: (error: unknown) => void },
  ) {}

  /** Runs a tick now, then every interval. */
  async start(): Promise<TickReport> {
    const first = await this.tick();
    this.timer = setInterval(() => {
      this.tick().catch((error: unknown) => this.options.onError?.(error));
    }, this.options.intervalMs);
    this.timer.unref();
    return first;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass. Concurrent calls share the pass in flight rather than revoking twice. */
  tick(): Promise<TickReport> {
    this.running ??= this.runTick().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async runTick(): Promise<TickReport> {
    const { store, clock } = this.deps;
    const now = clock.now();
    const report: TickReport = { ran: false, expired: [], revokeFailures: [], stalePending: [], resumed: [] };
    const leaseUntil = new Date(now.getTime() + this.options.intervalMs * 2).toISOString();
    if (!(await store.acquireLease(LEASE, this.options.owner, now.toISOString(), leaseUntil))) return report;
    report.ran = true;

    for (const request of await store.listActiveExpiringBefore(now.toISOString())) {
      try {
        const ended = await endGrant(this.deps, request, { to: 'expired', actorId: 'warden' });
        if (ended) report.expired.push(ended.id);
      } catch (error) {
        report.revokeFailures.push(request.id);
        this.options.onError?.(error);
      }
    }

    for (const request of await store.listRequestsInStates(['pending_approval'])) {
      if (addMinutes(new Date(request.updatedAt), this.deps.rules.defaults.pendingTtlMinutes) > now) continue;
      const expired = await transition(this.deps, request, { to: 'expired', actorId: 'warden', event: 'request.expired_pending' });
      if (!expired) continue;
      report.stalePending.push(expired.id);
      await syncCards(this.deps, expired);
      await this.deps.notifier.post(
        { kind: 'thread', origin: expired.origin },
        notice(`⌛ \`${expired.id}\` expired: nobody decided on it in time. Submit a new request if you still need access.`),
      );
    }

    // An approval that was stored but not granted (a crash between the two) is granted now.
    for (const request of await store.listRequestsInStates(['approved'])) {
      const outcome = await grantApproved(this.deps, request);
      report.resumed.push(outcome.id);
    }
    return report;
  }
}
