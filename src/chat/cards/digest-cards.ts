import type { Directory } from '../../access/directory.js';
import { formatDuration, formatTime } from '../../access/duration.js';
import type { AccessRequest } from '../../access/types.js';
import { SEVERITIES, type Severity } from '../../scans/finding.js';
import { code, literal, type Card, type CardBlock } from './model.js';

/** One request in an approver's digest, with how long it has waited for a decision. */
export interface PendingItem {
  request: AccessRequest;
  waitingMinutes: number;
}

/** Lines per text block, and requests listed at most, so a long list stays within every platform's limits. */
const LINES_PER_BLOCK = 10;
const MAX_LISTED = 40;

/** An approver's morning list: every request still waiting for their decision, oldest first. */
export function pendingDigestCard(items: PendingItem[], directory: Directory): Card {
  const lines = items.slice(0, MAX_LISTED).map(({ request, waitingMinutes }) => {
    const what = request.run ? `run on ${code(request.run.instanceId)}` : `${request.draft.accessLevel} for ${formatDuration(request.draft.durationMinutes)}`;
    return `- ${code(request.id)} **${literal(directory.displayName(request.requesterId))}** · ${what} on ${literal(request.draft.accountName)} (${request.draft.accountId}) · waiting ${formatDuration(waitingMinutes)}`;
  });
  if (items.length > MAX_LISTED) lines.push(`_… and ${items.length - MAX_LISTED} more._`);
  const n = items.length;
  const blocks: CardBlock[] = [{ type: 'header', text: `${n} access request${n === 1 ? '' : 's'} waiting for your decision` }];
  for (let i = 0; i < lines.length; i += LINES_PER_BLOCK) blocks.push({ type: 'text', text: lines.slice(i, i + LINES_PER_BLOCK).join('\n') });
  blocks.push(
    { type: 'context', text: 'Approve or deny each on its approval card. `/access status <id>` shows a request in full.' },
  );
  return { fallback: `${n} access request${n === 1 ? '' : 's'} waiting for your decision: ${items.map((i) => i.request.id).join(', ')}`, blocks };
}

/** To the requester, once per grant, shortly before it ends; its button is the usual early release. */
export function expiringSoonCard(request: AccessRequest, minutesLeft: number): Card {
  const expiresAt = request.grant?.expiresAt ?? '';
  const left = formatDuration(Math.max(1, minutesLeft));
  return {
    fallback: `Your access ${request.id} to ${request.draft.accountName} ends in ${left} (${formatTime(expiresAt)}).`,
    blocks: [
      { type: 'header', text: `Your access to ${request.draft.accountName} ends in ${left}` },
      {
        type: 'fields',
        fields: [
          { label: 'Request', value: code(request.id) },
          { label: 'Account', value: `${literal(request.draft.accountName)} (${request.draft.accountId})` },
          { label: 'Access level', value: request.draft.accessLevel },
          { label: 'Ends at', value: formatTime(expiresAt) },
        ],
      },
      {
        type: 'text',
        text: 'Need more time? Submit a new request (a DM to me, or `/access request`): extending a grant in place is not available yet. Done already? End it now.',
      },
      { type: 'actions', actions: [{ id: 'grant.release', label: 'End access now', value: request.id, style: 'danger' }] },
    ],
  };
}

/** One account in the weekly posture: its latest scan's failing counts, and a week earlier's when there was a scan then. */
export interface PostureAccount {
  accountId: string;
  accountName: string;
  scanId: string;
  finishedAt: string;
  failing: Record<Severity, number>;
  previous: { scanId: string; finishedAt: string; failing: Record<Severity, number> } | null;
}

const SEVERITY_LABEL: Record<Severity, string> = {
  critical: '🛑 Critical',
  high: '🔴 High',
  medium: '🟠 Medium',
  low: '🟡 Low',
  informational: 'ℹ️ Info',
};

function change(now: number, before: number | undefined): string {
  if (before === undefined) return '';
  const d = now - before;
  return d === 0 ? ' (±0)' : d > 0 ? ` (▲ +${d})` : ` (▼ ${d})`;
}

/** Per account: failing findings by severity in the latest scan, with the change since the scan a week before. */
export function weeklyPostureCard(accounts: PostureAccount[]): Card {
  const blocks: CardBlock[] = [{ type: 'header', text: 'Weekly security posture' }];
  for (const a of accounts) {
    const total = SEVERITIES.reduce((sum, s) => sum + a.failing[s], 0);
    const before = a.previous ? SEVERITIES.reduce((sum, s) => sum + a.previous!.failing[s], 0) : undefined;
    blocks.push({ type: 'text', text: `**${literal(a.accountName)}** (${a.accountId}): ${total} failing${change(total, before)}` });
    blocks.push({
      type: 'fields',
      fields: SEVERITIES.map((s) => ({ label: SEVERITY_LABEL[s], value: `${a.failing[s]}${change(a.failing[s], a.previous?.failing[s])}` })),
    });
    blocks.push({
      type: 'context',
      text: a.previous
        ? `Latest scan ${code(a.scanId)} of ${formatTime(a.finishedAt)}, compared with ${code(a.previous.scanId)} of ${formatTime(a.previous.finishedAt)}.`
        : `Latest scan ${code(a.scanId)} of ${formatTime(a.finishedAt)}; no scan from a week before to compare with.`,
    });
  }
  blocks.push({ type: 'context', text: '`/scan <account>` runs a new scan; `/scan last` lists the latest ones.' });
  const summary = accounts.map((a) => `${a.accountName}: ${SEVERITIES.reduce((sum, s) => sum + a.failing[s], 0)} failing`).join('; ');
  return { fallback: `Weekly security posture — ${summary}`, blocks };
}
