/**
 * An AWS Organizations tree with its service control policies, and the path of SCP levels that
 * applies to one account: the root, each OU down to the account, and the account itself.
 */
import type { ScpLevel, ScpTarget } from '../evaluate/evaluator.js';
import type { CompiledPolicy, PolicyDocument } from '../evaluate/policy.js';

export interface ScpPolicy {
  /** The name SCPs are referred to by, e.g. "deny-writes-in-prod". */
  name: string;
  /** Where it was read from (a file in playground mode, a policy id from Organizations). */
  source: string;
  document: PolicyDocument;
  compiled: CompiledPolicy;
}

export interface OrgAccount {
  id: string;
  name: string;
  /** Names of the SCPs attached directly to the account. */
  policies: string[];
}

export interface OrgUnit {
  kind: 'root' | 'ou';
  id: string;
  name: string;
  policies: string[];
  children: OrgUnit[];
  accounts: OrgAccount[];
}

export interface OrgScpTree {
  organizationId: string;
  /** SCPs never restrict the management account. */
  managementAccountId?: string;
  root: OrgUnit;
  policies: ReadonlyMap<string, ScpPolicy>;
}

export type ScpPath =
  | {
      found: true;
      accountId: string;
      /** "Root / Workloads / Prod / payments-prod" */
      path: string[];
      /** Root first, the account last; empty for the management account. */
      levels: ScpLevel[];
      exempt: boolean;
    }
  | { found: false; accountId: string };

/** The SCP levels for an account, or `found: false` when the tree does not hold it. */
export function scpPathFor(tree: OrgScpTree, accountId: string): ScpPath {
  const trail = findAccount(tree.root, accountId, []);
  if (!trail) return { found: false, accountId };
  const { units, account } = trail;
  const path = [...units.map((u) => u.name), account.name];
  if (tree.managementAccountId === accountId) return { found: true, accountId, path, levels: [], exempt: true };
  const level = (target: ScpTarget, names: readonly string[]): ScpLevel => ({
    target,
    policies: names.map((name) => {
      const policy = tree.policies.get(name);
      // The loader checks every reference; a tree built by hand may not have.
      if (!policy) throw new Error(`SCP "${name}" attached to ${target.name} is not in the tree's policies`);
      return policy.compiled;
    }),
  });
  const levels = [
    ...units.map((u) => level({ kind: u.kind, id: u.id, name: u.name }, u.policies)),
    level({ kind: 'account', id: account.id, name: account.name }, account.policies),
  ];
  return { found: true, accountId, path, levels, exempt: false };
}

function findAccount(unit: OrgUnit, accountId: string, above: OrgUnit[]): { units: OrgUnit[]; account: OrgAccount } | undefined {
  const units = [...above, unit];
  const account = unit.accounts.find((a) => a.id === accountId);
  if (account) return { units, account };
  for (const child of unit.children) {
    const found = findAccount(child, accountId, units);
    if (found) return found;
  }
  return undefined;
}

/** Every unit and account, depth first, for checks and listings. */
export function* walk(unit: OrgUnit, path: (string | number)[] = ['root']): Generator<{ node: OrgUnit | OrgAccount; kind: 'root' | 'ou' | 'account'; path: (string | number)[] }> {
  yield { node: unit, kind: unit.kind, path };
  for (const [i, account] of unit.accounts.entries()) yield { node: account, kind: 'account', path: [...path, 'accounts', i] };
  for (const [i, child] of unit.children.entries()) yield* walk(child, [...path, 'children', i]);
}
