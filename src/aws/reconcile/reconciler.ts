import { errorText, recordAudit } from '../../access/audit.js';
import type { AccessDeps } from '../../access/deps.js';
import { transition } from '../../access/transition.js';
import type { AccessRequest } from '../../access/types.js';
import { syncCards } from '../../access/workflows/sync-cards.js';
import { code, type Card } from '../../chat/cards/model.js';
import { notice } from '../../chat/cards/request-cards.js';
import type { ChatTarget } from '../../chat/notifier.js';
import type { GrantInventory } from './iam-inventory.js';
import { DEFAULT_RUN_COMMAND_POLL } from '../ssm/run-command.js';
import { reconcile, type ObservedGrant, type ReconcilePlan, type RevokeAction } from './reconcile.js';

export type ReconcilerDeps = Pick<AccessDeps, 'store' | 'clock' | 'ids' | 'notifier' | 'directory'>;

export interface ReconcilerOptions {
  /** See `ReconcileInput.graceMs`. Default 10 minutes: far longer than a grant takes. */
  graceMs?: number;
  /** Admins: where the summary goes when reconciliation changed or found something. */
  alertTargets?: ChatTarget[];
  /** The accounts to look in; default every account of the org config. */
  accounts?: () => string[];
}

export interface ReconcileReport {
  plan: ReconcilePlan;
  revoked: RevokeAction[];
  revokeFailures: { action: RevokeAction; error: string }[];
  /** Active requests newly found missing in AWS on this run (each is marked once). */
  markedMissing: string[];
  /** Requests stuck in `granting` that this run marked failed. */
  markedInterrupted: string[];
  accountErrors: { accountId: string; error: string }[];
}

export const DEFAULT_RECONCILE_GRACE_MS = 10 * 60_000;

/**
 * Compares what Warden granted in AWS with the store and repairs the differences: removes grants
 * nobody should have, marks interrupted grants failed, marks and reports active grants AWS lacks.
 * Every action is audited; the admins get one summary when anything was found.
 */
export class Reconciler {
  constructor(
    private readonly deps: ReconcilerDeps,
    private readonly inventory: GrantInventory,
    private readonly options: ReconcilerOptions = {},
  ) {}

  async run(): Promise<ReconcileReport> {
    const { store, clock } = this.deps;
    const now = clock.now();
    // Read the store before AWS: whatever it calls active had its grant made before the listing.
    const active = await store.listRequestsInStates(['active']);
    const granting = await store.listRequestsInStates(['granting']);

    const observed: ObservedGrant[] = [];
    const scanned = new Set<string>();
    const accountErrors: ReconcileReport['accountErrors'] = [];
    const accounts = this.options.accounts?.() ?? this.deps.directory.org.accounts.map((a) => a.id);
    for (const accountId of accounts) {
      try {
        observed.push(...(await this.inventory.list(accountId)));
        scanned.add(accountId);
      } catch (error) {
        accountErrors.push({ accountId, error: errorText(error) });
        await this.audit(null, 'reconcile.account_failed', { accountId, mode: this.inventory.mode, error: errorText(error) });
      }
    }

    const requests = new Map<string, AccessRequest>();
    for (const id of new Set(observed.flatMap((g) => (g.requestId ? [g.requestId] : [])))) {
      const request = await store.getRequest(id);
      if (request) requests.set(id, request);
    }

    const graceMs = this.options.graceMs ?? DEFAULT_RECONCILE_GRACE_MS;
    const plan = reconcile({
      now,
      granterMode: this.inventory.mode,
      observed,
      requests,
      active,
      granting,
      scannedAccounts: scanned,
      graceMs,
      runGraceMs: graceMs + DEFAULT_RUN_COMMAND_POLL.timeoutMs,
    });
    const report: ReconcileReport = { plan, revoked: [], revokeFailures: [], markedMissing: [], markedInterrupted: [], accountErrors };

    // Marked first: a grant that finished after all (the write loses) keeps its role.
    for (const request of plan.interrupted) {
      if (await this.markInterrupted(request)) report.markedInterrupted.push(request.id);
    }
    for (const action of plan.revoke) {
      if (action.reason === 'interrupted' && !report.markedInterrupted.includes(action.grant.requestId)) continue;
      const detail = { accountId: action.grant.accountId, name: action.grant.name, reason: action.reason, state: action.state, mode: this.inventory.mode };
      try {
        await this.inventory.remove(action.grant);
        report.revoked.push(action);
        await this.audit(action.grant.requestId, 'reconcile.revoked', detail);
      } catch (error) {
        report.revokeFailures.push({ action, error: errorText(error) });
        await this.audit(action.grant.requestId, 'reconcile.revoke_failed', { ...detail, error: errorText(error) });
      }
    }
    for (const request of plan.missing) {
      if (await this.markMissing(request)) report.markedMissing.push(request.id);
    }

    await this.alert(report);
    return report;
  }

