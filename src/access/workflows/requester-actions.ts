import { notice } from '../../chat/cards/request-cards.js';
import type { AccessDeps } from '../deps.js';
import { UserFacingError } from '../errors.js';
import { loadRequest, transition } from '../transition.js';
import type { AccessRequest } from '../types.js';
import { endGrant } from './grant.js';
import { syncCards } from './sync-cards.js';

/** The requester withdraws a draft or a pending request. */
export async function cancelRequest(deps: AccessDeps, requestId: string, actorId: string): Promise<AccessRequest> {
  const request = await loadRequest(deps, requestId);
  if (request.requesterId !== actorId) throw new UserFacingError('Only the requester can cancel a request.');
  if (request.state === 'active') throw new UserFacingError(`Request \`${request.id}\` is already active: use \`/access release ${request.id}\` to end it.`);
  if (request.state !== 'drafting' && request.state !== 'pending_approval') {
    throw new UserFacingError(`Request \`${request.id}\` is ${request.state.replace('_', ' ')} and can no longer be cancelled.`);
  }
  const next = await transition(deps, request, {
    to: 'cancelled',
    actorId,
    event: 'request.cancelled',
    change: () => ({ cancellation: { userId: actorId, at: deps.clock.now().toISOString(), reason: 'cancelled by requester' } }),
  });
  if (!next) throw new UserFacingError('This request changed at the same moment. Check `/access status ' + request.id + '`.');
  await syncCards(deps, next);
  await deps.notifier.post({ kind: 'thread', origin: next.origin }, notice(`🚫 \`${next.id}\` was cancelled.`));
  return next;
}

/** The requester ends an active grant before its expiry. */
export async function releaseGrant(deps: AccessDeps, requestId: string, actorId: string): Promise<AccessRequest> {
  const request = await loadRequest(deps, requestId);
  if (request.requesterId !== actorId) throw new UserFacingError('Only the requester can end their access early.');
  if (request.state !== 'active') throw new UserFacingError(`Request \`${request.id}\` has no active access to end (it is ${request.state.replace('_', ' ')}).`);
  const ended = await endGrant(deps, request, { to: 'revoked', actorId });
  if (!ended) throw new UserFacingError('This access changed at the same moment. Check `/access status ' + request.id + '`.');
  return ended;
}

/** What `/access status` may show: one's own requests, or those one approves. */
export async function requestForViewer(deps: AccessDeps, requestId: string, viewerId: string): Promise<AccessRequest> {
  const request = await loadRequest(deps, requestId);
  if (request.requesterId !== viewerId && !request.approverIds.includes(viewerId)) {
    throw new UserFacingError(`There is no request \`${requestId}\` of yours. \`/access list\` shows yours.`);
  }
  return request;
}
