/**
 * Policy variables: `${aws:username}`, `${aws:PrincipalTag/team, 'default'}`, and the escapes
 * `${*}`, `${?}`, `${$}` for a literal "*", "?" and "$".
 * See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 *
 * A substituted value is literal text: an "*" in a tag value never becomes a wildcard. A variable
 * whose key is absent (and has no default) or is multivalued leaves the value unresolved, and an
 * unresolved value matches nothing ("policy-vars-no-value" in the AWS documentation).
 */
import type { RequestContext } from './context.js';
import { ONE_TOKEN, STAR_TOKEN, type GlobToken } from './glob.js';

const VARIABLE = /\$\{([^}]*)\}/g;
const WITH_DEFAULT = /^\s*([^,]+?)\s*(?:,\s*'([^']*)'\s*)?$/;

/**
 * Text → glob tokens, substituting variables from the context when `variables` is on. Returns
 * undefined when a variable cannot be resolved.
 */
export function resolveToGlob(text: string, context: RequestContext, wildcards: boolean, variables = true): GlobToken[] | undefined {
  const tokens: GlobToken[] = [];
  const pushText = (part: string) => {
    for (const c of part) {
      if (wildcards && c === '*') {
        if (tokens.at(-1) !== STAR_TOKEN) tokens.push(STAR_TOKEN);
      } else if (wildcards && c === '?') tokens.push(ONE_TOKEN);
      else tokens.push(c);
    }
  };
  if (!variables || !text.includes('${')) {
    pushText(text);
    return tokens;
  }
  let last = 0;
  for (const m of text.matchAll(VARIABLE)) {
    pushText(text.slice(last, m.index));
    last = m.index + m[0].length;
    const inner = m[1] ?? '';
    if (inner === '*' || inner === '?' || inner === '$') {
      tokens.push(inner);
      continue;
    }
    const value = variableValue(inner, context);
    if (value === undefined) return undefined;
    for (const c of value) tokens.push(c);
  }
  pushText(text.slice(last));
  return tokens;
}

/** Plain string form, for operators without wildcards; undefined when unresolved. */
export function resolveToString(text: string, context: RequestContext, variables = true): string | undefined {
  const tokens = resolveToGlob(text, context, false, variables);
  return tokens?.join('');
}

function variableValue(inner: string, context: RequestContext): string | undefined {
  const m = WITH_DEFAULT.exec(inner);
  if (!m) return undefined;
  const [, key = '', fallback] = m;
  const value = context.get(key);
  if (typeof value === 'string') return value;
  // A multivalued key cannot be substituted; the default applies only when the key is absent.
  if (value !== undefined) return undefined;
  return fallback !== undefined && fallback !== '' ? fallback : undefined;
}

/** The context keys a value refers to, e.g. ["aws:username"]. */
export function variablesIn(text: string): string[] {
  const keys: string[] = [];
  for (const m of text.matchAll(VARIABLE)) {
    const inner = m[1] ?? '';
    if (inner === '*' || inner === '?' || inner === '$') continue;
    const key = WITH_DEFAULT.exec(inner)?.[1];
    if (key) keys.push(key);
  }
  return keys;
}
