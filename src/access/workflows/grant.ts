import { notice } from '../../chat/cards/request-cards.js';
import { errorText, recordAudit } from '../audit.js';
import type { AccessDeps } from '../deps.js';
import { addMinutes, formatTime } from '../duration.js';
import { transition } from '../transition.js';
import type { AccessRequest } from '../types.js';
import { syncCards } from './sync-cards.js';
import { runApproved } from './run-approved.js';

/**
 * Applies an approved request. Only the writer that wins approved → granting calls the granter, so
 * a double click or two replicas never grant twice.
 */
export async function grantApproved(deps: AccessDeps, approved: AccessRequest): Promise<AccessRequest> {
  // A `/run` grants the requester nothing: Warden runs the one approved command and the request ends.
  if (approved.run) return runApproved(deps, approved);
  const granting = await transition(deps, approved, { to: 'granting', actorId: 'warden', event: 'grant.started' });
  if (!granting) return (await deps.store.getRequest(approved.id)) ?? approved;

  const requester = deps.directory.user(granting.requesterId);
  const account = deps.directory.account(granting.draft.accountId);
  const grantedAt = deps.clock.now();
  const expiresAt = addMinutes(grantedAt, granting.draft.durationMinutes);
  let outcome: AccessRequest | null;
  try {
    if (!requester) throw new Error(`requester ${granting.requesterId} is no longer in the org config`);
    if (!account) throw new Error(`account ${granting.draft.accountId} is no longer in the org config`);
    const handle = await deps.granter.grant({ request: granting, requester, account, grantedAt, expiresAt });
    const grant = { grantedAt: grantedAt.toISOString(), expiresAt: expiresAt.toISOString(), mode: deps.granter.mode, handle };
    outcome = await transition(deps, granting, { to: 'active', actorId: 'warden', event: 'grant.active', detail: { grant }, change: () => ({ grant }) });
  } catch (error) {
    const failure = errorText(error);
    outcome = await transition(deps, granting, { to: 'failed', actorId: 'warden', event: 'grant.failed', detail: { error: failure }, change: () => ({ failure }) });
  }
  // Nothing else may move a request out of granting, so losing here means the store is inconsistent.
  if (!outcome) throw new Error(`Request ${granting.id} changed while it was being granted.`);
  await syncCards(deps, outcome);
  const thread = { kind: 'thread', origin: outcome.origin } as const;
  if (outcome.state === 'active' && outcome.grant) {
    const roleArn = outcome.grant.handle['roleArn'];
    // A granter with no role to assume (Identity Center) says in `usage` how to use the access.
    const usage = outcome.grant.handle['usage'];
    const use = roleArn ? `\nUse it with:\n\`aws sts assume-role --role-arn ${roleArn} --role-session-name ${outcome.requesterId}\`` : usage ? `\n${usage}` : '';
    const dryRun = outcome.grant.mode === 'dry-run' ? '\n_Dry run: the AWS calls were recorded, not made._' : '';
    await deps.notifier.post(thread, notice(`🟢 Access for \`${outcome.id}\` is active until ${formatTime(outcome.grant.expiresAt)}.${use}${dryRun}`));
  } else {
    await deps.notifier.post(thread, notice(`❗ Granting \`${outcome.id}\` failed: ${outcome.failure}. The platform team has the details in the audit log.`));
  }
  return outcome;
}

/**
 * Removes a grant, then records the end. The granter runs first: if it fails the request stays active
 * and the next scheduler tick tries again (the expiry condition in the policy already blocks use).
 */
export async function endGrant(
  deps: AccessDeps,
  request: AccessRequest,
  how: { to: 'expired' | 'revoked'; actorId: string },
): Promise<AccessRequest | null> {
  if (request.state !== 'active' || !request.grant) return null;
  try {
    await deps.granter.revoke(request, request.grant);
  } catch (error) {
    await recordAudit(deps, { requestId: request.id, actorId: how.actorId, type: 'grant.revoke_failed', detail: { error: errorText(error) } });
    throw error;
  }
  const ended = await transition(deps, request, {
    to: how.to,
    actorId: how.actorId,
    event: how.to === 'expired' ? 'grant.expired' : 'grant.released',
    change: () => (how.to === 'revoked' ? { cancellation: { userId: how.actorId, at: deps.clock.now().toISOString(), reason: 'released early' } } : {}),
  });
  if (!ended) return null;
  await syncCards(deps, ended);
  const text =
    how.to === 'expired'
      ? `⌛ Access for \`${ended.id}\` expired and was revoked. Ask again in this thread if you need more time.`
      : `⏹️ Access for \`${ended.id}\` was ended early by ${deps.directory.displayName(how.actorId)} and revoked.`;
  await deps.notifier.post({ kind: 'thread', origin: ended.origin }, notice(text));
  return ended;
}
