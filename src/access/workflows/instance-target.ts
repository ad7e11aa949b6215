/**
 * What `/access ssh` and `/run` share: which words are instances, which account the requester means
 * (and may use), and turning an EC2 Name tag into the one running instance it names.
 */
import type { Account } from '../../config/schemas.js';
import { routeRequest } from '../../policy/access-rules.js';
import { errorText } from '../audit.js';
import type { NamedInstance } from '../command-runner.js';
import type { AccessDeps } from '../deps.js';

export const INSTANCE_ID = /^i-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
export const INSTANCE_ARN = /^arn:aws[a-z-]*:ec2:[a-z0-9-]+:(\d{12}):instance\/(i-[0-9a-f]{8}(?:[0-9a-f]{9})?)$/;
/** What an EC2 Name tag may be when typed as one word of a command: no spaces, no markup. */
export const INSTANCE_NAME = /^[A-Za-z0-9][\w.:/@+=-]{0,127}$/;

export function isInstance(word: string): boolean {
  return INSTANCE_ID.test(word) || INSTANCE_ARN.test(word);
}

export function findAccount(accounts: readonly Account[], word: string): Account | undefined {
  const wanted = word.toLowerCase();
  return accounts.find((a) => a.id === word || a.name.toLowerCase() === wanted);
}

export interface AllowedAccount {
  account: Account;
  maxMinutes: number;
}

/** The accounts this requester may ask for access in, with the longest duration their rule allows. */
export function allowedAccounts(deps: Pick<AccessDeps, 'rules' | 'directory'>, requesterId: string): AllowedAccount[] {
  return deps.directory.org.accounts.flatMap((account) => {
    const routed = routeRequest(deps.rules, deps.directory, requesterId, account);
    return routed.ok ? [{ account, maxMinutes: routed.route.maxDurationMinutes }] : [];
  });
}

export type AccountChoice = { kind: 'account'; chosen: AllowedAccount } | { kind: 'reply'; message: string };

/**
 * The account the requester named (or an instance ARN named), else the only one they may use.
 * `whichAccount` phrases the question when several are possible.
 */
export function chooseAccount(
  deps: Pick<AccessDeps, 'rules' | 'directory'>,
  requesterId: string,
  wantedId: string | undefined,
  whichAccount: (names: string) => string,
): AccountChoice {
  const accounts = deps.directory.org.accounts;
  const allowed = allowedAccounts(deps, requesterId);
  if (wantedId) {
    const chosen = allowed.find((a) => a.account.id === wantedId);
    if (chosen) return { kind: 'account', chosen };
    const known = accounts.find((a) => a.id === wantedId);
    return { kind: 'reply', message: known ? `You may not request access in ${known.name}.` : `Account ${wantedId} is not an account Warden manages.` };
  }
  const [only] = allowed;
  if (only && allowed.length === 1) return { kind: 'account', chosen: only };
  if (allowed.length === 0) return { kind: 'reply', message: 'No access rule lets you request access in any account. Ask the platform team.' };
  return { kind: 'reply', message: whichAccount(allowed.map((a) => `\`${a.account.name}\``).join(', ')) };
}

export type NameResolution = { kind: 'instance'; instance: NamedInstance } | { kind: 'reply'; message: string };

/** The one running instance with this Name tag in the account's region, or what to tell the requester. */
export async function resolveInstanceName(deps: Pick<AccessDeps, 'instanceNames'>, account: Account, name: string): Promise<NameResolution> {
  const where = `${account.name} (${account.region})`;
  if (!deps.instanceNames) {
    return {
      kind: 'reply',
      message: `Warden is in dry-run mode, so it cannot look up instance names like \`${name}\` in AWS. Use the instance id (i-…) instead.`,
    };
  }
  let found: NamedInstance[];
  try {
    found = await deps.instanceNames.running(account, name);
  } catch (error) {
    return { kind: 'reply', message: `Could not look up instances named \`${name}\` in ${where}: ${errorText(error)} Use the instance id (i-…) instead.` };
  }
  const [only] = found;
  if (!only) return { kind: 'reply', message: `No running instance named \`${name}\` in ${where}. Check the name (it is the EC2 \`Name\` tag) or use the instance id.` };
  if (found.length > 1) {
    const ids = found.map((i) => `\`${i.instanceId}\``).join(', ');
    return { kind: 'reply', message: `${found.length} running instances are named \`${name}\` in ${where}: ${ids}. Say which one by its instance id.` };
  }
  return { kind: 'instance', instance: only };
}
