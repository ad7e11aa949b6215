import type { Directory } from '../../access/directory.js';
import { formatDuration, formatTime } from '../../access/duration.js';
import type { AccessRequest, PermissionDraft, RequestState } from '../../access/types.js';
import type { CheckProblem } from '../../access/checks.js';
import { SYSTEM_ACTOR } from '../../access/lifecycle.js';
import { code, literal, type Card, type CardBlock } from './model.js';
import { runCommandBlock, runOutcomeLine } from './run-cards.js';

const RISK_LABEL = { low: '🟢 Low', medium: '🟠 Medium', high: '🔴 High', critical: '🛑 Critical' } as const;

const STATE_LABEL: Record<RequestState, string> = {
  drafting: '📝 Draft',
  pending_approval: '⏳ Waiting for approval',
  approved: '✅ Approved',
  granting: '⚙️ Granting',
  active: '🟢 Active',
  revoked: '⏹️ Ended early',
  denied: '⛔ Denied',
  cancelled: '🚫 Cancelled',
  expired: '⌛ Expired',
  failed: '❗ Failed',
};

export function stateLabel(state: RequestState): string {
  return STATE_LABEL[state];
}

function permissionLines(draft: Pick<PermissionDraft, 'statements'>): string {
  return draft.statements
    .map((s) => `- ${s.actions.map(code).join(', ')}\n   on ${s.resources.map(code).join(', ')}`)
    .join('\n');
}

function requestFacts(request: AccessRequest, directory: Directory): CardBlock[] {
  const { draft } = request;
  const blocks: CardBlock[] = [
    {
      type: 'fields',
      fields: [
        { label: 'Requester', value: literal(directory.displayName(request.requesterId)) },
        { label: 'Account', value: `${literal(draft.accountName)} (${draft.accountId})` },
        { label: 'Duration', value: request.run ? 'One run (nothing stays granted)' : formatDuration(draft.durationMinutes) },
        { label: 'Risk', value: RISK_LABEL[request.risk.level] },
      ],
    },
    ...(request.run ? [runCommandBlock(request.run)] : []),
    { type: 'text', text: `**What and where** (${draft.accessLevel})\n${permissionLines(draft)}` },
    // A multi-account draft: at submit each further account becomes its own request, to its own approvers.
    ...(draft.alsoIn ?? []).map((other): CardBlock => ({
      type: 'text',
      text: `**Also in ${literal(other.accountName)}** (${other.accountId}), as its own request\n${permissionLines(other)}`,
    })),
    { type: 'text', text: `**Why**\n${literal(draft.justification)}` },
  ];
  const context = [`Risk: ${request.risk.reasons.join('; ')}`];
  if (draft.broad) context.push('⚠️ Broad draft: no specific intent matched, so every action of the access level is listed.');
  context.push(...draft.notes);
  blocks.push({ type: 'context', text: context.map(literal).join('\n') });
  return blocks;
}

/** An approval by Warden itself is an auto-approval rule at work, and says so. */
function approverName(id: string, directory: Directory): string {
  return id === SYSTEM_ACTOR ? 'Warden (automatically, under an access rule)' : literal(directory.displayName(id));
}

function outcomeLine(request: AccessRequest, directory: Directory): string | null {
  const name = (id: string) => approverName(id, directory);
  const approvals = request.approvals.map((a) => `${name(a.userId)} at ${formatTime(a.at)}`).join(', ');
  const run = runOutcomeLine(request, directory, approvals);
  if (run !== null) return run;
  switch (request.state) {
    case 'pending_approval':
      return request.approvals.length > 0
        ? `${request.approvals.length} of ${request.quorum} approvals: ${approvals}`
        : `Needs ${request.quorum} approval${request.quorum > 1 ? 's' : ''} from: ${request.approverIds.map(name).join(', ')}`;
    case 'approved':
    case 'granting':
      return `✅ Approved by ${approvals}. Granting…`;
    case 'active':
      return `✅ Approved by ${approvals}. Active until ${formatTime(request.grant?.expiresAt ?? '')}.`;
    case 'denied':
      return request.denial ? `⛔ Denied by ${name(request.denial.userId)} at ${formatTime(request.denial.at)}: ${literal(request.denial.reason)}` : '⛔ Denied';
    case 'cancelled':
      return `🚫 Cancelled by ${name(request.cancellation?.userId ?? request.requesterId)}`;
    case 'expired':
      return request.grant ? `⌛ Expired at ${formatTime(request.grant.expiresAt)}; access revoked.` : '⌛ Expired before anyone decided.';
    case 'revoked':
      return `⏹️ Ended early${request.cancellation ? ` by ${name(request.cancellation.userId)}` : ''}; access revoked.`;
    case 'failed':
      return `❗ Granting failed: ${literal(request.failure ?? 'unknown error')}`;
    case 'drafting':
      return null;
  }
}

/** What the requester sees after drafting: the proposal with Submit / Edit / Cancel. */
export function draftPreviewCard(request: AccessRequest, directory: Directory): Card {
  const blocks: CardBlock[] = [{ type: 'header', text: `Access request ${request.id}` }, ...requestFacts(request, directory)];
  if (request.state === 'drafting') {
    blocks.push({
      type: 'actions',
      actions: [
        { id: 'draft.submit', label: 'Submit', value: request.id, style: 'primary' },
        { id: 'draft.edit', label: 'Edit', value: request.id },
        { id: 'draft.cancel', label: 'Cancel', value: request.id, style: 'danger' },
      ],
    });
  } else {
    blocks.push({ type: 'context', text: `${stateLabel(request.state)}${outcomeLine(request, directory) ? ` · ${outcomeLine(request, directory)}` : ''}` });
  }
  return { fallback: `Draft access request ${request.id} for ${request.draft.accountName}`, blocks };
}

