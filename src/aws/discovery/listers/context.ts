import type { DiscoverableService, DiscoveredResource, ResourceListing } from '../../../access/resource-discovery.js';
import type { Account } from '../../../config/schemas.js';
import { ArnBuildError } from '../../../policy/arn.js';
import { resourceArn } from '../resource-arns.js';

/** What every lister gets: where to list, how many at most, and the one retrying way to call AWS. */
export interface ListContext {
  account: Account;
  partition: string;
  /** The cap per account and service. */
  max: number;
  /** Runs one SDK call under `retry.ts`, named for the error message. */
  call<T>(what: string, send: () => Promise<T>): Promise<T>;
}

/**
 * Turns listed names into resources with catalog-shaped ARNs, sorted. A name that cannot form a
 * valid ARN (it would cross a segment) is dropped: offering it would only produce a draft that fails.
 */
export function toListing(
  service: DiscoverableService,
  ctx: ListContext,
  listed: { items: ReadonlyArray<{ name: string; id?: string; detail?: string }>; truncated: boolean },
): ResourceListing {
  const resources: DiscoveredResource[] = [];
  for (const item of listed.items) {
    try {
      const arn = resourceArn(service, ctx.partition, ctx.account, item.id ?? item.name);
      resources.push({ arn, name: item.name, ...(item.detail ? { detail: item.detail } : {}) });
    } catch (error) {
      if (!(error instanceof ArnBuildError)) throw error;
    }
  }
  resources.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  return { resources, truncated: listed.truncated };
}
