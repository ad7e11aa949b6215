import type { ChatTarget } from '../../chat/notifier.js';
import type { AccessRule } from '../../config/schemas.js';
import { approvalCard, notice, problemsCard } from '../../chat/cards/request-cards.js';
import { errorText, recordAudit } from '../audit.js';
import { checkDraft } from '../checks.js';
import type { AccessDeps } from '../deps.js';
import { UserFacingError } from '../errors.js';
import { loadRequest, transition } from '../transition.js';
import type { AccessRequest } from '../types.js';
import { syncCards } from './sync-cards.js';

/**
 * The requester submits a draft. The checks run again on the stored draft (it may come from the AI
 * or an edit), then the request goes to the approvers the access rules name, never to the requester.
 */
export async function submitDraft(deps: AccessDeps, requestId: string, actorId: string): Promise<AccessRequest> {
  const request = await loadRequest(deps, requestId);
  if (request.requesterId !== actorId) throw new UserFacingError('Only the person who drafted this request can submit it.');
  if (request.state !== 'drafting') throw new UserFacingError(`Request \`${request.id}\` was already ${request.state.replace('_', ' ')}.`);

  const checked = await checkDraft(deps, actorId, request.draft);
  if (!checked.ok) {
    await deps.notifier.post({ kind: 'thread', origin: request.origin }, problemsCard('This request cannot be submitted:', checked.problems));
    throw new UserFacingError('The request no longer passes the policy checks; see the thread.');
  }
  const { route, risk, review } = checked;
  const pending = await transition(deps, request, {
    to: 'pending_approval',
    actorId,
    event: 'request.submitted',
    detail: { rule: route.ruleName, approvers: route.approverIds, quorum: route.quorum, risk },
    change: () => ({ approverIds: route.approverIds, quorum: route.quorum, risk, ...(review ? { review } : {}) }),
  });
  if (!pending) throw new UserFacingError('This request changed at the same moment. Check `/access status ' + request.id + '`.');

  const card = approvalCard(pending, deps.directory);
  const targets: ChatTarget[] =
    route.notify.mode === 'channel'
      ? channelTargets(route.notify)
      : route.approverIds.map((userId) => ({ kind: 'user', userId }) as const);
  const results = await Promise.allSettled(
    targets.map(async (target) => {
      const ref = await deps.notifier.post(target, card, 'approval');
      await deps.store.addMessageRef(pending.id, ref);
    }),
  );
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length > 0) {
    await recordAudit(deps, {
      requestId: pending.id,
      actorId: 'warden',
      type: 'approval_card.post_failed',
      detail: { failures: failed.map((f) => errorText(f.reason)) },
    });
  }
  await syncCards(deps, pending);
  const who = route.approverIds.map((id) => deps.directory.displayName(id)).join(', ');
  const warning = failed.length === targets.length ? ' ⚠️ No approver could be reached; tell them directly or ask the platform team.' : '';
  await deps.notifier.post(
    { kind: 'thread', origin: pending.origin },
    notice(`Submitted \`${pending.id}\`. Waiting for ${route.quorum} approval${route.quorum > 1 ? 's' : ''} from ${who}.${warning}`),
  );
  return pending;
}

/**
 * The approvers' channels of a channel rule, one card each: a Slack channel alone keeps going to the
 * first platform that knows it (as before Teams); with a Teams channel too, each goes to its own platform.
 */
function channelTargets(notify: Extract<AccessRule['notify'], { mode: 'channel' }>): ChatTarget[] {
  const targets: ChatTarget[] = [];
  if (notify.channel !== undefined) {
    targets.push(notify.teamsChannel !== undefined ? { kind: 'channel', channel: notify.channel, platform: 'slack' } : { kind: 'channel', channel: notify.channel });
  }
  if (notify.teamsChannel !== undefined) targets.push({ kind: 'channel', channel: notify.teamsChannel, platform: 'teams' });
  return targets;
}
