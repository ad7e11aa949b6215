import { randomUUID } from 'node:crypto';
import { errorText } from '../access/audit.js';
import type { AccessDeps } from '../access/deps.js';
import { SYSTEM_ACTOR } from '../access/lifecycle.js';
import type { AccessRequest } from '../access/types.js';
import { expiringSoonCard, pendingDigestCard, weeklyPostureCard, type PendingItem, type PostureAccount } from '../chat/cards/digest-cards.js';
import type { ScanChat } from '../scans/chat.js';
import { SEVERITIES, type Severity } from '../scans/finding.js';
import type { Scan } from '../scans/scan.js';
import type { ScanStore } from '../scans/store.js';

/*
 * The digest jobs: plain functions of (deps, now). The scheduler decides when they run and makes one
 * replica run each tick; a job only reads the Store and sends. Tests call them directly.
 */

/** The ports the access digests use. */
export type DigestDeps = Pick<AccessDeps, 'store' | 'ids' | 'directory' | 'notifier'>;

export interface DigestReport {
  /** Who or where something was sent (approver ids, request ids, channels). */
  sent: string[];
  /** Recipients that could not be reached, with why. */
  failed: { to: string; error: string }[];
}

async function audit(deps: Pick<DigestDeps, 'store' | 'ids'>, now: Date, event: { requestId: string | null; type: string; detail: Record<string, unknown> }): Promise<void> {
  await deps.store.appendAudit({ id: deps.ids.eventId(), at: now.toISOString(), actorId: SYSTEM_ACTOR, ...event });
}

/** When the request went to its approvers (its submit event), else when it was made. */
async function submittedAt(deps: Pick<DigestDeps, 'store'>, request: AccessRequest): Promise<number> {
  const events = await deps.store.listAudit({ requestId: request.id });
  const submitted = events.filter((e) => e.type === 'request.submitted').at(-1);
  return Date.parse(submitted?.at ?? request.createdAt);
}

/**
 * Pending approvals: one message to each approver listing the requests still waiting for their
 * decision (not the ones they already approved, never their own). Nobody with nothing pending hears from us.
 */
export async function sendPendingApprovals(deps: DigestDeps, now: Date): Promise<DigestReport> {
  const report: DigestReport = { sent: [], failed: [] };
  const byApprover = new Map<string, PendingItem[]>();
  for (const request of await deps.store.listRequestsInStates(['pending_approval'])) {
    const voted = new Set(request.approvals.map((a) => a.userId));
    const waitingMinutes = Math.max(0, Math.floor((now.getTime() - (await submittedAt(deps, request))) / 60_000));
    for (const approverId of new Set(request.approverIds)) {
      if (voted.has(approverId) || approverId === request.requesterId) continue;
      const items = byApprover.get(approverId) ?? [];
      items.push({ request, waitingMinutes });
      byApprover.set(approverId, items);
    }
  }
  for (const [approverId, items] of byApprover) {
    items.sort((a, b) => b.waitingMinutes - a.waitingMinutes || a.request.id.localeCompare(b.request.id));
    try {
      await deps.notifier.post({ kind: 'user', userId: approverId }, pendingDigestCard(items, deps.directory));
      report.sent.push(approverId);
    } catch (error) {
      report.failed.push({ to: approverId, error: errorText(error) });
    }
  }
  if (report.failed.length > 0) await audit(deps, now, { requestId: null, type: 'digest.pending_failed', detail: { failures: report.failed } });
  return report;
}

/** The lease that makes an expiring notice go once per grant, on any replica, across restarts. */
export function expiringNoticeLease(requestId: string): string {
  return `digest.expiring.${requestId}`;
}

/**
 * Expiring soon: the requester of each active grant that ends within `withinMinutes` gets one notice
 * with the Release button. Each grant is claimed with a lease keyed by its request id (held past its
 * expiry) before sending, so no later tick, replica or restart sends it again; the notice is audited.
 */
