import type { AccessLevel, DraftStatement } from '../access/types.js';
import type { Account } from '../config/schemas.js';
import { fitsCeiling } from './access-levels.js';
import { ArnBuildError, parseArn } from './arn.js';
import type { IamCatalog } from './catalog.js';
import type { ResourceRef } from './intents.js';
import type { Target } from './targets.js';

/** One action to grant, where, and the level it was asked for under. */
export interface PlannedAction {
  action: string;
  on: readonly ResourceRef[];
  ceiling: AccessLevel;
}

export interface BuiltStatements {
  statements: DraftStatement[];
  /** Why something planned was left out; empty when the plan held up against the catalog. */
  notes: string[];
}

/** Variables every ARN of the account shares; a target's own values (from its ARN) win. */
export function accountValues(account: Account): Record<string, string> {
  return { Partition: 'aws', Region: account.region, Account: account.id, AccountId: account.id };
}

/**
 * Turns planned actions into statements, checking each against the catalog first: the action
 * exists (canonical spelling), its level fits, "*" only for wildcard-only actions, and typed
 * resources only where the catalog says the action applies. What fails is left out with a note,
 * never passed on. Actions with the same resources share one statement.
 */
export async function buildStatements(
  catalog: IamCatalog,
  plan: readonly PlannedAction[],
  targets: readonly Target[],
  account: Account,
): Promise<BuiltStatements> {
  const notes: string[] = [];
  const resourcesByAction = new Map<string, string[]>();
  const base = accountValues(account);

  for (const planned of plan) {
    const action = await catalog.action(planned.action);
    if (!action) {
      notes.push(`Left out ${planned.action}: it is not in the IAM catalog.`);
      continue;
    }
    if (!fitsCeiling(action.level, planned.ceiling)) {
      notes.push(`Left out ${action.id}: it is a ${action.level} action, above ${planned.ceiling}.`);
      continue;
    }
    const resources = resourcesByAction.get(action.id) ?? [];
    for (const ref of planned.on) {
      if (ref === '*') {
        if (action.isWildcardOnly) resources.push('*');
        else notes.push(`Left out "*" for ${action.id}: it can be limited to a resource.`);
        continue;
      }
      if (action.isWildcardOnly || !action.resourceTypes.some((r) => r.name.toLowerCase() === ref.type.toLowerCase())) {
        notes.push(`Left out ${action.id} on ${ref.type}: the catalog does not apply it to that resource type.`);
        continue;
      }
      const [pattern] = await catalog.arnPatterns(action.service, ref.type);
      if (!pattern) {
        notes.push(`Left out ${action.id} on ${ref.type}: the catalog has no ARN format for it.`);
        continue;
      }
      for (const target of targets) {
        try {
          resources.push(pattern.build({ ...base, ...ref.fill, ...target.values }));
        } catch (error) {
          if (!(error instanceof ArnBuildError)) throw error;
          notes.push(`Left out ${action.id} on ${target.given}: ${error.message}`);
        }
      }
    }
    const unique = [...new Set(resources)];
    if (unique.length > 0) resourcesByAction.set(action.id, unique);
  }

  return { statements: groupByResources(resourcesByAction), notes };
}

function groupByResources(resourcesByAction: ReadonlyMap<string, string[]>): DraftStatement[] {
  const statements = new Map<string, DraftStatement>();
  for (const [action, resources] of resourcesByAction) {
    const key = [...resources].sort().join('\n');
    const statement = statements.get(key);
    if (statement) statement.actions.push(action);
    else statements.set(key, { actions: [action], resources: [...resources] });
  }
  return [...statements.values()];
}

/**
 * An ARN of account `from` as the same resource in account `to`: its account field becomes `to`'s id,
 * and its region, when it is `from`'s region, `to`'s region; as buildStatements would have written it
 * for `to`. ARNs without an account or region (S3 buckets) and "*" stay as they are.
 */
export function arnInAccount(arn: string, from: Account, to: Account): string {
  if (!parseArn(arn)) return arn;
  const fields = arn.split(':');
  if (fields[4] === from.id) fields[4] = to.id;
  if (fields[3] === from.region) fields[3] = to.region;
  return fields.join(':');
}

/** The statements drafted for `from`, with every ARN moved to `to` (arnInAccount). */
export function statementsInAccount(statements: readonly DraftStatement[], from: Account, to: Account): DraftStatement[] {
  return statements.map((s) => ({ actions: [...s.actions], resources: [...new Set(s.resources.map((r) => arnInAccount(r, from, to)))] }));
}

/** True when some planned action needs a named resource (not only "*"). */
export function needsTargets(plan: readonly PlannedAction[]): boolean {
  return plan.some((p) => p.on.some((ref) => ref !== '*'));
}
