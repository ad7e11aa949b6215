/**
 * Turns the model's proposal into a PermissionDraft and lists what is wrong with it, in sentences the
 * model can act on in a repair turn. The same catalog checks run again in checkDraft before any
 * approver sees the request; this pass exists so the model gets a chance to fix its own mistakes.
 */
import type { Directory } from '../access/directory.js';
import type { AccessLevel, AccountStatements, DraftStatement, PermissionDraft } from '../access/types.js';
import type { AccessRules, Account, Org } from '../config/schemas.js';
import { highestLevel } from '../policy/access-levels.js';
import { parseArn } from '../policy/arn.js';
import type { IamCatalog } from '../policy/catalog.js';
import { statementsInAccount } from '../policy/statements.js';
import { validateDraft } from '../policy/validate.js';
import { accountLimit } from './draft-context.js';
import type { DraftProposal } from './draft-schema.js';

export interface ReviewDeps {
  catalog: IamCatalog;
  org: Org;
  rules: AccessRules;
  directory: Directory;
}

export type Review = { ok: true; draft: PermissionDraft } | { ok: false; problems: string[] };

async function canonicalStatements(catalog: IamCatalog, statements: DraftProposal['statements']): Promise<DraftStatement[]> {
  const out: DraftStatement[] = [];
  for (const s of statements) {
    const actions: string[] = [];
    for (const raw of s.actions) {
      // The catalog's spelling ("s3:GetObject" for "S3:getobject"); unknown names stay as written for the checks to report.
      const action = (await catalog.actionExists(raw.trim())) ?? raw.trim();
      if (!actions.includes(action)) actions.push(action);
    }
    out.push({ actions, resources: [...new Set(s.resources.map((r) => r.trim()))] });
  }
  return out;
}

function knownAccounts(org: Org): string {
  return org.accounts.map((a) => `${a.name} (${a.id})`).join(', ');
}

/** The further accounts the model named (by name or id), in its order, without repeats or the first account. */
function furtherAccounts(org: Org, first: Account, named: readonly string[]): { accounts: Account[]; problems: string[] } {
  const accounts: Account[] = [];
  const problems: string[] = [];
  for (const given of named) {
    const wanted = given.trim().toLowerCase();
    const account = org.accounts.find((a) => a.id === wanted || a.name.toLowerCase() === wanted);
    if (!account) {
      problems.push(`alsoInAccounts: "${given.trim()}" is not an account Warden manages; use the names or ids of: ${knownAccounts(org)}.`);
    } else if (account.id !== first.id && !accounts.includes(account)) {
      accounts.push(account);
    }
  }
  return { accounts, problems };
}

/** The requester's limit in one account, as problems for the model. */
function limitProblems(deps: ReviewDeps, requesterId: string, account: Account, minutes: number): string[] {
  const limit = accountLimit(deps, requesterId, account);
  if (!limit.ok) return [limit.reason];
  if (minutes > limit.maxMinutes) return [`${minutes} minutes is longer than the ${limit.maxMinutes} minutes this requester may ask for in ${account.name}.`];
  return [];
}

export async function reviewProposal(deps: ReviewDeps, requesterId: string, proposal: DraftProposal): Promise<Review> {
  const account = deps.org.accounts.find((a) => a.id === proposal.accountId);
  if (!account) {
    return { ok: false, problems: [`Account ${proposal.accountId} is not one Warden manages; use the id of one of: ${knownAccounts(deps.org)}.`] };
  }
  const draft: PermissionDraft = {
    accountId: account.id,
    accountName: account.name,
    accessLevel: proposal.accessLevel,
    statements: await canonicalStatements(deps.catalog, proposal.statements),
    durationMinutes: proposal.durationMinutes,
    justification: proposal.justification.replace(/\s+/g, ' ').trim(),
    broad: false,
    notes: [],
  };

  const problems = (await validateDraft(draft, deps.catalog)).map((p) => p.message);
  for (const resource of draft.statements.flatMap((s) => s.resources)) {
    const arnAccount = parseArn(resource)?.account;
    if (arnAccount && arnAccount !== account.id) {
      problems.push(`${resource} is in account ${arnAccount}, not ${account.name} (${account.id}); the statements are for ${account.name} only (name more accounts in alsoInAccounts).`);
    }
  }
  problems.push(...limitProblems(deps, requesterId, account, draft.durationMinutes));
  // The same access in more accounts: each must be one Warden manages and one the requester may ask in.
  const further = furtherAccounts(deps.org, account, proposal.alsoInAccounts ?? []);
  problems.push(...further.problems);
  for (const other of further.accounts) problems.push(...limitProblems(deps, requesterId, other, draft.durationMinutes));
  if (problems.length > 0) return { ok: false, problems: [...new Set(problems)] };

  // A ceiling above what the actions need only makes the request look riskier: tighten it to the actions.
  const levels: AccessLevel[] = [];
  for (const action of draft.statements.flatMap((s) => s.actions)) {
    const known = await deps.catalog.action(action);
    if (known) levels.push(known.level);
  }
  draft.accessLevel = highestLevel(levels) ?? draft.accessLevel;
  // As the offline drafter builds them: each further account with the statements' ARNs in that account.
  // Untrusted like the rest: at submit each becomes its own request and goes through every check.
  const alsoIn = further.accounts.map(
    (other): AccountStatements => ({ accountId: other.id, accountName: other.name, statements: statementsInAccount(draft.statements, account, other) }),
  );
  if (alsoIn.length > 0) draft.alsoIn = alsoIn;
  return { ok: true, draft };
}
