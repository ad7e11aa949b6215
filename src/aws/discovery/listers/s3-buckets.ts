import { ListBucketsCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ResourceListing } from '../../../access/resource-discovery.js';
import { collectPages } from '../paginate.js';
import { toListing, type ListContext } from './context.js';

/** Every bucket the account owns (S3 lists all regions at once); bucket ARNs have no region or account. */
export async function listBuckets(s3: S3Client, ctx: ListContext): Promise<ResourceListing> {
  const listed = await collectPages(async (token) => {
    const page = await ctx.call(`S3 ListBuckets in ${ctx.account.id}`, () =>
      s3.send(new ListBucketsCommand({ MaxBuckets: Math.min(ctx.max, 1000), ...(token ? { ContinuationToken: token } : {}) })),
    );
    return { items: (page.Buckets ?? []).flatMap((b) => (b.Name ? [{ name: b.Name }] : [])), next: page.ContinuationToken };
  }, ctx.max);
  return toListing('s3', ctx, listed);
}
