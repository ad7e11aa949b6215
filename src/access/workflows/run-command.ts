/**
 * `/run <instance-id or Name> [account] <why> -- <command>`: one shell command on one instance,
 * through the approval flow. The request is drafted deterministically (ssm:SendCommand on the
 * instance and the AWS-RunShellScript document, ssm:GetCommandInvocation to read the result), goes
 * through the same checks and routing as any request, and on approval Warden itself runs the command
 * (see run-approved.ts): the requester is granted nothing.
 *
 * The command is untrusted text. Warden never parses or changes it: approvers see it verbatim and
 * SSM receives it as one parameter value.
 */
import type { ChatTarget } from '../../chat/notifier.js';
import { approvalCard, notice, problemsCard } from '../../chat/cards/request-cards.js';
import { runCommandBlock } from '../../chat/cards/run-cards.js';
import type { Account } from '../../config/schemas.js';
import { errorText, recordAudit } from '../audit.js';
import { checkDraft, type CheckResult, type PolicyGate } from '../checks.js';
import type { AccessDeps } from '../deps.js';
import { transition } from '../transition.js';
import { RUN_DOCUMENT, type AccessRequest, type Origin, type PermissionDraft, type RunCommandSpec } from '../types.js';
import { chooseAccount, findAccount, INSTANCE_ARN, INSTANCE_ID, INSTANCE_NAME, resolveInstanceName } from './instance-target.js';
import { channelTargets } from './submit.js';
import { syncCards } from './sync-cards.js';

export const RUN_USAGE = '`/run <instance-id or Name> [account] <why> -- <command>`, e.g. `/run web-1 payments-prod INC-42 the export worker is stuck -- systemctl status export-worker`';

/** What a card can show in full, with room for the rest of the card. */
export const MAX_COMMAND_CHARS = 2000;
/**
 * Chat markup grows some characters (Slack writes `&` as `&amp;`, markdown escapes `*`): past this the
 * card could not show the whole command in one block, and a cut command must never reach approvers.
 */
const MAX_SHOWN_CHARS = 2600;

function shownLength(command: string): number {
  let length = 0;
  for (const c of command) length += c === '&' ? 5 : c === '<' || c === '>' ? 4 : '*_`[]\\'.includes(c) ? 2 : 1;
  return length;
}

/** The draft's duration, so the guardrails judge a run as the short write it is; the run itself is bounded by the runner's timeout. */
const RUN_WINDOW_MINUTES = 15;

export interface RunCommandInput {
  requesterId: string;
  /** Everything after `/run`, exactly as typed. */
  text: string;
}

type Reply = { kind: 'reply'; message: string };

export type RunPlan =
  | Reply
  | {
      kind: 'plan';
      account: Account;
      /** An instance id, or (with `byName`) the Name tag still to resolve. */
      instance: string;
      byName: boolean;
      justification: string;
      command: string;
      durationMinutes: number;
    };

/** The separator: `--` standing alone (or the em dash some keyboards turn it into). */
const SEPARATOR = /(?:^|\s)(?:--|—)(?:\s|$)/;

