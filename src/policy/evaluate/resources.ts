/**
 * Resource and NotResource against the resource of a request. The request's resource is usually
 * one ARN, but Warden also asks about drafted patterns (`arn:aws:s3:::reports/*`): "all" then means
 * the statement covers every resource the pattern names, "some" that it covers part of them.
 *
 * ARNs are compared segment by segment (partition, service, region, account), so "*" in the region
 * never swallows the account; the resource part (after the fifth colon) is one segment that may
 * hold colons and slashes. A request for a wildcard-only action is the literal "*", matched only by
 * a Resource of "*".
 */
import type { RequestContext } from './context.js';
import { globContains, globsOverlap, parseGlob, type Glob } from './glob.js';
import { compileArnPattern, splitArnSegments, type CompiledArnPattern, type ResourcePattern } from './policy.js';
import { resolveToGlob } from './variables.js';

export type Coverage = 'all' | 'some' | 'none';

export interface RequestResource {
  raw: string;
  /** The request names a pattern (a drafted wildcard), not one resource. */
  pattern: boolean;
  segments: readonly Glob[];
}

export function requestResource(raw: string): RequestResource {
  const pattern = raw !== '*' && /[*?]/.test(raw);
  return { raw, pattern, segments: pattern ? splitArnSegments(raw).map((s) => parseGlob(s)) : [] };
}

function resolvePattern(pattern: ResourcePattern, context: RequestContext, variables: boolean): CompiledArnPattern | undefined {
  if (pattern.compiled) return pattern.compiled;
  const segments: Glob[] = [];
  for (const segment of splitArnSegments(pattern.raw)) {
    const glob = resolveToGlob(segment, context, true, variables);
    if (glob === undefined) return undefined;
    segments.push(glob);
  }
  return compileArnPattern(segments);
}

/** "unresolved": a policy variable in the pattern has no value in the request. */
export function patternCoverage(
  pattern: ResourcePattern,
  request: RequestResource,
  context: RequestContext,
  variables: boolean,
): Coverage | 'unresolved' {
  if (pattern.all) return 'all';
  const compiled = resolvePattern(pattern, context, variables);
  if (!compiled) return 'unresolved';
  if (!request.pattern) return compiled.regex.test(request.raw) ? 'all' : 'none';
  const policy = compiled.segments;
  const asked = request.segments;
  if (policy.length !== asked.length) return 'none';
  let contained = true;
  for (const [i, glob] of policy.entries()) {
    const other = asked[i] ?? [];
    if (!globsOverlap(glob, other)) return 'none';
    if (contained && !globContains(glob, other)) contained = false;
  }
  return contained ? 'all' : 'some';
}

/** How much of the request's resource a statement's Resource or NotResource covers. */
export function statementCoverage(
  resources: { negated: boolean; patterns: readonly ResourcePattern[] },
  request: RequestResource,
  context: RequestContext,
  variables: boolean,
): Coverage {
  let best: Coverage = 'none';
  for (const pattern of resources.patterns) {
    const coverage = patternCoverage(pattern, request, context, variables);
    // AWS: an unresolvable variable "might cause the entire statement to be invalid". In Resource
    // the entry matches nothing; in NotResource the statement cannot say what it excludes, so it
    // applies to nothing rather than to everything.
    if (coverage === 'unresolved') {
      if (resources.negated) return 'none';
      continue;
    }
    if (coverage === 'all') best = 'all';
    else if (coverage === 'some' && best === 'none') best = 'some';
  }
  if (!resources.negated) return best;
  // NotResource applies to what lies outside every listed pattern.
  return best === 'all' ? 'none' : best === 'some' ? 'some' : 'all';
}
