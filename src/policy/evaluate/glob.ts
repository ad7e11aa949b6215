/**
 * IAM wildcards: "*" is any run of characters, "?" any one character. A glob is a list of tokens,
 * each one literal character or one of the two wildcard tokens, so a value substituted from a
 * policy variable can hold a literal "*" without turning into a wildcard.
 *
 * Besides matching a concrete string, the evaluator asks two questions about two globs, because a
 * drafted resource such as `arn:aws:s3:::reports/*` is itself a pattern: does one cover every string
 * the other matches (containment), and do they share any string at all (overlap)?
 */

export const STAR_TOKEN = '\u0000*';
export const ONE_TOKEN = '\u0000?';
export type GlobToken = string;
export type Glob = readonly GlobToken[];

/** Parses IAM wildcard text; with `wildcards: false` every character is literal. */
export function parseGlob(text: string, wildcards = true): GlobToken[] {
  const tokens: GlobToken[] = [];
  for (const c of text) {
    if (wildcards && c === '*') {
      // "**" means the same as "*"; collapsing keeps the containment search small.
      if (tokens.at(-1) !== STAR_TOKEN) tokens.push(STAR_TOKEN);
    } else if (wildcards && c === '?') tokens.push(ONE_TOKEN);
    else tokens.push(c);
  }
  return tokens;
}

export function literalGlob(text: string): GlobToken[] {
  return parseGlob(text, false);
}

export function isWildcard(token: GlobToken): boolean {
  return token === STAR_TOKEN || token === ONE_TOKEN;
}

export function hasWildcards(glob: Glob): boolean {
  return glob.some(isWildcard);
}

export function globText(glob: Glob): string {
  return glob.map((t) => (t === STAR_TOKEN ? '*' : t === ONE_TOKEN ? '?' : t)).join('');
}

/** Matches a concrete string. */
export function globMatches(glob: Glob, text: string, ignoreCase = false): boolean {
  const chars = [...(ignoreCase ? text.toLowerCase() : text)];
  const pattern = ignoreCase ? glob.map((t) => (isWildcard(t) ? t : t.toLowerCase())) : glob;
  return containsFrom(pattern, chars, 0, 0, new Map());
}

/**
 * True when every string `inner` matches is matched by `outer`. Sound, not complete: inner's
 * wildcards are treated as symbols only outer's wildcards can absorb ("*" by "*", "?" by "?" or
 * "*"), so a "yes" is always right and a rare "no" may be too cautious. The evaluator only uses
 * a "no" to say "partly", never to grant.
 */
export function globContains(outer: Glob, inner: Glob): boolean {
  return containsFrom(outer, inner, 0, 0, new Map());
}

function containsFrom(outer: Glob, inner: Glob, i: number, j: number, memo: Map<number, boolean>): boolean {
  const key = i * (inner.length + 1) + j;
  const known = memo.get(key);
  if (known !== undefined) return known;
  let result: boolean;
  if (i === outer.length) result = j === inner.length;
  else {
    const o = outer[i];
    if (o === STAR_TOKEN) {
      // Absorb nothing, or absorb one more inner token (literal or wildcard).
      result = containsFrom(outer, inner, i + 1, j, memo) || (j < inner.length && containsFrom(outer, inner, i, j + 1, memo));
    } else if (j === inner.length) result = false;
    else {
      const t = inner[j];
      const fits = o === ONE_TOKEN ? t !== STAR_TOKEN : t === o;
      result = fits && containsFrom(outer, inner, i + 1, j + 1, memo);
    }
  }
  memo.set(key, result);
  return result;
}

/** True when some string matches both globs. Exact: a search over pairs of positions. */
export function globsOverlap(a: Glob, b: Glob): boolean {
  const seen = new Set<number>();
  const stack: [number, number][] = [[0, 0]];
  while (stack.length > 0) {
    const [i, j] = stack.pop() ?? [0, 0];
    const key = i * (b.length + 1) + j;
    if (seen.has(key)) continue;
    seen.add(key);
    if (i === a.length && j === b.length) return true;
    const x = a[i];
    const y = b[j];
    if (x === STAR_TOKEN) stack.push([i + 1, j]);
    if (y === STAR_TOKEN) stack.push([i, j + 1]);
    if (x !== undefined && y !== undefined && (isWildcard(x) || isWildcard(y) || x === y)) {
      stack.push([x === STAR_TOKEN ? i : i + 1, y === STAR_TOKEN ? j : j + 1]);
    }
  }
  return false;
}
