import { DescribeDBInstancesCommand, type RDSClient } from '@aws-sdk/client-rds';
import type { ResourceListing } from '../../../access/resource-discovery.js';
import { collectPages } from '../paginate.js';
import { toListing, type ListContext } from './context.js';

/** DB instances in the account's region, known by their identifier. */
export async function listDbInstances(rds: RDSClient, ctx: ListContext): Promise<ResourceListing> {
  const listed = await collectPages(async (marker) => {
    const page = await ctx.call(`RDS DescribeDBInstances in ${ctx.account.id} ${ctx.account.region}`, () =>
      // RDS takes 20 to 100 per page.
      rds.send(new DescribeDBInstancesCommand({ MaxRecords: Math.max(20, Math.min(ctx.max, 100)), ...(marker ? { Marker: marker } : {}) })),
    );
    const items = (page.DBInstances ?? []).flatMap((db) =>
      db.DBInstanceIdentifier ? [{ name: db.DBInstanceIdentifier, ...(db.Engine ? { detail: db.Engine } : {}) }] : [],
    );
    return { items, next: page.Marker };
  }, ctx.max);
  return toListing('rds', ctx, listed);
}