/** Pure: the text after `/run` → what to run where, or what to tell the requester. */
export function planRunCommand(deps: Pick<AccessDeps, 'rules' | 'directory'>, input: RunCommandInput): RunPlan {
  const match = SEPARATOR.exec(input.text);
  if (!match) return { kind: 'reply', message: `Put the command after \`--\`: ${RUN_USAGE}.` };
  const words = input.text.slice(0, match.index).trim().split(/\s+/).filter(Boolean);
  // Only the edges are trimmed: inner spaces and line breaks are part of the command.
  const command = input.text.slice(match.index + match[0].length).trim();
  if (command === '') return { kind: 'reply', message: `Say which command to run after \`--\`: ${RUN_USAGE}.` };
  if (command.length > MAX_COMMAND_CHARS || shownLength(command) > MAX_SHOWN_CHARS) {
    return { kind: 'reply', message: `That command is too long for approvers to read all of it on the card (${command.length} characters; keep it under about ${MAX_COMMAND_CHARS}, fewer with many & < > characters). Put a longer script on the instance and run that.` };
  }
  if (command.includes('```')) return { kind: 'reply', message: 'The command contains three backticks in a row, which the approval card cannot show exactly. Rewrite it without them.' };
  // Slack's card rendering turns "[text](https://…)" into a link even inside the code block, so approvers would not see it as typed.
  if (/\[[^\]]*\]\(https?:\/\/[^)\s]+\)/.test(command)) {
    return { kind: 'reply', message: 'The command contains `[text](https://…)`, which the approval card would show as a link instead of as typed. Rewrite that part (e.g. put the URL in a variable).' };
  }

  const [target, ...rest] = words;
  if (target === undefined) return { kind: 'reply', message: `Say which instance: ${RUN_USAGE}.` };
  if (target.includes(',')) return { kind: 'reply', message: 'A `/run` runs on one instance; send one `/run` per instance.' };
  const arn = INSTANCE_ARN.exec(target);
  const byName = !arn && !INSTANCE_ID.test(target);
  if (byName && (/^i-/i.test(target) || !INSTANCE_NAME.test(target))) {
    return { kind: 'reply', message: `"${target}" is neither an EC2 instance id (i- and 8 or 17 hex digits) nor an instance Name. Use ${RUN_USAGE}.` };
  }
  const accounts = deps.directory.org.accounts;
  const named = rest[0] === undefined ? undefined : findAccount(accounts, rest[0]);
  const reason = named ? rest.slice(1) : rest;
  const arnAccountId = arn?.[1];
  if (named && arnAccountId && named.id !== arnAccountId) {
    return { kind: 'reply', message: `The instance ARN is in account ${arnAccountId}, not ${named.name} (${named.id}).` };
  }
  const wantedId = named?.id ?? arnAccountId;
  const choice = chooseAccount(deps, input.requesterId, wantedId, (names) => `Which account is \`${target}\` in? Say it after the instance: \`/run ${target} <account> <why> -- …\`, with one of ${names}.`);
  if (choice.kind === 'reply') return choice;
  const why = reason.join(' ').trim();
  if (why === '') return { kind: 'reply', message: `Say why, before the \`--\`, so the approvers can judge it: ${RUN_USAGE}.` };
  return {
    kind: 'plan',
    account: choice.chosen.account,
    instance: arn?.[2] ?? target,
    byName,
    justification: why,
    command,
    durationMinutes: Math.max(5, Math.min(RUN_WINDOW_MINUTES, choice.chosen.maxMinutes)),
  };
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** Deterministic: exactly what Warden will do in the account, so the checks and approvers judge that. */
export function runDraft(account: Account, run: RunCommandSpec, justification: string, durationMinutes: number): PermissionDraft {
  const arn = (service: string, resource: string) => `arn:${partitionOf(account.region)}:${service}:${account.region}:${account.id}:${resource}`;
  return {
    accountId: account.id,
    accountName: account.name,
    accessLevel: 'Write',
    statements: [
      { actions: ['ssm:SendCommand'], resources: [arn('ec2', `instance/${run.instanceId}`), arn('ssm', `document/${run.document}`)] },
      // GetCommandInvocation has no resource type: IAM only accepts "*" for it.
      { actions: ['ssm:GetCommandInvocation'], resources: ['*'] },
    ],
    durationMinutes,
    justification,
    broad: false,
    notes: ['One-shot: on approval Warden sends this one command through its own role in the account and posts the output here. The requester gets no AWS permissions.'],
  };
}

/**
 * The deterministic gate, read for what a run is: ssm:SendCommand is an escalation path when a
 * person holds it, but here no one does; Warden sends the one command shown. That finding is kept
 * for the approvers to read instead of refusing, and the conditions a grant would carry are left
 * out because no policy is attached.
 */
function runGate(gate: PolicyGate | undefined): PolicyGate | undefined {
  if (!gate) return undefined;
  const isSendCommandEscalation = (p: { code: string; message: string }) => p.code === 'privilege-escalation' && p.message.startsWith('ssm:SendCommand ');
  return {
    async review(input) {
      const result = await gate.review(input);
      const moved = result.blockers.filter(isSendCommandEscalation);
      return {
        ...result,
        blockers: result.blockers.filter((b) => !isSendCommandEscalation(b)),
        review: {
          ...result.review,
          conditions: [],
          findings: [...moved.map((m) => `${m.message} Approve only a command you have read and would run yourself.`), ...result.review.findings],
        },
      };
    },
  };
}

export function checkRunDraft(deps: AccessDeps, requesterId: string, draft: PermissionDraft): Promise<CheckResult> {
  const gate = runGate(deps.policyGate);
  return checkDraft({ directory: deps.directory, rules: deps.rules, actionChecker: deps.actionChecker, clock: deps.clock, ...(gate ? { policyGate: gate } : {}) }, requesterId, draft);
}

