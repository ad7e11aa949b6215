/**
 * Guardrail patterns over actions ("iam:*", "*:Delete*") and resources ("arn:aws:s3:::*-audit-logs/*").
 * A drafted action may itself be a pattern: it hits a rule when some action could match both, so
 * "*" hits every rule and "s3:Put*" hits "s3:PutBucketPolicy".
 */
import { globMatches, globsOverlap, parseGlob, type Glob } from '../evaluate/glob.js';
import { splitArnSegments } from '../evaluate/policy.js';

interface SplitGlob {
  service: Glob;
  name: Glob;
}

const ANY: SplitGlob = { service: parseGlob('*'), name: parseGlob('*') };

function split(pattern: string): SplitGlob {
  const text = pattern.trim().toLowerCase();
  if (text === '*') return ANY;
  const at = text.indexOf(':');
  if (at < 0) return { service: parseGlob(text), name: parseGlob('') };
  return { service: parseGlob(text.slice(0, at)), name: parseGlob(text.slice(at + 1)) };
}

/** True when `action` (an exact name or a drafted pattern) can name an action `pattern` covers. */
export function actionHits(pattern: string, action: string): boolean {
  const a = split(pattern);
  const b = split(action);
  // Service and name are compared apart: no action name holds a colon.
  return globsOverlap(a.service, b.service) && globsOverlap(a.name, b.name);
}

export function actionMatchesAny(patterns: readonly string[], action: string): string | undefined {
  return patterns.find((p) => actionHits(p, action));
}

/**
 * True when the drafted resource (an ARN, a pattern or "*") can name a resource the rule's pattern
 * covers. ARNs are compared part by part. In the resource part, a drafted resource whose first path
 * component is a plain name (a bucket, a log group) is compared component-wise: the rule
 * `arn:aws:s3:::*-audit-logs/*` is about buckets named "…-audit-logs", so `billing-reports/*` does
 * not hit it, though as plain text both could match "billing-reports/-audit-logs/x". When the
 * drafted first component has a wildcard, that wildcard may span "/" as in IAM, and any textual
 * overlap is a hit: a protection rule errs on the side of catching.
 */
export function resourceHits(pattern: string, resource: string): boolean {
  if (pattern === '*' || resource === '*') return true;
  const a = splitArnSegments(pattern);
  const b = splitArnSegments(resource);
  if (a.length !== 6 || b.length !== 6) return globsOverlap(parseGlob(pattern), parseGlob(resource));
  for (let i = 0; i < 5; i++) if (!globsOverlap(parseGlob(a[i] ?? ''), parseGlob(b[i] ?? ''))) return false;
  const rule = splitHead(a[5] ?? '');
  const drafted = splitHead(b[5] ?? '');
  if (/[*?]/.test(drafted.head)) return globsOverlap(parseGlob(a[5] ?? ''), parseGlob(b[5] ?? ''));
  if (!globMatches(parseGlob(rule.head), drafted.head)) return false;
  // Both name the thing itself, or both name something under it.
  if (rule.tail === '' || drafted.tail === '') return rule.tail === '' && drafted.tail === '';
  return globsOverlap(parseGlob(rule.tail), parseGlob(drafted.tail));
}

function splitHead(part: string): { head: string; tail: string } {
  const slash = part.indexOf('/');
  return slash < 0 ? { head: part, tail: '' } : { head: part.slice(0, slash), tail: part.slice(slash) };
}
