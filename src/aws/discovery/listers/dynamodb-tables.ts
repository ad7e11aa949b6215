import { ListTablesCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ResourceListing } from '../../../access/resource-discovery.js';
import { collectPages } from '../paginate.js';
import { toListing, type ListContext } from './context.js';

/** Tables in the account's region from org.yaml. */
export async function listTables(dynamodb: DynamoDBClient, ctx: ListContext): Promise<ResourceListing> {
  const listed = await collectPages(async (start) => {
    const page = await ctx.call(`DynamoDB ListTables in ${ctx.account.id}`, () =>
      dynamodb.send(new ListTablesCommand({ Limit: Math.min(ctx.max, 100), ...(start ? { ExclusiveStartTableName: start } : {}) })),
    );
    return { items: (page.TableNames ?? []).map((name) => ({ name })), next: page.LastEvaluatedTableName };
  }, ctx.max);
  return toListing('dynamodb', ctx, listed);
}
