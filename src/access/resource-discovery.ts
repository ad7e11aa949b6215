/**
 * Resource discovery: which resources exist in an account, so drafts and pickers use real names.
 *
 * The port answers with ARNs (never bare names): an ARN says its service, account and region, so
 * the drafters can use it as is and nothing has to guess which bucket "reports" means. Discovery
 * is a hint, never a check: the policy checks do not depend on it, and when it fails drafting goes
 * on without it.
 */
import type { ResourceHints } from '../ai/draft-context.js';
import type { Clock } from '../clock.js';
import type { Account } from '../config/schemas.js';

export const DISCOVERABLE_SERVICES = ['s3', 'dynamodb'] as const;
export type DiscoverableService = (typeof DISCOVERABLE_SERVICES)[number];

export interface ResourceDiscovery {
  /** ARNs of the service's resources in the account (its region from org.yaml), sorted. */
  list(accountId: string, service: DiscoverableService): Promise<string[]>;
}

export interface CacheOptions {
  clock: Clock;
  /** How long a listing is served without asking again. */
  ttlSeconds: number;
  /** A failed refresh served from an older listing; the error is reported, not thrown. */
  onStale?: (key: { accountId: string; service: DiscoverableService }, error: unknown) => void;
}

interface Entry {
  at: number;
  arns: string[];
}

/**
 * A TTL cache in front of any discovery. Listing is slow and counts against AWS API limits, and
 * resources change rarely compared with how often people draft. Concurrent misses for one key share
 * one listing, and when a refresh fails the last good listing is served (stale beats none for a hint).
 */
export class CachedResourceDiscovery implements ResourceDiscovery {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<string[]>>();

  constructor(
    private readonly inner: ResourceDiscovery,
    private readonly options: CacheOptions,
  ) {}

  async list(accountId: string, service: DiscoverableService): Promise<string[]> {
    const key = `${accountId}/${service}`;
    const now = this.options.clock.now().getTime();
    const entry = this.entries.get(key);
    if (entry && now - entry.at < this.options.ttlSeconds * 1000) return [...entry.arns];
    const pending = this.inFlight.get(key) ?? this.refresh(key, accountId, service, entry);
    return [...(await pending)];
  }

  /** Forgets everything, e.g. after an operator says a new resource exists. */
  clear(): void {
    this.entries.clear();
  }

  private refresh(key: string, accountId: string, service: DiscoverableService, stale: Entry | undefined): Promise<string[]> {
    const run = (async () => {
      try {
        const arns = await this.inner.list(accountId, service);
        this.entries.set(key, { at: this.options.clock.now().getTime(), arns });
        return arns;
      } catch (error) {
        if (!stale) throw error;
        this.options.onStale?.({ accountId, service }, error);
        return stale.arns;
      } finally {
        this.inFlight.delete(key);
      }
    })();
    this.inFlight.set(key, run);
    return run;
  }
}

/**
 * The Bedrock drafter's `ResourceHints` port over discovery: every discoverable service of the
 * account. A service that cannot be listed (no permission, throttled) is left out and reported,
 * so one failure never stops a draft.
 */
export function resourceHintsFrom(
  discovery: ResourceDiscovery,
  options: { services?: readonly DiscoverableService[]; onError?: (account: Account, service: DiscoverableService, error: unknown) => void } = {},
): ResourceHints {
  const services = options.services ?? DISCOVERABLE_SERVICES;
  return {
    async list(account) {
      const lists = await Promise.all(
        services.map(async (service) => {
          try {
            return await discovery.list(account.id, service);
          } catch (error) {
            options.onError?.(account, service, error);
            return [];
          }
        }),
      );
      // The prompt keeps only the first few dozen ARNs per account: interleave the services so a
      // hundred buckets do not hide every table.
      const mixed: string[] = [];
      for (let i = 0; i < Math.max(0, ...lists.map((l) => l.length)); i++) {
        for (const list of lists) if (i < list.length) mixed.push(list[i]!);
      }
      return mixed;
    },
  };
}
