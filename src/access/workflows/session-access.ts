/**
 * `/access ssh <instance-id…> [account] [why…]`: Session Manager access drafted deterministically.
 *
 * The words become the modal's fields (service ssm, level Write, the instances as resources) so
 * the offline drafter's SSM session intent builds the policy: ssm:StartSession on the instances
 * and the SSM-SessionManagerRunShell document, Terminate/ResumeSession only on the caller's own
 * sessions (`session/${aws:userid}-*`). No AI is involved, whatever drafter is configured, because
 * every drafter's `fromFields` is the offline one. The draft then goes through the usual checks,
 * preview, Submit and approval.
 */
import type { Account } from '../../config/schemas.js';
import { routeRequest } from '../../policy/access-rules.js';
import type { AccessDeps } from '../deps.js';
import type { FieldsDraftInput } from '../drafter.js';
import type { Origin } from '../types.js';
import { presentDraftResult } from './converse.js';

const INSTANCE_ID = /^i-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
const INSTANCE_ARN = /^arn:aws[a-z-]*:ec2:[a-z0-9-]+:(\d{12}):instance\/(i-[0-9a-f]{8}(?:[0-9a-f]{9})?)$/;
/** One command opens sessions on a handful of hosts; more is a fleet and deserves the form. */
const MAX_INSTANCES = 10;

export const SSH_USAGE = '`/access ssh <instance-id> [account] [why]`, e.g. `/access ssh i-0abc123def4567890 payments-prod debug INC-42`';

export interface SessionAccessInput {
  requesterId: string;
  /** The words after `/access ssh`. */
  words: readonly string[];
}

export type SessionAccessPlan =
  /** Something is missing or wrong: tell the caller (ephemerally) and draft nothing. */
  | { kind: 'reply'; message: string }
  | { kind: 'fields'; fields: FieldsDraftInput; account: Account };

function findAccount(accounts: readonly Account[], word: string): Account | undefined {
  const wanted = word.toLowerCase();
  return accounts.find((a) => a.id === word || a.name.toLowerCase() === wanted);
}

/** The accounts this requester may ask for access in, with the longest duration their rule allows. */
function allowedAccounts(deps: AccessDeps, requesterId: string): Array<{ account: Account; maxMinutes: number }> {
  return deps.directory.org.accounts.flatMap((account) => {
    const routed = routeRequest(deps.rules, deps.directory, requesterId, account);
    return routed.ok ? [{ account, maxMinutes: routed.route.maxDurationMinutes }] : [];
  });
}

/** Pure: the command's words → the fields to draft, or what to tell the requester. */
export function planSessionAccess(deps: AccessDeps, input: SessionAccessInput): SessionAccessPlan {
  const accounts = deps.directory.org.accounts;
  const instances: string[] = [];
  const arnAccounts = new Set<string>();
  let named: Account | undefined;
  const reason: string[] = [];
  const isInstance = (w: string) => INSTANCE_ID.test(w) || INSTANCE_ARN.test(w);
  for (const word of input.words.filter((w) => w !== '')) {
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
    else reason.push(word);
  }
  if (instances.length === 0) return { kind: 'reply', message: `Say which instance: ${SSH_USAGE}.` };
  if (instances.length > MAX_INSTANCES) return { kind: 'reply', message: `That is ${instances.length} instances; ask for at most ${MAX_INSTANCES} at once, or use \`/access request\`.` };

  // An instance ARN names its account; an instance id does not, so the requester must say.
  if (arnAccounts.size > 1) return { kind: 'reply', message: 'Those instances are in different accounts; one request covers one account.' };
  const [arnAccountId] = [...arnAccounts];
  if (named && arnAccountId && named.id !== arnAccountId) {
    return { kind: 'reply', message: `The instance ARN is in account ${arnAccountId}, not ${named.name} (${named.id}).` };
  }
  const allowed = allowedAccounts(deps, input.requesterId);
  const wantedId = named?.id ?? arnAccountId;
  let chosen: { account: Account; maxMinutes: number } | undefined;
  if (wantedId) {
    chosen = allowed.find((a) => a.account.id === wantedId);
    if (!chosen) {
      const known = accounts.find((a) => a.id === wantedId);
      return {
        kind: 'reply',
        message: known ? `You may not request access in ${known.name}.` : `Account ${wantedId} is not an account Warden manages.`,
      };
    }
  } else if (allowed.length === 1) {
    chosen = allowed[0];
  } else if (allowed.length === 0) {
    return { kind: 'reply', message: 'No access rule lets you request access in any account. Ask the platform team.' };
  } else {
    const names = allowed.map((a) => `\`${a.account.name}\``).join(', ');
    return { kind: 'reply', message: `Which account is ${instances.join(', ')} in? Say it after the instance: \`/access ssh ${instances.join(',')} <account>\`, with one of ${names}.` };
  }
  if (!chosen) return { kind: 'reply', message: `Say which account: ${SSH_USAGE}.` };

  // No made-up default: approvers decide on the requester's own reason.
  const why = reason.join(' ').trim();
  if (why === '') return { kind: 'reply', message: `Say why you need the shell after the ${wantedId ? 'account' : 'instance'}: ${SSH_USAGE}.` };
  return {
    kind: 'fields',
    account: chosen.account,
    fields: {
      requesterId: input.requesterId,
      account: chosen.account.id,
      service: 'ssm',
      accessLevel: 'Write',
      resources: instances,
      // The rules' default length, never more than this requester's rule allows.
      durationMinutes: Math.min(deps.rules.defaults.defaultDurationMinutes, chosen.maxMinutes),
      justification: why,
    },
  };
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
  const result = await deps.drafter.fromFields(plan.fields);
  if (result.kind === 'error') return { kind: 'reply', message: result.message };
  const origin = await openThread();
  return { kind: 'presented', ...(await presentDraftResult(deps, input.requesterId, origin, result, null)) };
}
