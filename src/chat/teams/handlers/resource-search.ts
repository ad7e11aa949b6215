import type { SearchInvokeResponse, TurnContext } from 'botbuilder';
import { z } from 'zod';
import { errorText } from '../../../access/audit.js';
import { RESOURCE_KIND, searchResources, type DiscoveredResource, type DiscoverableService } from '../../../access/resource-discovery.js';
import type { TeamsHandlerContext } from '../context.js';
import { RESOURCE_DATASET } from '../forms.js';

/** Teams shows at most 15 typeahead choices at a time and pages with skip/top. */
const DEFAULT_TOP = 15;
const MAX_TOP = 100;

/**
 * What Teams sends as the person types into the form's resource picker: the text, paging, and (with
 * `associatedInputs: auto`) the card's inputs, of which the account chosen is what matters.
 */
const SearchSchema = z.object({
  queryText: z.string(),
  dataset: z.string(),
  queryOptions: z.object({ skip: z.number().int().min(0).optional(), top: z.number().int().min(1).optional() }).optional(),
  data: z.object({ account: z.string().optional(), service: z.string().optional() }).loose().optional(),
});

function searchResponse(results: Array<{ title: string; value: string }>): SearchInvokeResponse {
  return { statusCode: 200, type: 'application/vnd.microsoft.search.searchResponse', value: { results } };
}

function title(service: DiscoverableService, resource: DiscoveredResource): string {
  const name = resource.detail ? `${resource.name} (${resource.detail})` : resource.name;
  return `${name} · ${RESOURCE_KIND[service]}`;
}

/**
 * The `application/search` invoke of the request form's resource picker: the account's resources
 * whose name contains the typed text, the form's service first. Only people in the org get
 * answers, and only for accounts in org.yaml; anything else is an empty list, not an error, as for
 * Slack's picker. A picked value is only an ARN: the form's submit drafts from it with every check.
 */
export async function onResourceSearch(ctx: TeamsHandlerContext, context: TurnContext): Promise<SearchInvokeResponse> {
  const parsed = SearchSchema.safeParse(context.activity.value);
  const discovery = ctx.resources;
  if (!parsed.success || parsed.data.dataset !== RESOURCE_DATASET || !discovery) return searchResponse([]);
  const { queryText, queryOptions, data } = parsed.data;
  const aad = context.activity.from.aadObjectId;
  const user = aad ? ctx.deps.directory.userByAadObjectId(aad) : undefined;
  const account = ctx.deps.directory.org.accounts.find((a) => a.id === data?.account?.trim());
  if (!user || !account || queryText.trim() === '') return searchResponse([]);
  const skip = queryOptions?.skip ?? 0;
  const top = Math.min(queryOptions?.top ?? DEFAULT_TOP, MAX_TOP);
  const search = searchResources(discovery, account.id, queryText, {
    limit: skip + top,
    ...(data?.service ? { preferred: data.service } : {}),
    onError: (service, error) => ctx.logger.error('resource discovery failed', { account: account.id, service, error: errorText(error) }),
  });
  // Teams gives an invoke a few seconds: a slow first listing answers empty and fills the cache for the next keystroke.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ctx.invokeBudgetMs);
  });
  const groups = await Promise.race([search, late]).finally(() => clearTimeout(timer));
  if (groups === 'late') {
    ctx.logger.info('resource search answered empty: discovery is still listing', { account: account.id });
    return searchResponse([]);
  }
  const results = groups.flatMap((g) => g.resources.map((r) => ({ title: title(g.service, r), value: r.arn })));
  return searchResponse(results.slice(skip, skip + top));
}
