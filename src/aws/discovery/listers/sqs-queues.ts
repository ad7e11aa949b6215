import { ListQueuesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ResourceListing } from '../../../access/resource-discovery.js';
import { collectPages } from '../paginate.js';
import { toListing, type ListContext } from './context.js';

/** The queue name is the last path segment of its URL (https://sqs.<region>.amazonaws.com/<account>/<name>). */
export function queueNameFromUrl(url: string): string | undefined {
  const name = url.split('/').filter(Boolean).pop();
  return name && name !== url ? decodeURIComponent(name) : undefined;
}

/** Queues in the account's region. MaxResults is always sent: without it SQS returns up to 1000 with no way to page. */
export async function listQueues(sqs: SQSClient, ctx: ListContext): Promise<ResourceListing> {
  const listed = await collectPages(async (token) => {
    const page = await ctx.call(`SQS ListQueues in ${ctx.account.id} ${ctx.account.region}`, () =>
      sqs.send(new ListQueuesCommand({ MaxResults: Math.min(ctx.max, 1000), ...(token ? { NextToken: token } : {}) })),
    );
    const items = (page.QueueUrls ?? []).flatMap((url) => {
      const name = queueNameFromUrl(url);
      return name ? [{ name }] : [];
    });
    return { items, next: page.NextToken };
  }, ctx.max);
  return toListing('sqs', ctx, listed);
}
