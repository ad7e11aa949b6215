import { DescribeInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import type { ResourceListing } from '../../../access/resource-discovery.js';
import { collectPages } from '../paginate.js';
import { toListing, type ListContext } from './context.js';

/** Terminated instances stay visible for an hour; nobody needs access to one. */
const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped'];

/** Instances in the account's region: people know them by their Name tag, the ARN by their id. */
export async function listInstances(ec2: EC2Client, ctx: ListContext): Promise<ResourceListing> {
  const listed = await collectPages(async (token) => {
    const page = await ctx.call(`EC2 DescribeInstances in ${ctx.account.id} ${ctx.account.region}`, () =>
      ec2.send(
        new DescribeInstancesCommand({
          Filters: [{ Name: 'instance-state-name', Values: LIVE_STATES }],
          // EC2 takes 5 to 1000 per page.
          MaxResults: Math.max(5, Math.min(ctx.max, 1000)),
          ...(token ? { NextToken: token } : {}),
        }),
      ),
    );
    const items = (page.Reservations ?? []).flatMap((r) =>
      (r.Instances ?? []).flatMap((instance) => {
        const id = instance.InstanceId;
        if (!id) return [];
        const tagged = instance.Tags?.find((t) => t.Key === 'Name')?.Value?.trim();
        const state = instance.State?.Name;
        const detail = [tagged ? id : undefined, state].filter(Boolean).join(' · ');
        return [{ id, name: tagged || id, ...(detail ? { detail } : {}) }];
      }),
    );
    return { items, next: page.NextToken };
  }, ctx.max);
  return toListing('ec2', ctx, listed);
}
