import type { App } from '@slack/bolt';
import { z } from 'zod';
import { errorText } from '../../../access/audit.js';
import { RESOURCE_KIND, searchResources, type DiscoveredResource, type ResourceDiscovery, type ResourceGroup } from '../../../access/resource-discovery.js';
import type { SlackHandlerContext } from '../context.js';
import { REQUEST_MODAL_ID, RESOURCE_PICKER_ACTION, RESOURCE_PICKER_BLOCK } from '../modals.js';

/** Slack's limits for external select options. */
const MAX_OPTIONS = 100;
const MAX_TEXT = 75;
const MAX_VALUE = 150;
/** Slack drops an options answer after 3 s; a slow first listing answers empty and fills the cache for the next keystroke. */
const DEFAULT_ANSWER_WITHIN_MS = 2_500;

const selected = z.object({ selected_option: z.object({ value: z.string() }).nullable().optional() }).optional();

/** What the handler reads from a block_suggestion: the typed text and the form's account and service so far. */
const SuggestionSchema = z.object({
  value: z.string(),
  user: z.object({ id: z.string() }),
  view: z.object({
    callback_id: z.string(),
    state: z.object({
      values: z.object({
        account: z.object({ value: selected }).optional(),
        service: z.object({ value: selected }).optional(),
      }),
    }),
  }),
});

interface PlainText {
  type: 'plain_text';
  text: string;
}
interface Option {
  text: PlainText;
  value: string;
  description?: PlainText;
}

function clip(text: string): string {
  return text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT - 1)}…`;
}

/** The ARN's end is what tells two resources apart, so a long one keeps its end. */
function clipStart(text: string): string {
  return text.length <= MAX_TEXT ? text : `…${text.slice(text.length - (MAX_TEXT - 1))}`;
}

function option(resource: DiscoveredResource): Option {
  const label = resource.detail ? `${resource.name} (${resource.detail})` : resource.name;
  return { text: { type: 'plain_text', text: clip(label) }, value: resource.arn, description: { type: 'plain_text', text: clipStart(resource.arn) } };
}

function groupLabel(group: ResourceGroup): string {
  const notes = [group.more ? 'more match: type more' : undefined, group.listingCut ? 'not all listed' : undefined].filter(Boolean);
  return clip(notes.length > 0 ? `${RESOURCE_KIND[group.service]} (${notes.join('; ')})` : RESOURCE_KIND[group.service]);
}

/** Slack options grouped by service. An ARN longer than an option value may be cannot be offered; it can still be typed. */
export function resourceOptionGroups(groups: readonly ResourceGroup[]): Array<{ label: PlainText; options: Option[] }> {
  return groups
    .map((group) => ({ label: { type: 'plain_text' as const, text: groupLabel(group) }, options: group.resources.filter((r) => r.arn.length <= MAX_VALUE).map(option) }))
    .filter((group) => group.options.length > 0);
}

export interface ResourceOptionsSettings {
  /** Default 2.5 s: Slack gives an options request 3 s. */
  answerWithinMs?: number;
}

/**
 * The request form's resource picker: resources of the account chosen in the form (read from the
 * block_suggestion's view state) whose name contains the typed text, at most 100, grouped by type.
 * Only people in the org get answers, and only for accounts in org.yaml. A picked value is just an
 * ARN the submit handler drafts from, through every check a typed name goes through.
 */
export function registerResourceOptions(app: App, ctx: SlackHandlerContext, discovery: ResourceDiscovery, settings: ResourceOptionsSettings = {}): void {
  const answerWithin = settings.answerWithinMs ?? DEFAULT_ANSWER_WITHIN_MS;
  app.options<'block_suggestion'>({ type: 'block_suggestion', block_id: RESOURCE_PICKER_BLOCK, action_id: RESOURCE_PICKER_ACTION }, async ({ ack, body }) => {
    const parsed = SuggestionSchema.safeParse(body);
    const none = () => ack({ options: [] });
    if (!parsed.success || parsed.data.view.callback_id !== REQUEST_MODAL_ID) return none();
    const { value, user, view } = parsed.data;
    const accountId = view.state.values.account?.value?.selected_option?.value;
    const account = ctx.deps.directory.org.accounts.find((a) => a.id === accountId);
    if (!ctx.deps.directory.userBySlackId(user.id) || !account || value.trim() === '') return none();
    const service = view.state.values.service?.value?.selected_option?.value;
    const search = searchResources(discovery, account.id, value, {
      limit: MAX_OPTIONS,
      ...(service ? { preferred: service } : {}),
      onError: (s, error) => ctx.logger.error('resource discovery failed', { account: account.id, service: s, error: errorText(error) }),
    });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), answerWithin);
    });
    try {
      const groups = await Promise.race([search, late]);
      if (groups === 'late') {
        ctx.logger.info('resource picker answered empty: discovery is still listing', { account: account.id });
        return none();
      }
      const optionGroups = resourceOptionGroups(groups);
      return optionGroups.length > 0 ? ack({ option_groups: optionGroups }) : none();
    } finally {
      clearTimeout(timer);
    }
  });
}
