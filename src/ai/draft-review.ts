/**
 * Turns the model's proposal into a PermissionDraft and lists what is wrong with it, in sentences the
 * model can act on in a repair turn. The same catalog checks run again in checkDraft before any
 * approver sees the request; this pass exists so the model gets a chance to fix its own mistakes.
 */
import type { Directory } from '../access/directory.js';
import type { AccessLevel, DraftStatement, PermissionDraft } from '../access/types.js';
import type { AccessRules, Org } from '../config/schemas.js';
import { highestLevel } from '../policy/access-levels.js';
import { parseArn } from '../policy/arn.js';
import type { IamCatalog } from '../policy/catalog.js';
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

export async function reviewProposal(deps: ReviewDeps, requesterId: string, proposal: DraftProposal): Promise<Review> {
  const account = deps.org.accounts.find((a) => a.id === proposal.accountId);
  if (!account) {
    const known = deps.org.accounts.map((a) => `${a.name} (${a.id})`).join(', ');
    return { ok: false, problems: [`Account ${proposal.accountId} is not one Warden manages; use the id of one of: ${known}.`] };
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
      problems.push(`${resource} is in account ${arnAccount}, not ${account.name} (${account.id}); one request covers one account.`);
    }
  }
  const limit = accountLimit(deps, requesterId, account);
  if (!limit.ok) problems.push(limit.reason);
  else if (draft.durationMinutes > limit.maxMinutes) {
    problems.push(`${draft.durationMinutes} minutes is longer than the ${limit.maxMinutes} minutes this requester may ask for in ${account.name}.`);
  }
  if (problems.length > 0) return { ok: false, problems: [...new Set(problems)] };

  // A ceiling above what the actions need only makes the request look riskier: tighten it to the actions.
  const levels: AccessLevel[] = [];
  for (const action of draft.statements.flatMap((s) => s.actions)) {
    const known = await deps.catalog.action(action);
    if (known) levels.push(known.level);
  }
  draft.accessLevel = highestLevel(levels) ?? draft.accessLevel;
  return { ok: true, draft };
}
