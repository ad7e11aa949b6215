/** Levenshtein distance, case-insensitive: enough to rank "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    for (let j = 1; j <= t.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (s[i - 1] === t[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[t.length] ?? Math.max(s.length, t.length);
}

/**
 * Candidates close enough to `target` to be a likely typo, best first. The allowance grows with the
 * length so "GetObjekt" finds "GetObject" but "Get" does not find every three-letter action.
 */
export function closestNames(target: string, candidates: readonly string[], limit = 3): string[] {
  const allowance = Math.max(2, Math.floor(target.length / 3));
  return candidates
    .map((name) => ({ name, distance: editDistance(target, name) }))
    .filter((c) => c.distance <= allowance)
    .sort((x, y) => x.distance - y.distance || x.name.localeCompare(y.name))
    .slice(0, limit)
    .map((c) => c.name);
}
