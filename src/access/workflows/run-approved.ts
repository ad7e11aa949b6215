import { notice } from '../../chat/cards/request-cards.js';
import { runFailedText, runResultCard } from '../../chat/cards/run-cards.js';
import { errorText } from '../audit.js';
import type { CommandRunOutcome } from '../command-runner.js';
import type { AccessDeps } from '../deps.js';
import { transition } from '../transition.js';
import type { AccessRequest, Grant } from '../types.js';
import { syncCards } from './sync-cards.js';

/**
 * Runs the one command of an approved `/run` and ends the request: a one-shot grant, so it goes
 * from granting straight to expired (with the command's result) or to failed, never to active.
 * Only the writer that wins approved → granting runs it, so a double click never runs it twice.
 */
export async function runApproved(deps: AccessDeps, approved: AccessRequest): Promise<AccessRequest> {
  const run = approved.run;
  if (!run) throw new Error(`Request ${approved.id} has no command to run.`);
  const granting = await transition(deps, approved, {
    to: 'granting',
    actorId: 'warden',
    event: 'run.started',
    detail: { instanceId: run.instanceId, document: run.document, mode: deps.commandRunner?.mode ?? 'none' },
  });
  if (!granting) return (await deps.store.getRequest(approved.id)) ?? approved;

  const startedAt = deps.clock.now();
  let outcome: CommandRunOutcome | undefined;
  let failure: string | undefined;
  try {
    const account = deps.directory.account(granting.draft.accountId);
    if (!account) throw new Error(`account ${granting.draft.accountId} is no longer in the org config`);
    if (!deps.commandRunner) throw new Error('this Warden has no command runner configured');
    outcome = await deps.commandRunner.run({ requestId: granting.id, accountId: account.id, region: account.region, instanceId: run.instanceId, command: run.command });
  } catch (error) {
    failure = errorText(error);
  }

  let ended: AccessRequest | null;
  if (outcome) {
    const ran = outcome;
    const grant: Grant = {
      grantedAt: startedAt.toISOString(),
      expiresAt: deps.clock.now().toISOString(),
      mode: deps.commandRunner?.mode ?? 'none',
      handle:
        ran.kind === 'ran'
          ? { kind: 'ssm-run', commandId: ran.commandId, status: ran.status, exitCode: ran.exitCode === null ? '' : String(ran.exitCode) }
          : { kind: 'ssm-run', status: 'dry-run' },
    };
    const detail = ran.kind === 'ran' ? { commandId: ran.commandId, status: ran.status, exitCode: ran.exitCode } : { dryRun: true, calls: ran.calls };
    ended = await transition(deps, granting, { to: 'expired', actorId: 'warden', event: 'run.completed', detail, change: () => ({ grant }) });
  } else {
    const text = failure ?? 'unknown error';
    ended = await transition(deps, granting, { to: 'failed', actorId: 'warden', event: 'run.failed', detail: { error: text }, change: () => ({ failure: text }) });
  }
  // Nothing else may move a request out of granting, so losing here means the store is inconsistent.
  if (!ended) throw new Error(`Request ${granting.id} changed while its command was running.`);
  await syncCards(deps, ended);
  const thread = { kind: 'thread', origin: ended.origin } as const;
  await deps.notifier.post(thread, outcome ? runResultCard(ended, outcome) : notice(runFailedText(ended, ended.failure ?? 'unknown error')));
  return ended;
}
