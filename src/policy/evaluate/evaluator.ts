/**
 * AWS's policy evaluation logic for a principal in an account of an organization, for the policy
 * types Warden deals with (no resource-based or session policies):
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
 *
 * 1. An explicit Deny in any policy (identity, any SCP on the account's path, the boundary) wins.
 * 2. SCPs: every level from the root down to the account must have an Allow for the request; the
 *    policies attached at one level are a union, the levels an intersection.
 * 3. The identity policies must Allow it.
 * 4. A permissions boundary, when set, must Allow it too.
 * Anything else is an implicit deny.
 *
 * Pure and synchronous: policies are compiled beforehand, so one call is a few regex tests.
 */
import type { RequestContext } from './context.js';
import { conditionsMatch } from './conditions.js';
import { actionMatches, type CompiledPolicy, type CompiledStatement } from './policy.js';
import { requestResource, statementCoverage, type Coverage, type RequestResource } from './resources.js';

export type PolicyKind = 'identity' | 'scp' | 'boundary';
export type Decision = 'allowed' | 'explicit-deny' | 'implicit-deny';

/** Where an SCP is attached in the organization. */
export interface ScpTarget {
  kind: 'root' | 'ou' | 'account';
  id: string;
  name: string;
}

/** The SCPs attached at one level of the account's path, root first. */
export interface ScpLevel {
  target: ScpTarget;
  policies: readonly CompiledPolicy[];
}

export interface EvaluationPolicies {
  identity: readonly CompiledPolicy[];
  /**
   * Root first, the account last. Undefined or empty when SCPs do not apply (no organization, or
   * the organization's management account, which SCPs never restrict).
   */
  scps?: readonly ScpLevel[];
  boundary?: CompiledPolicy;
}

export interface AccessQuery {
  /** "s3:GetObject" */
  action: string;
  /** An ARN, a drafted ARN pattern, or "*" for an action that cannot be limited to a resource. */
  resource: string;
  context: RequestContext;
}

export interface StatementRef {
  kind: PolicyKind;
  policy: string;
  /** The Sid, or "#n" for an unnamed statement. */
  statement: string;
  statementIndex: number;
  /** For SCPs: the root, OU or account the policy is attached to. */
  target?: ScpTarget;
}

/** A layer that did not allow the request. */
export interface MissingAllow {
  kind: PolicyKind;
  target?: ScpTarget;
  /** The layer allows part of a drafted pattern, not all of it. */
  partial: boolean;
}

export interface Verdict {
  action: string;
  resource: string;
  decision: Decision;
  /**
   * Only for drafted patterns: the decision holds for part of the resources the pattern names
   * (explicit-deny: some are denied; implicit-deny: some are not allowed everywhere).
   */
  partial: boolean;
  /** Deny statements that apply, the deciding ones for an explicit deny. */
  deniedBy: StatementRef[];
  /** Allow statements that apply, per layer. */
  allowedBy: StatementRef[];
  /** Layers with no Allow for the request: why an implicit deny is implicit. */
  missingAllow: MissingAllow[];
}

interface LayerResult {
  allow: Coverage;
  allowedBy: StatementRef[];
  denies: { ref: StatementRef; coverage: Coverage }[];
}

const RANK: Readonly<Record<Coverage, number>> = { none: 0, some: 1, all: 2 };

function splitAction(action: string): { service: string; name: string } {
  const at = action.indexOf(':');
  return { service: action.slice(0, at).toLowerCase(), name: action.slice(at + 1) };
}

/** The coverage of one statement for the query, or "none" when its action or conditions do not apply. */
export function statementApplies(
  statement: CompiledStatement,
  action: { service: string; name: string },
  resource: RequestResource,
  context: RequestContext,
  variables: boolean,
): Coverage {
  let actionHit = false;
  for (const matcher of statement.actions.matchers) {
    if (actionMatches(matcher, action.service, action.name)) {
      actionHit = true;
      break;
    }
  }
  if (actionHit === statement.actions.negated) return 'none';
  const coverage = statementCoverage(statement.resources, resource, context, variables);
  if (coverage === 'none') return 'none';
  return conditionsMatch(statement.conditions, context, variables) ? coverage : 'none';
}

function evaluateLayer(
  policies: readonly CompiledPolicy[],
  kind: PolicyKind,
  target: ScpTarget | undefined,
  action: { service: string; name: string },
  resource: RequestResource,
  context: RequestContext,
): LayerResult {
  const result: LayerResult = { allow: 'none', allowedBy: [], denies: [] };
  for (const policy of policies) {
    for (const statement of policy.statements) {
      const coverage = statementApplies(statement, action, resource, context, policy.variables);
      if (coverage === 'none') continue;
      const ref: StatementRef = { kind, policy: policy.name, statement: statement.label, statementIndex: statement.index };
      if (target) ref.target = target;
      if (statement.effect === 'Deny') result.denies.push({ ref, coverage });
      else {
        result.allowedBy.push(ref);
        if (RANK[coverage] > RANK[result.allow]) result.allow = coverage;
      }
    }
  }
  return result;
}

export function evaluateAccess(policies: EvaluationPolicies, query: AccessQuery): Verdict {
  const action = splitAction(query.action);
  const resource = requestResource(query.resource);
  const layers: { kind: PolicyKind; target?: ScpTarget; result: LayerResult }[] = [];

  for (const level of policies.scps ?? []) {
    layers.push({ kind: 'scp', target: level.target, result: evaluateLayer(level.policies, 'scp', level.target, action, resource, query.context) });
  }
  layers.push({ kind: 'identity', result: evaluateLayer(policies.identity, 'identity', undefined, action, resource, query.context) });
  if (policies.boundary) {
    layers.push({ kind: 'boundary', result: evaluateLayer([policies.boundary], 'boundary', undefined, action, resource, query.context) });
  }

  const denies = layers.flatMap((l) => l.result.denies);
  const fullDenies = denies.filter((d) => d.coverage === 'all');
  const missingAllow: MissingAllow[] = [];
  for (const layer of layers) {
    if (layer.result.allow === 'all') continue;
    const missing: MissingAllow = { kind: layer.kind, partial: layer.result.allow === 'some' };
    if (layer.target) missing.target = layer.target;
    missingAllow.push(missing);
  }
  const verdict: Verdict = {
    action: query.action,
    resource: query.resource,
    decision: 'allowed',
    partial: false,
    deniedBy: (fullDenies.length > 0 ? fullDenies : denies).map((d) => d.ref),
    allowedBy: layers.flatMap((l) => l.result.allowedBy),
    missingAllow,
  };

  if (fullDenies.length > 0) verdict.decision = 'explicit-deny';
  else if (missingAllow.some((m) => !m.partial)) verdict.decision = 'implicit-deny';
  else if (denies.length > 0) {
    verdict.decision = 'explicit-deny';
    verdict.partial = true;
  } else if (missingAllow.length > 0) {
    verdict.decision = 'implicit-deny';
    verdict.partial = true;
  }
  return verdict;
}