export async function sendExpiringSoon(deps: DigestDeps, now: Date, options: { withinMinutes: number }): Promise<DigestReport> {
  const report: DigestReport = { sent: [], failed: [] };
  const horizon = new Date(now.getTime() + options.withinMinutes * 60_000).toISOString();
  for (const request of await deps.store.listActiveExpiringBefore(horizon)) {
    const expiresAt = request.grant?.expiresAt;
    // Already due: the expiry scheduler revokes it and tells the requester; `/run` requests grant nothing.
    if (request.state !== 'active' || !expiresAt || request.run || Date.parse(expiresAt) <= now.getTime()) continue;
    const until = new Date(Date.parse(expiresAt) + 24 * 60 * 60_000).toISOString();
    // A fresh owner each time: the lease is taken once, never "renewed" by the replica that took it.
    if (!(await deps.store.acquireLease(expiringNoticeLease(request.id), `notice:${randomUUID()}`, now.toISOString(), until))) continue;
    const minutesLeft = Math.ceil((Date.parse(expiresAt) - now.getTime()) / 60_000);
    const card = expiringSoonCard(request, minutesLeft);
    let where: 'dm' | 'thread' | undefined;
    let failure: string | undefined;
    try {
      await deps.notifier.post({ kind: 'user', userId: request.requesterId }, card, 'draft');
      where = 'dm';
    } catch (error) {
      // Not reachable by direct message (no chat id on this platform): the request's own thread.
      try {
        await deps.notifier.post({ kind: 'thread', origin: request.origin }, card, 'draft');
        where = 'thread';
      } catch (threadError) {
        failure = `${errorText(error)}; thread: ${errorText(threadError)}`;
      }
    }
    if (where) report.sent.push(request.id);
    else report.failed.push({ to: request.requesterId, error: failure ?? 'unknown' });
    await audit(deps, now, {
      requestId: request.id,
      type: where ? 'grant.expiry_notice_sent' : 'grant.expiry_notice_failed',
      detail: { expiresAt, minutesLeft, ...(where ? { where } : { error: failure }) },
    });
  }
  return report;
}

/** The ports of the weekly posture: the scan store, and the chat the scans were posted with. */
export interface PostureDeps {
  scans: ScanStore;
  chat: ScanChat;
}

/** How many finished scans the posture reads (newest first): many weeks of a daily scan of a few dozen accounts. */
const POSTURE_SCANS = 500;
/** Accounts per posture message (each takes three blocks; Slack allows 50 per message). */
const ACCOUNTS_PER_MESSAGE = 12;
const WEEK_MS = 7 * 24 * 60 * 60_000;

function failingBySeverity(scan: Scan): Record<Severity, number> {
  return Object.fromEntries(SEVERITIES.map((s) => [s, scan.summary?.bySeverity[s]?.fail ?? 0])) as Record<Severity, number>;
}

/**
 * Weekly posture: for each account scanned, its latest scan's failing findings by severity and the
 * change since the newest scan at least a week older than now, sent to the channel the latest scan
 * was posted in (one message per channel). Nothing is sent when there are no scans.
 */
export async function sendWeeklyPosture(deps: PostureDeps, now: Date): Promise<DigestReport> {
  const report: DigestReport = { sent: [], failed: [] };
  const succeeded = (await deps.scans.recentScans(POSTURE_SCANS)).filter((s) => s.state === 'succeeded' && s.summary && s.finishedAt);
  const byAccount = new Map<string, Scan[]>();
  for (const scan of succeeded) byAccount.set(scan.accountId, [...(byAccount.get(scan.accountId) ?? []), scan]);
  const weekAgo = now.getTime() - WEEK_MS;
  const byChannel = new Map<string, PostureAccount[]>();
  for (const scans of byAccount.values()) {
    scans.sort((a, b) => Date.parse(b.finishedAt!) - Date.parse(a.finishedAt!));
    const latest = scans[0]!;
    const previous = scans.slice(1).find((s) => Date.parse(s.finishedAt!) <= weekAgo);
    const channel = latest.message?.channel ?? latest.channel;
    const accounts = byChannel.get(channel) ?? [];
    accounts.push({
      accountId: latest.accountId,
      accountName: latest.accountName,
      scanId: latest.id,
      finishedAt: latest.finishedAt!,
      failing: failingBySeverity(latest),
      previous: previous ? { scanId: previous.id, finishedAt: previous.finishedAt!, failing: failingBySeverity(previous) } : null,
    });
    byChannel.set(channel, accounts);
  }
  for (const [channel, accounts] of byChannel) {
    accounts.sort((a, b) => a.accountName.localeCompare(b.accountName));
    try {
      for (let i = 0; i < accounts.length; i += ACCOUNTS_PER_MESSAGE) await deps.chat.post(channel, weeklyPostureCard(accounts.slice(i, i + ACCOUNTS_PER_MESSAGE)));
      report.sent.push(channel);
    } catch (error) {
      report.failed.push({ to: channel, error: errorText(error) });
    }
  }
  return report;
}
