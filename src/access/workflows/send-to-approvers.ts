import type { ChatTarget } from '../../chat/notifier.js';
import type { AccessRule } from '../../config/schemas.js';
import { approvalCard, autoApprovedCard } from '../../chat/cards/request-cards.js';
import type { Card } from '../../chat/cards/model.js';
import type { ApprovalRoute } from '../../policy/access-rules.js';
import { errorText, recordAudit } from '../audit.js';
import type { CheckResult } from '../checks.js';
import type { AccessDeps } from '../deps.js';
import { UserFacingError } from '../errors.js';
import { SYSTEM_ACTOR } from '../lifecycle.js';
import { transition } from '../transition.js';
import type { AccessRequest } from '../types.js';
import { syncCards } from './sync-cards.js';

export type Routed =
  /** Approved by an auto-approval rule; the caller tells the requester, then grants. */
  | { kind: 'auto'; request: AccessRequest; ruleName: string }
  /** Waiting for its approvers; `line` says for whom, for the requester. */
  | { kind: 'pending'; request: AccessRequest; line: string }
  /** The requester cancelled it in the same instant; their move stands. */
  | { kind: 'lost'; request: AccessRequest };

/** Moves one checked request to its approvers: their cards, or Warden's own approval when the rule and the checks allow it. */
export async function sendToApprovers(deps: AccessDeps, request: AccessRequest, checked: Extract<CheckResult, { ok: true }>, change: Partial<AccessRequest> = {}): Promise<Routed> {
  const { route, risk, review, autoApproval } = checked;
  const pending = await transition(deps, request, {
    to: 'pending_approval',
    actorId: request.requesterId,
    event: 'request.submitted',
    detail: {
      rule: route.ruleName,
      approvers: route.approverIds,
      quorum: route.quorum,
      risk,
      ...(change.batchId ? { batchId: change.batchId } : {}),
      ...(autoApproval.apply ? { autoApprove: true } : autoApproval.reason ? { autoApproveWithheld: autoApproval.reason } : {}),
    },
    change: () => ({ ...change, approverIds: route.approverIds, quorum: route.quorum, risk, ...(review ? { review } : {}) }),
  });
  if (!pending) throw new UserFacingError('This request changed at the same moment. Check `/access status ' + request.id + '`.');
  if (autoApproval.apply) {
    const approved = await approveAutomatically(deps, pending, route);
    return approved ? { kind: 'auto', request: approved, ruleName: route.ruleName } : { kind: 'lost', request: (await deps.store.getRequest(pending.id)) ?? pending };
  }

  const card = approvalCard(pending, deps.directory);
  const { targets, failed } = await postToApprovers(deps, pending, route, card, true);
  await syncCards(deps, pending);
  const who = route.approverIds.map((id) => deps.directory.displayName(id)).join(', ');
  const warning = failed === targets ? ' ⚠️ No approver could be reached; tell them directly or ask the platform team.' : '';
  const withheld = autoApproval.reason ? `\n_Not approved automatically: ${autoApproval.reason}._` : '';
  return { kind: 'pending', request: pending, line: `Waiting for ${route.quorum} approval${route.quorum > 1 ? 's' : ''} from ${who}.${warning}${withheld}` };
}

/**
 * The rule auto-approves and every check passed: Warden itself makes the move to approved (through
 * the same compare-and-set as a human approval) and informs the approvers; the caller then grants
 * exactly as after a click. Null when the requester cancelled in the same instant.
 */
async function approveAutomatically(deps: AccessDeps, pending: AccessRequest, route: ApprovalRoute): Promise<AccessRequest | null> {
  const at = deps.clock.now().toISOString();
  const approved = await transition(deps, pending, {
    to: 'approved',
    actorId: SYSTEM_ACTOR,
    event: 'auto_approved',
    detail: { rule: route.ruleName, risk: pending.risk.level, accessLevel: pending.draft.accessLevel, account: pending.draft.accountName, notified: route.approverIds },
    change: () => ({ approvals: [{ userId: SYSTEM_ACTOR, at }] }),
  });
  if (!approved) return null;
  // For information only: the card has no buttons and is not kept in sync, so it is not stored as a message to update.
  await postToApprovers(deps, approved, route, autoApprovedCard(approved, deps.directory, route.ruleName), false);
  return approved;
}

/** One card to each approver target of the rule; a target that cannot be reached is audited, not fatal. */
async function postToApprovers(
  deps: AccessDeps,
  request: AccessRequest,
  route: ApprovalRoute,
  card: Card,
  keepInSync: boolean,
): Promise<{ targets: number; failed: number }> {
  const targets: ChatTarget[] =
    route.notify.mode === 'channel' ? channelTargets(route.notify) : route.approverIds.map((userId) => ({ kind: 'user', userId }) as const);
  const results = await Promise.allSettled(
    targets.map(async (target) => {
      const ref = await deps.notifier.post(target, card, 'approval');
      if (keepInSync) await deps.store.addMessageRef(request.id, ref);
    }),
  );
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length > 0) {
    await recordAudit(deps, {
      requestId: request.id,
      actorId: SYSTEM_ACTOR,
      type: 'approval_card.post_failed',
      detail: { failures: failed.map((f) => errorText(f.reason)) },
    });
  }
  return { targets: targets.length, failed: failed.length };
}

/**
 * The approvers' channels of a channel rule, one card each: a Slack channel alone keeps going to the
 * first platform that knows it (as before Teams); with a Teams channel too, each goes to its own platform.
 */
export function channelTargets(notify: Extract<AccessRule['notify'], { mode: 'channel' }>): ChatTarget[] {
  const targets: ChatTarget[] = [];
  if (notify.channel !== undefined) {
    targets.push(notify.teamsChannel !== undefined ? { kind: 'channel', channel: notify.channel, platform: 'slack' } : { kind: 'channel', channel: notify.channel });
  }
  if (notify.teamsChannel !== undefined) targets.push({ kind: 'channel', channel: notify.teamsChannel, platform: 'teams' });
  return targets;
}