  private async markInterrupted(request: AccessRequest): Promise<boolean> {
    const failure = 'Warden stopped while granting this; whatever it had created in AWS was removed';
    const failed = await transition(this.deps, request, {
      to: 'failed',
      actorId: 'warden',
      event: 'grant.interrupted',
      detail: { error: failure },
      change: () => ({ failure }),
    });
    if (!failed) return false;
    await syncCards(this.deps, failed);
    await this.deps.notifier.post(
      { kind: 'thread', origin: failed.origin },
      notice(`❗ Granting \`${failed.id}\` was interrupted and has been cleaned up. Submit the request again if you still need access.`),
    );
    return true;
  }

  /** Once per request: the audit event is the mark, so later runs do not report it again. */
  private async markMissing(snapshot: AccessRequest): Promise<boolean> {
    const request = await this.deps.store.getRequest(snapshot.id);
    if (request?.state !== 'active') return false; // ended since the snapshot
    const events = await this.deps.store.listAudit({ requestId: request.id });
    if (events.some((e) => e.type === 'grant.missing_in_aws')) return false;
    await this.audit(request.id, 'grant.missing_in_aws', { mode: this.inventory.mode, handle: request.grant?.handle ?? {} });
    return true;
  }

  private async alert(report: ReconcileReport): Promise<void> {
    const targets = this.options.alertTargets ?? [];
    const { revoked, revokeFailures, markedMissing, markedInterrupted } = report;
    if (targets.length === 0 || revoked.length + revokeFailures.length + markedMissing.length + markedInterrupted.length === 0) return;
    const card = summaryCard(report);
    for (const target of targets) await this.deps.notifier.post(target, card);
  }

  private audit(requestId: string | null, type: string, detail: Record<string, unknown>): Promise<void> {
    return recordAudit(this.deps, { requestId, actorId: 'warden', type, detail });
  }
}

function where(grant: ObservedGrant): string {
  return `${code(grant.name)} in ${grant.accountId}`;
}

const REASON_TEXT: Record<RevokeAction['reason'], string> = {
  'unknown-request': 'no such request in Warden',
  ended: 'request already ended',
  'never-granted': 'request was never granted',
  'wrong-account': 'wrong account for its request',
  'other-granter': 'request is granted another way',
  interrupted: 'left by an interrupted grant',
};

function summaryCard(report: ReconcileReport): Card {
  const lines = ['🔎 **Reconciliation with AWS**'];
  if (report.revoked.length > 0) {
    lines.push(`Removed ${report.revoked.length} grant(s) that should not exist:`, ...report.revoked.map((a) => `- ${where(a.grant)}: ${REASON_TEXT[a.reason]}`));
  }
  if (report.revokeFailures.length > 0) {
    lines.push(`Could not remove ${report.revokeFailures.length} (retried on the next run):`, ...report.revokeFailures.map((f) => `- ${where(f.action.grant)}: ${f.error}`));
  }
  if (report.markedMissing.length > 0) {
    lines.push(`Active in Warden but missing in AWS (removed outside Warden?):`, ...report.markedMissing.map((id) => `- ${code(id)}`));
  }
  if (report.markedInterrupted.length > 0) {
    lines.push(`Interrupted grants marked failed:`, ...report.markedInterrupted.map((id) => `- ${code(id)}`));
  }
  if (report.plan.foreign.length > 0) {
    lines.push(`Left alone (under Warden's naming, not tagged as Warden's):`, ...report.plan.foreign.map((g) => `- ${where(g)}`));
  }
  if (report.accountErrors.length > 0) {
    lines.push(`Not checked:`, ...report.accountErrors.map((e) => `- ${e.accountId}: ${e.error}`));
  }
  const text = lines.join('\n');
  return { fallback: text, blocks: [{ type: 'text', text }] };
}
