import { ListFunctionsCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { ResourceListing } from '../../../access/resource-discovery.js';
import { collectPages } from '../paginate.js';
import { toListing, type ListContext } from './context.js';

/** Functions in the account's region (unqualified: access to a function covers its versions' use). */
export async function listFunctions(lambda: LambdaClient, ctx: ListContext): Promise<ResourceListing> {
  const listed = await collectPages(async (marker) => {
    const page = await ctx.call(`Lambda ListFunctions in ${ctx.account.id} ${ctx.account.region}`, () =>
      lambda.send(new ListFunctionsCommand({ MaxItems: Math.min(ctx.max, 50), ...(marker ? { Marker: marker } : {}) })),
    );
    const items = (page.Functions ?? []).flatMap((f) => (f.FunctionName ? [{ name: f.FunctionName, ...(f.Runtime ? { detail: f.Runtime } : {}) }] : []));
    return { items, next: page.NextMarker };
  }, ctx.max);
  return toListing('lambda', ctx, listed);
}
