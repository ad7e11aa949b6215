/**
 * `/access ssh <instance-id… or Name> [account] [why…]`: Session Manager access drafted deterministically.
 * An EC2 Name tag is resolved to the one running instance of that name in the account (AWS mode only).
 *
 * The words become the modal's fields (service ssm, level Write, the instances as resources) so
 * the offline drafter's SSM session intent builds the policy: ssm:StartSession on the instances
 * and the SSM-SessionManagerRunShell document, Terminate/ResumeSession only on the caller's own
 * sessions (`session/${aws:userid}-*`). No AI is involved, whatever drafter is configured, because
 * every drafter's `fromFields` is the offline one. The draft then goes through the usual checks,
 * preview, Submit and approval.
 */
import type { Account } from '../../config/schemas.js';
import type { AccessDeps } from '../deps.js';
import type { FieldsDraftInput } from '../drafter.js';
import type { Origin } from '../types.js';
import { presentDraftResult } from './converse.js';
import { chooseAccount, findAccount, INSTANCE_ARN, INSTANCE_NAME, isInstance, resolveInstanceName } from './instance-target.js';

/** One command opens sessions on a handful of hosts; more is a fleet and deserves the form. */
const MAX_INSTANCES = 10;

export const SSH_USAGE = '`/access ssh <instance-id or Name> [account] [why]`, e.g. `/access ssh i-0abc123def4567890 payments-prod debug INC-42`';

export interface SessionAccessInput {
  requesterId: string;
  /** The words after `/access ssh`. */
  words: readonly string[];
}

export type SessionAccessPlan =
  /** Something is missing or wrong: tell the caller (ephemerally) and draft nothing. */
  | { kind: 'reply'; message: string }
  | { kind: 'fields'; fields: FieldsDraftInput; account: Account }
  /** The instance was given by its EC2 Name tag: `fields.resources` is filled once the name is resolved in `account`. */
  | { kind: 'name'; name: string; fields: FieldsDraftInput; account: Account };

/** Pure: the command's words → the fields to draft, or what to tell the requester. */
export function planSessionAccess(deps: AccessDeps, input: SessionAccessInput): SessionAccessPlan {
  const accounts = deps.directory.org.accounts;
  const instances: string[] = [];
  const arnAccounts = new Set<string>();
  let named: Account | undefined;
  let instanceName: string | undefined;
  const reason: string[] = [];
  const words = input.words.filter((w) => w !== '');
  for (const [index, word] of words.entries()) {
    // "i-1,i-2" lists instances; a comma anywhere else belongs to the reason.
    const parts = word.split(',').filter((p) => p !== '');
    if (parts.length > 0 && parts.every(isInstance)) {
      for (const part of parts) {
        const arnAccount = INSTANCE_ARN.exec(part)?.[1];
        if (arnAccount) arnAccounts.add(arnAccount);
        if (!instances.includes(part)) instances.push(part);
      }
      continue;
    }
    // Only the first word after the instances may name the account; later words are the reason.
    const account = named === undefined && reason.length === 0 ? findAccount(accounts, word) : undefined;
    if (account) named = account;
    else if (instances.length === 0 && /^i-/i.test(word)) return { kind: 'reply', message: `"${word}" is not an EC2 instance id (i- and 8 or 17 hex digits). Use ${SSH_USAGE}.` };
    // A first word that is neither an instance id nor an account is the instance's Name tag.
    else if (index === 0 && INSTANCE_NAME.test(word)) instanceName = word;
    else reason.push(word);
  }
  if (instances.length === 0 && instanceName === undefined) return { kind: 'reply', message: `Say which instance: ${SSH_USAGE}.` };
  if (instances.length > MAX_INSTANCES) return { kind: 'reply', message: `That is ${instances.length} instances; ask for at most ${MAX_INSTANCES} at once, or use \`/access request\`.` };

  // An instance ARN names its account; an instance id does not, so the requester must say.
  if (arnAccounts.size > 1) return { kind: 'reply', message: 'Those instances are in different accounts; one request covers one account.' };
  const [arnAccountId] = [...arnAccounts];
  if (named && arnAccountId && named.id !== arnAccountId) {
    return { kind: 'reply', message: `The instance ARN is in account ${arnAccountId}, not ${named.name} (${named.id}).` };
  }
  const wantedId = named?.id ?? arnAccountId;
  const target = instanceName ?? instances.join(',');
  const choice = chooseAccount(deps, input.requesterId, wantedId, (names) =>
    instanceName === undefined
      ? `Which account is ${instances.join(', ')} in? Say it after the instance: \`/access ssh ${target} <account>\`, with one of ${names}.`
      : `Which account is the instance named \`${instanceName}\` in? Say it after the name: \`/access ssh ${target} <account>\`, with one of ${names}.`,
  );
  if (choice.kind === 'reply') return choice;
  const { chosen } = choice;

  // No made-up default: approvers decide on the requester's own reason.
  const why = reason.join(' ').trim();
  if (why === '') return { kind: 'reply', message: `Say why you need the shell after the ${wantedId ? 'account' : 'instance'}: ${SSH_USAGE}.` };
  const fields: FieldsDraftInput = {
    requesterId: input.requesterId,
    account: chosen.account.id,
    service: 'ssm',
    accessLevel: 'Write',
    resources: instances,
    // The rules' default length, never more than this requester's rule allows.
    durationMinutes: Math.min(deps.rules.defaults.defaultDurationMinutes, chosen.maxMinutes),
    justification: why,
  };
  return instanceName === undefined ? { kind: 'fields', account: chosen.account, fields } : { kind: 'name', name: instanceName, account: chosen.account, fields };
}

export type SessionAccessOutcome = { kind: 'reply'; message: string } | { kind: 'presented'; text: string; requestId?: string };

/**
 * Plans, drafts and presents. `openThread` is called only once there is something to show, so a
 * mistyped command does not leave an empty thread behind.
 */
export async function requestSessionAccess(
  deps: AccessDeps,
  input: SessionAccessInput,
  openThread: () => Promise<Origin>,
): Promise<SessionAccessOutcome> {
  const plan = planSessionAccess(deps, input);
  if (plan.kind === 'reply') return plan;
  let fields = plan.fields;
  if (plan.kind === 'name') {
    const resolved = await resolveInstanceName(deps, plan.account, plan.name);
    if (resolved.kind === 'reply') return resolved;
    fields = { ...fields, resources: [resolved.instance.instanceId] };
  }
  const result = await deps.drafter.fromFields(fields);
  if (result.kind === 'error') return { kind: 'reply', message: result.message };
  const origin = await openThread();
  return { kind: 'presented', ...(await presentDraftResult(deps, input.requesterId, origin, result, null)) };
}
