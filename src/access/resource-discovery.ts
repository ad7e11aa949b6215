/**
 * Resource discovery: which resources exist in an account, so drafts and pickers use real names.
 *
 * The port answers with ARNs (never bare names alone): an ARN says its service, account and region,
 * so the drafters can use it as is and nothing has to guess which bucket "reports" means. Discovery
 * is a hint, never a check: the policy checks do not depend on it, a picked ARN is as untrusted as a
 * typed one, and when discovery fails drafting goes on without it.
 */
import type { ResourceHints } from '../ai/draft-context.js';
import type { Clock } from '../clock.js';
import type { Account } from '../config/schemas.js';

/** In the order pickers show them. */
export const DISCOVERABLE_SERVICES = ['s3', 'dynamodb', 'ec2', 'rds', 'lambda', 'logs', 'sqs'] as const;
export type DiscoverableService = (typeof DISCOVERABLE_SERVICES)[number];

export function isDiscoverableService(service: string): service is DiscoverableService {
  return (DISCOVERABLE_SERVICES as readonly string[]).includes(service);
}

/** What people call each kind of resource, for picker groups and messages. */
export const RESOURCE_KIND: Readonly<Record<DiscoverableService, string>> = {
  s3: 'S3 buckets',
  dynamodb: 'DynamoDB tables',
  ec2: 'EC2 instances',
  rds: 'RDS databases',
  lambda: 'Lambda functions',
  logs: 'Log groups',
  sqs: 'SQS queues',
};

export interface DiscoveredResource {
  arn: string;
  /** What people call it: bucket, table, function, queue or log group name; an instance's Name tag (else its id). */
  name: string;
  /** More to recognise it by, e.g. an instance's id and state or a database's engine. */
  detail?: string;
}

export interface ResourceListing {
  /** Sorted by ARN. */
  resources: DiscoveredResource[];
  /** The account has more than the listing's cap: what is here is the first part. */
  truncated: boolean;
}

export interface ResourceDiscovery {
  /** The service's resources in the account (its region from org.yaml). */
  list(accountId: string, service: DiscoverableService): Promise<ResourceListing>;
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
  listing: ResourceListing;
}

function copy(listing: ResourceListing): ResourceListing {
  return { resources: [...listing.resources], truncated: listing.truncated };
}

/**
 * A TTL cache in front of any discovery. Listing is slow and counts against AWS API limits, and
 * resources change rarely compared with how often people draft or type in a picker. Concurrent
 * misses for one key share one listing, and when a refresh fails the last good listing is served
 * (stale beats none for a hint).
 */
export class CachedResourceDiscovery implements ResourceDiscovery {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<ResourceListing>>();

  constructor(
    private readonly inner: ResourceDiscovery,
    private readonly options: CacheOptions,
  ) {}

  async list(accountId: string, service: DiscoverableService): Promise<ResourceListing> {
    const key = `${accountId}/${service}`;
    const now = this.options.clock.now().getTime();
    const entry = this.entries.get(key);
    if (entry && now - entry.at < this.options.ttlSeconds * 1000) return copy(entry.listing);
    const pending = this.inFlight.get(key) ?? this.refresh(key, accountId, service, entry);
    return copy(await pending);
  }

  /** Forgets everything, e.g. after an operator says a new resource exists. */
  clear(): void {
    this.entries.clear();
  }

  private refresh(key: string, accountId: string, service: DiscoverableService, stale: Entry | undefined): Promise<ResourceListing> {
    const run = (async () => {
      try {
        const listing = await this.inner.list(accountId, service);
        this.entries.set(key, { at: this.options.clock.now().getTime(), listing });
        return listing;
      } catch (error) {
        if (!stale) throw error;
        this.options.onStale?.({ accountId, service }, error);
        return stale.listing;
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
            return (await discovery.list(account.id, service)).resources.map((r) => r.arn);
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

export interface ResourceGroup {
  service: DiscoverableService;
  /** The matches to offer, at most the search's share for this group. */
  resources: DiscoveredResource[];
  /** More matched than are offered. */
  more: boolean;
  /** The account has more of these than discovery lists, so a match may be missing. */
  listingCut: boolean;
}

export interface ResourceSearchOptions {
  /** All options across groups; Slack's external selects take at most 100. */
  limit?: number;
  /** Shown first, e.g. the service chosen in the form. */
  preferred?: string;
  onError?: (service: DiscoverableService, error: unknown) => void;
}

/**
 * Whether `query` (already lower-cased) is in the resource's name, detail or the resource part of
 * its ARN (after the fifth colon: the partition, region and account would match everything).
 */
function matches(resource: DiscoveredResource, query: string): boolean {
  const haystack = `${resource.name}\n${resource.detail ?? ''}\n${resource.arn.split(':').slice(5).join(':')}`.toLowerCase();
  return haystack.includes(query);
}

/**
 * Resources of one account whose name, detail or ARN contains `query` (case-insensitive), grouped
 * by service. The limit is shared fairly: a hundred matching log groups leave room for the one
 * matching queue. A service that cannot be listed is left out and reported.
 */
export async function searchResources(discovery: ResourceDiscovery, accountId: string, query: string, options: ResourceSearchOptions = {}): Promise<ResourceGroup[]> {
  const limit = options.limit ?? 100;
  const wanted = query.trim().toLowerCase();
  const services = [...DISCOVERABLE_SERVICES].sort((a, b) => Number(b === options.preferred) - Number(a === options.preferred));
  const found = await Promise.all(
    services.map(async (service) => {
      try {
        const listing = await discovery.list(accountId, service);
        return { service, matched: listing.resources.filter((r) => matches(r, wanted)), listingCut: listing.truncated };
      } catch (error) {
        options.onError?.(service, error);
        return { service, matched: [], listingCut: false };
      }
    }),
  );
  const nonEmpty = found.filter((f) => f.matched.length > 0);
  const shares = fairShares(
    nonEmpty.map((f) => f.matched.length),
    limit,
  );
  return nonEmpty.map((f, i) => {
    const share = shares[i] ?? 0;
    return { service: f.service, resources: f.matched.slice(0, share), more: f.matched.length > share, listingCut: f.listingCut };
  });
}

/** Splits `limit` over groups of the given sizes: equal shares, what a small group leaves goes to the others. */
function fairShares(sizes: readonly number[], limit: number): number[] {
  const shares = sizes.map(() => 0);
  let left = limit;
  let open = sizes.map((_, i) => i);
  while (left > 0 && open.length > 0) {
    const each = Math.max(1, Math.floor(left / open.length));
    for (const i of open) {
      const take = Math.min(each, sizes[i]! - shares[i]!, left);
      shares[i] = shares[i]! + take;
      left -= take;
    }
    open = open.filter((i) => shares[i]! < sizes[i]!);
  }
  return shares;
}
