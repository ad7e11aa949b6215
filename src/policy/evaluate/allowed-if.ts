/**
 * "Would be allowed if…": for a denied request, the context values that would allow it, such as the
 * regions a region-restriction SCP permits, or MFA for a statement that denies without it.
 *
 * Derived by trying, not by reasoning about operators: the values named in the conditions of the
 * statements in the way (Denies that apply, Allows whose conditions fail) are tried one key at a
 * time, then two keys together, and only what the evaluator then allows is reported. So a
 * suggestion is never wrong, only sometimes missing (dates and numbers are not tried).
 */
import type { ContextValue } from './context.js';
import { addressIn } from './ip.js';
import { evaluateAccess, statementApplies, type AccessQuery, type EvaluationPolicies } from './evaluator.js';
import type { CompiledCondition, CompiledPolicy } from './policy.js';
import { requestResource } from './resources.js';
import { resolveToString } from './variables.js';

export interface ContextRequirement {
  /** The condition key as the policy spells it, e.g. "aws:RequestedRegion". */
  key: string;
  /** Any one of these values (a CIDR for IP keys, a pattern for Like/Arn operators). */
  values: string[];
}

/** All requirements together allow the request. */
export interface AllowedIf {
  requirements: ContextRequirement[];
  /** "aws:RequestedRegion is eu-west-1 or eu-central-1" */
  text: string;
}

interface Candidate {
  display: string;
  probe: ContextValue;
}

const DEFAULT_MAX_TRIALS = 400;

export function deriveAllowedIf(policies: EvaluationPolicies, query: AccessQuery, maxTrials = DEFAULT_MAX_TRIALS): AllowedIf[] {
  if (evaluateAccess(policies, query).decision === 'allowed') return [];
  const candidates = collectCandidates(policies, query);
  let trials = 0;
  const allows = (changes: readonly [string, Candidate][]): boolean => {
    trials += 1;
    let context = query.context;
    for (const [key, candidate] of changes) context = context.with(key, candidate.probe);
    const verdict = evaluateAccess(policies, { ...query, context });
    return verdict.decision === 'allowed';
  };

  const keys = [...candidates.keys()];
  const single: AllowedIf[] = [];
  for (const key of keys) {
    const working: string[] = [];
    for (const candidate of candidates.get(key) ?? []) {
      if (trials >= maxTrials) break;
      if (allows([[key, candidate]])) working.push(candidate.display);
    }
    if (working.length > 0) single.push(allowedIf([{ key, values: unique(working) }]));
  }
  if (single.length > 0) return single;

  const pairs: AllowedIf[] = [];
  for (let i = 0; i < keys.length; i++) {
    for (let j = i + 1; j < keys.length; j++) {
      const [a = '', b = ''] = [keys[i], keys[j]];
      const first: string[] = [];
      const second: string[] = [];
      for (const x of candidates.get(a) ?? []) {
        for (const y of candidates.get(b) ?? []) {
          if (trials >= maxTrials) break;
          if (allows([
            [a, x],
            [b, y],
          ])) {
            first.push(x.display);
            second.push(y.display);
          }
        }
      }
      if (first.length > 0) {
        pairs.push(
          allowedIf([
            { key: a, values: unique(first) },
            { key: b, values: unique(second) },
          ]),
        );
      }
    }
  }
  return pairs;
}

function allowedIf(requirements: ContextRequirement[]): AllowedIf {
  const text = requirements
    .map((r) => `${r.key} is ${r.values.length === 1 ? (r.values[0] ?? '') : `${r.values.slice(0, -1).join(', ')} or ${r.values.at(-1) ?? ''}`}`)
    .join(' and ');
  return { requirements, text };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** Key (as spelled in the policy) → values worth trying, from statements that stand in the way. */
function collectCandidates(policies: EvaluationPolicies, query: AccessQuery): Map<string, Candidate[]> {
  const action = { service: query.action.slice(0, query.action.indexOf(':')).toLowerCase(), name: query.action.slice(query.action.indexOf(':') + 1) };
  const resource = requestResource(query.resource);
  const all: CompiledPolicy[] = [...(policies.scps ?? []).flatMap((l) => l.policies), ...policies.identity];
  if (policies.boundary) all.push(policies.boundary);

  const byKey = new Map<string, Candidate[]>();
  const spelled = new Map<string, string>();
  for (const policy of all) {
    for (const statement of policy.statements) {
      if (statement.conditions.length === 0) continue;
      // Does the statement apply once its conditions are set aside?
      const bare = { ...statement, conditions: [] };
      if (statementApplies(bare, action, resource, query.context, policy.variables) === 'none') continue;
      const applies = statementApplies(statement, action, resource, query.context, policy.variables) !== 'none';
      const inTheWay = statement.effect === 'Deny' ? applies : !applies;
      if (!inTheWay) continue;
      for (const condition of statement.conditions) {
        const lower = condition.keyLower;
        const key = spelled.get(lower) ?? condition.key;
        spelled.set(lower, key);
        const list = byKey.get(key) ?? [];
        for (const candidate of candidatesFor(condition, query, policy.variables)) {
          if (!list.some((c) => c.display === candidate.display)) list.push(candidate);
        }
        if (list.length > 0) byKey.set(key, list);
      }
    }
  }
  return byKey;
}

function candidatesFor(condition: CompiledCondition, query: AccessQuery, variables: boolean): Candidate[] {
  const { operator } = condition;
  const wrap = (value: string): ContextValue => (operator.set !== undefined ? [value] : value);
  switch (operator.family) {
    case 'Bool':
      return ['true', 'false'].map((v) => ({ display: v, probe: wrap(v) }));
    case 'IpAddress':
      return condition.values.flatMap((cidr) => {
        const address = addressIn(cidr);
        return address === undefined ? [] : [{ display: cidr, probe: wrap(address) }];
      });
    case 'String':
    case 'Arn':
      return condition.values.flatMap((value) => {
        const resolved = resolveToString(value, query.context, variables);
        if (resolved === undefined) return [];
        // A pattern is shown as written and tried with its wildcards filled in.
        const probe = /[*?]/.test(resolved) && (operator.base.includes('Like') || operator.family === 'Arn') ? resolved.replace(/[*?]/g, 'x') : resolved;
        return [{ display: resolved, probe: wrap(probe) }];
      });
    default:
      return [];
  }
}
