/** One page of a listing: its items and the token of the next page, if any. */
export interface Page<T> {
  items: readonly T[];
  next: string | undefined;
}

/**
 * Follows a paginated listing until it ends or `max` items are in. Discovery is for pickers and
 * prompts, not an inventory: an account with ten thousand log groups costs a bounded number of
 * calls, and `truncated` says the rest exists so the user is not told "no match" as if that were
 * certain.
 */
export async function collectPages<T>(fetch: (token: string | undefined) => Promise<Page<T>>, max: number): Promise<{ items: T[]; truncated: boolean }> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    items.push(...page.items);
    token = page.next || undefined;
  } while (token !== undefined && items.length < max);
  return { items: items.slice(0, max), truncated: items.length > max || token !== undefined };
}