export type RunCommandOutcome = Reply | { kind: 'refused'; requestId?: undefined } | { kind: 'submitted'; requestId: string };

/**
 * Plans, resolves the instance name, checks, stores and sends the request to its approvers.
 * `openThread` is called only once there is something to show in it.
 */
export async function requestRunCommand(deps: AccessDeps, input: RunCommandInput, openThread: () => Promise<Origin>): Promise<RunCommandOutcome> {
  if (!deps.commandRunner) return { kind: 'reply', message: '`/run` is not available: this Warden has no command runner configured. Ask the platform team.' };
  const plan = planRunCommand(deps, input);
  if (plan.kind === 'reply') return plan;
  let run: RunCommandSpec = { instanceId: plan.instance, command: plan.command, document: RUN_DOCUMENT };
  if (plan.byName) {
    const resolved = await resolveInstanceName(deps, plan.account, plan.instance);
    if (resolved.kind === 'reply') return resolved;
    run = { ...run, instanceId: resolved.instance.instanceId, instanceName: plan.instance };
  }
  const draft = runDraft(plan.account, run, plan.justification, plan.durationMinutes);
  const checked = await checkRunDraft(deps, input.requesterId, draft);
  const origin = await openThread();
  const thread: ChatTarget = { kind: 'thread', origin };
  await deps.notifier.post(thread, { fallback: `Command for ${run.instanceId}`, blocks: [runCommandBlock(run)] });
  if (!checked.ok) {
    await deps.notifier.post(thread, problemsCard('This command cannot be sent for approval:', checked.problems));
    await recordAudit(deps, { requestId: null, actorId: input.requesterId, type: 'run.refused', detail: { instanceId: run.instanceId, problems: checked.problems.map((p) => p.code) } });
    return { kind: 'refused' };
  }
  const request = await submitRun(deps, input.requesterId, origin, draft, run, checked);
  return { kind: 'submitted', requestId: request.id };
}

async function submitRun(
  deps: AccessDeps,
  requesterId: string,
  origin: Origin,
  draft: PermissionDraft,
  run: RunCommandSpec,
  checked: Extract<CheckResult, { ok: true }>,
): Promise<AccessRequest> {
  const { route, risk, review } = checked;
  const now = deps.clock.now().toISOString();
  const drafted: AccessRequest = {
    id: deps.ids.requestId(),
    state: 'drafting',
    version: 1,
    requesterId,
    draft,
    risk,
    approverIds: route.approverIds,
    quorum: route.quorum,
    approvals: [],
    run,
    origin,
    createdAt: now,
    updatedAt: now,
  };
  await deps.store.createRequest(drafted, { id: deps.ids.eventId(), at: now, requestId: drafted.id, actorId: requesterId, type: 'request.drafted', detail: { draft, run } });
  // The requester typed the whole request; there is nothing to edit, so it goes straight to the approvers.
  const pending = await transition(deps, drafted, {
    to: 'pending_approval',
    actorId: requesterId,
    event: 'request.submitted',
    detail: { rule: route.ruleName, approvers: route.approverIds, quorum: route.quorum, risk, run },
    change: () => (review ? { review } : {}),
  });
  if (!pending) throw new Error(`Request ${drafted.id} changed while it was being submitted.`);

  const card = approvalCard(pending, deps.directory);
  const targets: ChatTarget[] = route.notify.mode === 'channel' ? channelTargets(route.notify) : route.approverIds.map((userId) => ({ kind: 'user', userId }) as const);
  const results = await Promise.allSettled(
    targets.map(async (target) => {
      const ref = await deps.notifier.post(target, card, 'approval');
      await deps.store.addMessageRef(pending.id, ref);
    }),
  );
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length > 0) {
    await recordAudit(deps, { requestId: pending.id, actorId: 'warden', type: 'approval_card.post_failed', detail: { failures: failed.map((f) => errorText(f.reason)) } });
  }
  await syncCards(deps, pending);
  const who = route.approverIds.map((id) => deps.directory.displayName(id)).join(', ');
  const warning = failed.length === targets.length ? ' ⚠️ No approver could be reached; tell them directly or ask the platform team.' : '';
  await deps.notifier.post(
    { kind: 'thread', origin },
    notice(`Submitted \`${pending.id}\`: the command runs once ${route.quorum > 1 ? `${route.quorum} approvals arrive` : 'it is approved'}, from ${who}.${warning}`),
  );
  return pending;
}
