import { literal } from '../../chat/cards/model.js';
import { notice } from '../../chat/cards/request-cards.js';
import type { AccessDeps } from '../deps.js';
import { UserFacingError } from '../errors.js';
import { loadRequest, transition } from '../transition.js';
import type { AccessRequest } from '../types.js';
import { grantApproved } from './grant.js';
import { syncCards } from './sync-cards.js';

// Lost compare-and-set races are retried on fresh state; a handful always suffices in practice.
const MAX_ATTEMPTS = 8;

function assertMayDecide(deps: AccessDeps, request: AccessRequest, actorId: string): void {
  if (request.requesterId === actorId) throw new UserFacingError('You cannot approve or deny your own request.');
  if (!request.approverIds.includes(actorId)) {
    const names = request.approverIds.map((id) => deps.directory.displayName(id)).join(', ');
    throw new UserFacingError(`Only ${names} can decide on request \`${request.id}\`.`);
  }
  if (request.state !== 'pending_approval') {
    throw new UserFacingError(`Request \`${request.id}\` is no longer waiting for approval (it is ${request.state.replace('_', ' ')}).`);
  }
}

/**
 * An approver approves. The clicking user is checked against the stored approvers (never the button's
 * value). When the quorum is reached exactly one writer wins the move to approved and grants.
 */
export async function approveRequest(deps: AccessDeps, requestId: string, actorId: string): Promise<AccessRequest> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const request = await loadRequest(deps, requestId);
    assertMayDecide(deps, request, actorId);
    if (request.approvals.some((a) => a.userId === actorId)) throw new UserFacingError('You already approved this request.');
    const approvals = [...request.approvals, { userId: actorId, at: deps.clock.now().toISOString() }];
    const reached = approvals.length >= request.quorum;
    const next = await transition(deps, request, {
      to: reached ? 'approved' : 'pending_approval',
      actorId,
      event: reached ? 'request.approved' : 'request.approval_added',
      detail: { approvals: approvals.length, quorum: request.quorum },
      change: () => ({ approvals }),
    });
    if (!next) continue;
    await syncCards(deps, next);
    if (!reached) return next;
    await deps.notifier.post(
      { kind: 'thread', origin: next.origin },
      notice(`✅ \`${next.id}\` was approved by ${approvals.map((a) => deps.directory.displayName(a.userId)).join(', ')}. ${next.run ? 'Running the command…' : 'Granting access…'}`),
    );
    return grantApproved(deps, next);
  }
  throw new UserFacingError('Too many people acted on this request at once. Try again.');
}

export async function denyRequest(deps: AccessDeps, requestId: string, actorId: string, reason: string): Promise<AccessRequest> {
  const trimmed = reason.trim();
  if (trimmed.length === 0) throw new UserFacingError('Give a reason, so the requester knows what to change.');
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const request = await loadRequest(deps, requestId);
    assertMayDecide(deps, request, actorId);
    const next = await transition(deps, request, {
      to: 'denied',
      actorId,
      event: 'request.denied',
      detail: { reason: trimmed },
      change: () => ({ denial: { userId: actorId, at: deps.clock.now().toISOString(), reason: trimmed } }),
    });
    if (!next) continue;
    await syncCards(deps, next);
    await deps.notifier.post(
      { kind: 'thread', origin: next.origin },
      notice(`⛔ \`${next.id}\` was denied by ${deps.directory.displayName(actorId)}: ${literal(trimmed)}`),
    );
    return next;
  }
  throw new UserFacingError('Too many people acted on this request at once. Try again.');
}

/**
 * Checks, before a Deny dialog opens, that the clicking user may deny: refusing after they typed a
 * reason would waste their time.
 */
export async function assertMayDeny(deps: AccessDeps, requestId: string, actorId: string): Promise<AccessRequest> {
  const request = await loadRequest(deps, requestId);
  assertMayDecide(deps, request, actorId);
  return request;
}
