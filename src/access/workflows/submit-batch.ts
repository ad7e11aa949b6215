import { notice, problemsCard } from '../../chat/cards/request-cards.js';
import { checkDraft, type CheckProblem, type CheckResult } from '../checks.js';
import type { AccessDeps } from '../deps.js';
import { UserFacingError } from '../errors.js';
import type { AccessRequest, PermissionDraft } from '../types.js';
import { grantApproved } from './grant.js';
import { sendToApprovers, type Routed } from './send-to-approvers.js';

/**
 * The same access in several accounts: every account's part must pass its own checks first (nothing
 * is submitted otherwise), then each becomes its own request, with its own approvers, quorum, grant and
 * expiry, linked by the first request's id. The requester gets one reply listing them all.
 */
export async function submitBatch(deps: AccessDeps, request: AccessRequest, parts: PermissionDraft[]): Promise<AccessRequest> {
  const checks: Extract<CheckResult, { ok: true }>[] = [];
  const problems: CheckProblem[] = [];
  for (const part of parts) {
    const checked = await checkDraft(deps, request.requesterId, part);
    if (checked.ok) checks.push(checked);
    else problems.push(...checked.problems.map((p) => ({ ...p, message: `${part.accountName}: ${p.message}` })));
  }
  if (problems.length > 0) {
    await deps.notifier.post({ kind: 'thread', origin: request.origin }, problemsCard('These requests cannot be submitted:', problems));
    throw new UserFacingError('The request no longer passes the policy checks; see the thread.');
  }
  const batchId = request.id;
  const requests: AccessRequest[] = [request];
  for (const part of parts.slice(1)) requests.push(await createSibling(deps, request, part, batchId));

  const routed: Routed[] = [];
  for (const [i, one] of requests.entries()) {
    routed.push(await sendToApprovers(deps, one, checks[i]!, { batchId, draft: parts[i]! }));
  }
  const lines = routed.map((r) => {
    const where = `\`${r.request.id}\` ${r.request.draft.accountName}`;
    if (r.kind === 'auto') return `- ${where}: ✅ approved automatically under rule "${r.ruleName}"; granting access…`;
    if (r.kind === 'lost') return `- ${where}: ${r.request.state.replace('_', ' ')}`;
    return `- ${where}: ${r.line.replace(/\n/g, ' ')}`;
  });
  await deps.notifier.post(
    { kind: 'thread', origin: request.origin },
    notice(`Submitted ${routed.length} requests, one per account, each decided and granted on its own:\n${lines.join('\n')}`),
  );
  for (const r of routed) if (r.kind === 'auto') await grantApproved(deps, r.request);
  return (await deps.store.getRequest(request.id)) ?? request;
}

/** A further account's request of a batch, drafted as the requester asked, in the same thread. */
async function createSibling(deps: AccessDeps, first: AccessRequest, draft: PermissionDraft, batchId: string): Promise<AccessRequest> {
  const now = deps.clock.now().toISOString();
  const sibling: AccessRequest = {
    id: deps.ids.requestId(),
    state: 'drafting',
    version: 1,
    requesterId: first.requesterId,
    draft,
    risk: first.risk,
    approverIds: [],
    quorum: 1,
    approvals: [],
    batchId,
    origin: first.origin,
    createdAt: now,
    updatedAt: now,
  };
  await deps.store.createRequest(sibling, { id: deps.ids.eventId(), at: now, requestId: sibling.id, actorId: first.requesterId, type: 'request.drafted', detail: { draft, batchId } });
  return sibling;
}
