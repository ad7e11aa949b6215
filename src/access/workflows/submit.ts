import { notice, problemsCard } from '../../chat/cards/request-cards.js';
import { draftsPerAccount } from '../batch.js';
import { checkDraft } from '../checks.js';
import type { AccessDeps } from '../deps.js';
import { UserFacingError } from '../errors.js';
import { loadRequest } from '../transition.js';
import type { AccessRequest } from '../types.js';
import { grantApproved } from './grant.js';
import { sendToApprovers } from './send-to-approvers.js';
import { submitBatch } from './submit-batch.js';

export { channelTargets } from './send-to-approvers.js';

/**
 * The requester submits a draft. The checks run again on the stored draft (it may come from the AI
 * or an edit), then the request goes to the approvers the access rules name, never to the requester.
 * A draft for several accounts becomes one request per account, linked by a batch id.
 */
export async function submitDraft(deps: AccessDeps, requestId: string, actorId: string): Promise<AccessRequest> {
  const request = await loadRequest(deps, requestId);
  if (request.requesterId !== actorId) throw new UserFacingError('Only the person who drafted this request can submit it.');
  if (request.state !== 'drafting') throw new UserFacingError(`Request \`${request.id}\` was already ${request.state.replace('_', ' ')}.`);

  const parts = draftsPerAccount(request.draft);
  if (parts.length > 1) return submitBatch(deps, request, parts);

  const checked = await checkDraft(deps, actorId, request.draft);
  if (!checked.ok) {
    await deps.notifier.post({ kind: 'thread', origin: request.origin }, problemsCard('This request cannot be submitted:', checked.problems));
    throw new UserFacingError('The request no longer passes the policy checks; see the thread.');
  }
  const routed = await sendToApprovers(deps, request, checked);
  if (routed.kind === 'auto') {
    await deps.notifier.post(
      { kind: 'thread', origin: routed.request.origin },
      notice(`✅ \`${routed.request.id}\` was approved automatically under rule "${routed.ruleName}". Granting access…`),
    );
    return grantApproved(deps, routed.request);
  }
  if (routed.kind === 'lost') return routed.request;
  await deps.notifier.post({ kind: 'thread', origin: routed.request.origin }, notice(`Submitted \`${routed.request.id}\`. ${routed.line}`));
  return routed.request;
}
