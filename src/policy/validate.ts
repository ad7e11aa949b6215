/**
 * Deterministic checks of a draft's actions and resources against the IAM catalog. Whoever wrote
 * the draft (the AI, the offline drafter, a person) is not trusted: this runs before every submit.
 */
import type { AccessLevel, PermissionDraft } from '../access/types.js';
import { fitsCeiling, levelsUnder } from './access-levels.js';
import { parseArn } from './arn.js';
import { splitActionName, type CatalogAction, type IamCatalog } from './catalog.js';
import { article, listWithOr } from './wording.js';

export type DraftProblemCode =
  | 'empty-statement'
  | 'malformed-action'
  | 'wildcard-action'
  | 'unknown-service'
  | 'unknown-action'
  | 'above-access-level'
  | 'wildcard-resource'
  | 'malformed-resource'
  | 'resource-type-mismatch';

export interface DraftProblem {
  code: DraftProblemCode;
  /** One sentence a requester or approver understands, with the fix when there is one. */
  message: string;
  action?: string;
  resource?: string;
  suggestions?: string[];
}

function didYouMean(suggestions: readonly string[]): string {
  return suggestions.length > 0 ? ` Did you mean ${listWithOr(suggestions)}?` : '';
}

async function checkAction(catalog: IamCatalog, raw: string, ceiling: AccessLevel): Promise<DraftProblem | CatalogAction> {
  const action = raw.trim();
  if (/[*?]/.test(action)) {
    return {
      code: 'wildcard-action',
      action,
      message: `${action} is a wildcard: it grants every matching action, including ones added to AWS later. Name each action instead.`,
    };
  }
  const parts = splitActionName(action);
  if (!parts) {
    return { code: 'malformed-action', action, message: `"${action}" is not an IAM action; actions look like "s3:GetObject".` };
  }
  if (!(await catalog.serviceExists(parts.service))) {
    const suggestions = await catalog.closest(action);
    return {
      code: 'unknown-service',
      action,
      suggestions,
      message: `${action}: "${parts.service}" is not an IAM service prefix.${didYouMean(suggestions)}`,
    };
  }
  const known = await catalog.action(action);
  if (!known) {
    const suggestions = await catalog.closest(action);
    return { code: 'unknown-action', action, suggestions, message: `${action} is not an IAM action.${didYouMean(suggestions)}` };
  }
  if (!fitsCeiling(known.level, ceiling)) {
    return {
      code: 'above-access-level',
      action: known.id,
      message: `${known.id} is a ${known.accessLevels.join(', ')} action; a ${ceiling} request may hold ${listWithOr(levelsUnder(ceiling))} actions only.`,
    };
  }
  return known;
}

/** Unknown actions (with suggestions), wildcards, and actions above the draft's access level. */
export async function validateDraftActions(draft: PermissionDraft, catalog: IamCatalog): Promise<DraftProblem[]> {
  const problems: DraftProblem[] = [];
  for (const statement of draft.statements) {
    if (statement.actions.length === 0) {
      problems.push({ code: 'empty-statement', message: 'A statement has no actions.' });
    }
    for (const raw of statement.actions) {
      const checked = await checkAction(catalog, raw, draft.accessLevel);
      if ('code' in checked) problems.push(checked);
    }
  }
  return dedupe(problems);
}

/**
 * "*" only for actions IAM cannot limit to a resource, and no action that would grant nothing: each
 * must match at least one of its statement's resources (an object action on a bucket ARN matches
 * none), and each ARN must be something at least one of the statement's actions applies to.
 */
export async function validateDraftResources(draft: PermissionDraft, catalog: IamCatalog): Promise<DraftProblem[]> {
  const problems: DraftProblem[] = [];
  for (const statement of draft.statements) {
    if (statement.resources.length === 0) {
      problems.push({ code: 'empty-statement', message: 'A statement has no resources.' });
      continue;
    }
    const actions: CatalogAction[] = [];
    for (const raw of statement.actions) {
      const known = await catalog.action(raw.trim());
      if (known) actions.push(known);
    }
    const hasWildcard = statement.resources.includes('*');
    const arns: string[] = [];
    for (const resource of statement.resources) {
      if (resource === '*') continue;
      if (parseArn(resource)) arns.push(resource);
      else problems.push({ code: 'malformed-resource', resource, message: `"${resource}" is not an ARN.` });
    }
    const usedArns = new Set<string>();
    for (const action of actions) {
      const types = action.resourceTypes.map((r) => r.name).join(' or ');
      if (hasWildcard && !action.isWildcardOnly) {
        problems.push({
          code: 'wildcard-resource',
          action: action.id,
          resource: '*',
          message: `${action.id} on "*" applies to every ${types} in the account; name the resources instead.`,
        });
      }
      if (action.isWildcardOnly) {
        if (!hasWildcard) {
          problems.push({
            code: 'resource-type-mismatch',
            action: action.id,
            message: `${action.id} cannot be limited to a resource, so it grants nothing here; give it a statement on "*".`,
          });
        }
        continue;
      }
      const matched: string[] = [];
      for (const arn of arns) if (await appliesTo(catalog, action, arn)) matched.push(arn);
      matched.forEach((arn) => usedArns.add(arn));
      if (matched.length === 0 && !hasWildcard) {
        problems.push({
          code: 'resource-type-mismatch',
          action: action.id,
          message: `${action.id} applies to none of its statement's resources, so it grants nothing; it needs ${article(types)} ARN.`,
        });
      }
    }
    if (actions.length === statement.actions.length) {
      for (const arn of arns.filter((a) => !usedArns.has(a))) {
        problems.push({
          code: 'resource-type-mismatch',
          resource: arn,
          message: `${arn} is not a resource any action of its statement applies to.`,
        });
      }
    }
  }
  return dedupe(problems);
}

async function appliesTo(catalog: IamCatalog, action: CatalogAction, arn: string): Promise<boolean> {
  for (const type of action.resourceTypes) {
    for (const pattern of await catalog.arnPatterns(action.service, type.name)) if (pattern.matches(arn)) return true;
  }
  return false;
}

/** Both checks; what every draft must pass before it is submitted. */
export async function validateDraft(draft: PermissionDraft, catalog: IamCatalog): Promise<DraftProblem[]> {
  return [...(await validateDraftActions(draft, catalog)), ...(await validateDraftResources(draft, catalog))];
}

function dedupe(problems: DraftProblem[]): DraftProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.code}|${p.action ?? ''}|${p.resource ?? ''}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Every catalog level of the draft's known actions, for the risk assessment. */
export async function catalogLevels(draft: PermissionDraft, catalog: IamCatalog): Promise<AccessLevel[]> {
  const levels = new Set<AccessLevel>();
  for (const statement of draft.statements) {
    for (const raw of statement.actions) {
      for (const level of (await catalog.action(raw.trim()))?.accessLevels ?? []) levels.add(level);
    }
  }
  return [...levels];
}
