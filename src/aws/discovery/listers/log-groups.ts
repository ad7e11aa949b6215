import { DescribeLogGroupsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { ResourceListing } from '../../../access/resource-discovery.js';
import { collectPages } from '../paginate.js';
import { toListing, type ListContext } from './context.js';

/**
 * Log groups in the account's region. The ARN is the catalog's log-group form (no trailing ":*",
 * which DescribeLogGroups' own `arn` field carries).
 */
export async function listLogGroups(logs: CloudWatchLogsClient, ctx: ListContext): Promise<ResourceListing> {
  const listed = await collectPages(async (token) => {
    const page = await ctx.call(`CloudWatch Logs DescribeLogGroups in ${ctx.account.id} ${ctx.account.region}`, () =>
      logs.send(new DescribeLogGroupsCommand({ limit: Math.min(ctx.max, 50), ...(token ? { nextToken: token } : {}) })),
    );
    return { items: (page.logGroups ?? []).flatMap((g) => (g.logGroupName ? [{ name: g.logGroupName }] : [])), next: page.nextToken };
  }, ctx.max);
  return toListing('logs', ctx, listed);
}
