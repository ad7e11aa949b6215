import { notice } from '../chat/cards/request-cards.js';
import type { ChatTarget } from '../chat/notifier.js';
import { errorText, recordAudit } from './audit.js';
import type { AccessDeps } from './deps.js';
import { addMinutes, formatTime } from './duration.js';
import { transition } from './transition.js';
import { endGrant, grantApproved } from './workflows/grant.js';
import { syncCards } from './workflows/sync-cards.js';
import type { AccessRequest } from './types.js';

export interface TickReport {
  ran: boolean;
  expired: string[];
  revokeFailures: string[];
  /** Due, but a recent failed revocation is still backing off. */
  revokeDeferred: string[];
  /** Revocations that failed often enough that the admins were alerted on this tick. */
  revokeAlerts: string[];
  stalePending: string[];
  resumed: string[];
  /** Whether the reconciliation hook ran on this tick. */
  reconciled: boolean;
}

/**
 * Failed revocations are retried on later ticks: the first at the next tick, then after
 * base, 2×base, … up to max. After `alertAfter` failures in a row (and every `alertAfter` more) the
 * admins are alerted. The count lives in the audit log (`grant.revoke_failed`), so it survives
 * restarts and is shared by replicas.
 */
export interface RevokeRetryOptions {
  alertAfter: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Where alerts go (an admins' channel, or people). With none, alerts are audited and passed to onError only. */
  alertTargets: ChatTarget[];
}

export const DEFAULT_REVOKE_RETRY: RevokeRetryOptions = { alertAfter: 3, baseDelayMs: 60_000, maxDelayMs: 30 * 60_000, alertTargets: [] };

/** Extra work on the same lease: reconciliation against AWS runs at start and then every `intervalMs`. */
export interface ReconcileHook {
  intervalMs: number;
  run: () => Promise<unknown>;
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
    private readonly options: {
      owner: string;
      intervalMs: number;
      onError?: (error: unknown) => void;
      revokeRetry?: Partial<RevokeRetryOptions>;
      reconcile?: ReconcileHook;
    },
  ) {}

  /** In memory on purpose: a restart reconciles at once, which is what "on start" asks for. */
  private nextReconcileAt = 0;

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
    const report: TickReport = { ran: false, expired: [], revokeFailures: [], revokeDeferred: [], revokeAlerts: [], stalePending: [], resumed: [], reconciled: false };
    const leaseUntil = new Date(now.getTime() + this.options.intervalMs * 2).toISOString();
    if (!(await store.acquireLease(LEASE, this.options.owner, now.toISOString(), leaseUntil))) return report;
    report.ran = true;

    const retry = { ...DEFAULT_REVOKE_RETRY, ...this.options.revokeRetry };
    for (const request of await store.listActiveExpiringBefore(now.toISOString())) {
      const failures = (await store.listAudit({ requestId: request.id })).filter((e) => e.type === 'grant.revoke_failed');
      const last = failures.at(-1);
      if (last && now.getTime() < Date.parse(last.at) + revokeBackoffMs(failures.length, retry)) {
        report.revokeDeferred.push(request.id);
        continue;
      }
      try {
        const ended = await endGrant(this.deps, request, { to: 'expired', actorId: 'warden' });
        if (ended) report.expired.push(ended.id);
      } catch (error) {
        report.revokeFailures.push(request.id);
        this.options.onError?.(error);
        const attempts = failures.length + 1;
        if (attempts % retry.alertAfter === 0) {
          report.revokeAlerts.push(request.id);
          await this.alertRevokeFailing(request, attempts, error, retry);
        }
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

    // After the expiry pass, so grants that are simply due were revoked the normal way first.
    const reconcile = this.options.reconcile;
    if (reconcile && now.getTime() >= this.nextReconcileAt) {
      this.nextReconcileAt = now.getTime() + reconcile.intervalMs;
      try {
        await reconcile.run();
        report.reconciled = true;
      } catch (error) {
        this.options.onError?.(error);
      }
    }
    return report;
  }

  private async alertRevokeFailing(request: AccessRequest, attempts: number, error: unknown, retry: RevokeRetryOptions): Promise<void> {
    const expiresAt = request.grant ? formatTime(request.grant.expiresAt) : 'its expiry';
    const text =
      `🚨 Revoking \`${request.id}\` (${request.draft.accountName}, ${request.draft.accountId}) has failed ${attempts} times in a row: ${errorText(error)}\n` +
      `Its policy stopped working at ${expiresAt} by its own condition, but what was granted is still in AWS. ` +
      `Warden keeps retrying; check the grant role's permissions in that account. The audit log has every attempt.`;
    await recordAudit(this.deps, { requestId: request.id, actorId: 'warden', type: 'grant.revoke_alerted', detail: { attempts, error: errorText(error), targets: retry.alertTargets.length } });
    for (const target of retry.alertTargets) {
      try {
        await this.deps.notifier.post(target, notice(text));
      } catch (postError) {
        this.options.onError?.(postError);
      }
    }
  }
}

/** The wait after `failures` failed attempts: none after the first (the next tick retries), then doubling. */
export function revokeBackoffMs(failures: number, retry: Pick<RevokeRetryOptions, 'baseDelayMs' | 'maxDelayMs'>): number {
  if (failures <= 1) return 0;
  return Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (failures - 2));
}
