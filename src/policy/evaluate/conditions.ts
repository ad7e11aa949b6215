/**
 * The Condition element, as the AWS documentation describes it:
 * - all operators of a statement, and all keys of an operator, must match (AND);
 * - several values for one key: any of them (OR), except negated operators, which mean "none of them";
 * - a key absent from the request: no match, except negated operators and `…IfExists` (match) and
 *   `Null` (which tests exactly that);
 * - `ForAllValues:` matches when every request value matches (so also when the key is absent or
 *   empty); `ForAnyValue:` when at least one does (so not when absent or empty);
 * - a single-valued operator against a multivalued key does not match: such keys need a set
 *   operator (AWS, IAM431 at re:Inforce 2025; the documentation leaves it unsaid).
 */
import type { ContextValue, RequestContext } from './context.js';
import { globMatches } from './glob.js';
import { ipInCidr } from './ip.js';
import { splitArnSegments, type CompiledCondition } from './policy.js';
import { resolveToGlob, resolveToString } from './variables.js';

export function conditionsMatch(conditions: readonly CompiledCondition[], context: RequestContext, variables: boolean): boolean {
  for (const condition of conditions) if (!conditionMatches(condition, context, variables)) return false;
  return true;
}

export function conditionMatches(condition: CompiledCondition, context: RequestContext, variables = true): boolean {
  const { operator } = condition;
  const value = context.get(condition.key);

  if (operator.base === 'Null') {
    const wanted = value === undefined ? 'true' : 'false';
    return condition.values.some((v) => v.toLowerCase() === wanted);
  }

  if (operator.set !== undefined) {
    if (value === undefined) return operator.ifExists || operator.set === 'ForAllValues';
    const items: readonly string[] = typeof value === 'string' ? [value] : value;
    if (operator.set === 'ForAllValues') return items.every((item) => baseMatches(condition, item, context, variables));
    return items.some((item) => baseMatches(condition, item, context, variables));
  }

  if (value === undefined) return operator.ifExists || operator.negated;
  if (typeof value !== 'string') return false;
  return baseMatches(condition, value, context, variables);
}

/** One request value against the condition's values, with "any" for positive and "none" for negated operators. */
function baseMatches(condition: CompiledCondition, requestValue: string, context: RequestContext, variables: boolean): boolean {
  const { operator } = condition;
  if (operator.negated) {
    // Every value must be a definite "no": a value that cannot be read (bad date, unresolved
    // variable) makes the whole negated condition false, so it never turns into a match by accident.
    for (const policyValue of condition.values) {
      const result = positiveMatch(operator.base, policyValue, requestValue, context, variables);
      if (result !== false) return false;
    }
    return true;
  }
  return condition.values.some((policyValue) => positiveMatch(operator.base, policyValue, requestValue, context, variables) === true);
}

/**
 * The positive form of the operator for one policy value: true, false, or undefined when a side
 * cannot be read. Negated operators are evaluated as "not the positive form".
 */
function positiveMatch(
  base: string,
  policyValue: string,
  requestValue: string,
  context: RequestContext,
  variables: boolean,
): boolean | undefined {
  switch (base) {
    case 'StringEquals':
    case 'StringNotEquals': {
      const resolved = resolveToString(policyValue, context, variables);
      return resolved === undefined ? undefined : resolved === requestValue;
    }
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase': {
      const resolved = resolveToString(policyValue, context, variables);
      return resolved === undefined ? undefined : resolved.toLowerCase() === requestValue.toLowerCase();
    }
    case 'StringLike':
    case 'StringNotLike': {
      const glob = resolveToGlob(policyValue, context, true, variables);
      return glob === undefined ? undefined : globMatches(glob, requestValue);
    }
    case 'NumericEquals':
    case 'NumericNotEquals':
    case 'NumericLessThan':
    case 'NumericLessThanEquals':
    case 'NumericGreaterThan':
    case 'NumericGreaterThanEquals':
      return compare(base.slice('Numeric'.length), parseIamNumber(requestValue), parseIamNumber(policyValue));
    case 'DateEquals':
    case 'DateNotEquals':
    case 'DateLessThan':
    case 'DateLessThanEquals':
    case 'DateGreaterThan':
    case 'DateGreaterThanEquals':
      return compare(base.slice('Date'.length), parseIamDate(requestValue), parseIamDate(policyValue));
    case 'Bool': {
      const resolved = resolveToString(policyValue, context, variables)?.toLowerCase();
      const actual = requestValue.toLowerCase();
      if ((resolved !== 'true' && resolved !== 'false') || (actual !== 'true' && actual !== 'false')) return undefined;
      return resolved === actual;
    }
    case 'BinaryEquals':
      return policyValue === requestValue;
    case 'IpAddress':
    case 'NotIpAddress':
      return ipInCidr(requestValue, policyValue);
    case 'ArnEquals':
    case 'ArnLike':
    case 'ArnNotEquals':
    case 'ArnNotLike':
      return arnLike(policyValue, requestValue, context, variables);
    default:
      return undefined;
  }
}

/** `request <op> policy`, e.g. LessThan: request < policy. */
function compare(op: string, request: number | undefined, policy: number | undefined): boolean | undefined {
  if (request === undefined || policy === undefined) return undefined;
  switch (op) {
    case 'Equals':
    case 'NotEquals':
      return request === policy;
    case 'LessThan':
      return request < policy;
    case 'LessThanEquals':
      return request <= policy;
    case 'GreaterThan':
      return request > policy;
    case 'GreaterThanEquals':
      return request >= policy;
    default:
      return undefined;
  }
}

export function parseIamNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Milliseconds since the epoch. IAM takes W3C/ISO 8601 dates or epoch (UNIX) time, which is in
 * seconds: "1735689600" is 2025-01-01, not a moment in January 1970.
 */
export function parseIamDate(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^-?\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!ISO_DATE.test(trimmed)) return undefined;
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * ArnEquals and ArnLike are the same test in IAM: the six colon-separated parts are compared one by
 * one, each may hold wildcards, and "*" never crosses a colon before the resource part.
 */
function arnLike(policyValue: string, requestValue: string, context: RequestContext, variables: boolean): boolean | undefined {
  // Both sides must be whole ARNs; a short pattern is not padded here as it is in Resource.
  if (policyValue.split(':').length < 6 || requestValue.split(':').length < 6) return false;
  const policyParts = splitArnSegments(policyValue);
  const requestParts = splitArnSegments(requestValue);
  for (const [i, part] of policyParts.entries()) {
    const glob = resolveToGlob(part, context, true, variables);
    if (glob === undefined) return undefined;
    if (!globMatches(glob, requestParts[i] ?? '')) return false;
  }
  return true;
}

/** The values a context key must have for the condition to hold, as a person reads them. */
export function describeValue(value: ContextValue): string {
  return typeof value === 'string' ? value : `[${value.join(', ')}]`;
}