/** What the deterministic checks found: SCP verdicts per action and resource, added conditions, findings. */
function reviewBlocks(request: AccessRequest): CardBlock[] {
  const review = request.review;
  if (!review) return [];
  const lines: string[] = [];
  if (review.verdicts.length > 0) lines.push('**Organization SCPs (simulated)**', ...review.verdicts.map((v) => `- ${literal(v)}`));
  else if (review.scpNote) lines.push(`**Organization SCPs:** ${literal(review.scpNote)}`);
  if (review.conditions.length > 0) {
    lines.push('**Conditions Warden adds**', ...review.conditions.map((c) => `- ${code(`${c.operator} ${c.key} = ${c.values.join(', ')}`)}: ${literal(c.reason)}`));
  }
  if (review.findings.length > 0) lines.push('**Findings**', ...review.findings.map((f) => `- ${literal(f)}`));
  return lines.length > 0 ? [{ type: 'text', text: lines.join('\n') }] : [];
}

/** The approver's card: the facts, the votes so far and, while pending, Approve / Deny. */
export function approvalCard(request: AccessRequest, directory: Directory): Card {
  const requester = directory.displayName(request.requesterId);
  const blocks: CardBlock[] = [
    { type: 'header', text: request.run ? `${requester} asks to run a command in ${request.draft.accountName}` : `${requester} requests access to ${request.draft.accountName}` },
    ...requestFacts(request, directory),
    ...reviewBlocks(request),
    { type: 'divider' },
  ];
  const outcome = outcomeLine(request, directory);
  blocks.push({ type: 'text', text: `**${stateLabel(request.state)}**${outcome ? `\n${outcome}` : ''}` });
  if (request.state === 'pending_approval') {
    blocks.push({
      type: 'actions',
      actions: [
        { id: 'request.approve', label: 'Approve', value: request.id, style: 'primary' },
        { id: 'request.deny', label: 'Deny', value: request.id, style: 'danger' },
      ],
    });
  }
  blocks.push({ type: 'context', text: `Request ${code(request.id)}` });
  const fallback = request.run
    ? `${requester} asks to run a command on ${request.run.instanceId} in ${request.draft.accountName} (${request.id})`
    : `${requester} requests ${request.draft.accessLevel} access to ${request.draft.accountName} (${request.id})`;
  return { fallback, blocks };
}

/**
 * What an auto-approval rule's approvers get: the same facts as an approval card, marked as for
 * information, with no buttons (there is nothing left to decide). It is posted once and not updated.
 */
export function autoApprovedCard(request: AccessRequest, directory: Directory, ruleName: string): Card {
  const requester = directory.displayName(request.requesterId);
  const blocks: CardBlock[] = [
    { type: 'header', text: `${requester}'s access to ${request.draft.accountName} was approved automatically` },
    ...requestFacts(request, directory),
    ...reviewBlocks(request),
    { type: 'divider' },
    {
      type: 'text',
      text: `**✅ Approved automatically** under access rule ${code(ruleName)}, which names you as an approver. Nothing to do: this is for your information.`,
    },
    { type: 'context', text: `Request ${code(request.id)}` },
  ];
  return { fallback: `For your information: ${requester}'s ${request.draft.accessLevel} access to ${request.draft.accountName} was approved automatically under rule ${ruleName} (${request.id})`, blocks };
}

/** One request as its requester follows it (`/access status`). */
export function statusCard(request: AccessRequest, directory: Directory): Card {
  const outcome = outcomeLine(request, directory);
  const blocks: CardBlock[] = [
    { type: 'header', text: `Access request ${request.id}` },
    { type: 'text', text: `**${stateLabel(request.state)}**${outcome ? `\n${outcome}` : ''}` },
    ...requestFacts(request, directory),
  ];
  if (request.state === 'active') {
    blocks.push({ type: 'actions', actions: [{ id: 'grant.release', label: 'End access now', value: request.id, style: 'danger' }] });
  }
  return { fallback: `Request ${request.id}: ${stateLabel(request.state)}`, blocks };
}

export function requestListCard(requests: AccessRequest[], more: boolean): Card {
  if (requests.length === 0) {
    return notice('You have no access requests yet. Describe what you need in a DM to me, or run `/access request`.');
  }
  const lines = requests.map(
    (r) =>
      `- ${code(r.id)} ${stateLabel(r.state)} · ${r.draft.accessLevel} on ${literal(r.draft.accountName)} · ${r.run ? `run on ${code(r.run.instanceId)}` : formatDuration(r.draft.durationMinutes)} · ${formatTime(r.createdAt)}`,
  );
  if (more) lines.push('_Older requests not shown._');
  return { fallback: `${requests.length} access requests`, blocks: [{ type: 'header', text: 'Your access requests' }, { type: 'text', text: lines.join('\n') }] };
}

export function questionsCard(questions: string[]): Card {
  const text = questions.length === 1 ? questions[0]! : questions.map((q) => `- ${q}`).join('\n');
  return { fallback: questions.join(' '), blocks: [{ type: 'text', text }, { type: 'context', text: 'Answer in this thread.' }] };
}

export function problemsCard(intro: string, problems: CheckProblem[]): Card {
  return {
    fallback: `${intro} ${problems.map((p) => p.message).join(' ')}`,
    blocks: [{ type: 'text', text: `${intro}\n${problems.map((p) => `- ${p.message}`).join('\n')}` }],
  };
}

export function notice(text: string): Card {
  return { fallback: text, blocks: [{ type: 'text', text }] };
}
