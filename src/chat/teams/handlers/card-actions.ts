import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import { z } from 'zod';
import { errorText } from '../../../access/audit.js';
import type { AccessDeps } from '../../../access/deps.js';
import { UserFacingError } from '../../../access/errors.js';
import { loadRequest } from '../../../access/transition.js';
import type { AccessRequest } from '../../../access/types.js';
import { presentDraftResult } from '../../../access/workflows/converse.js';
import { approveRequest, denyRequest } from '../../../access/workflows/decide.js';
import { cancelRequest, releaseGrant } from '../../../access/workflows/requester-actions.js';
import { submitDraft } from '../../../access/workflows/submit.js';
import type { User } from '../../../config/schemas.js';
import type { ActionId } from '../../cards/model.js';
import { notice } from '../../cards/request-cards.js';
import { isScanAction, type ScanActionId } from '../../cards/scan-message.js';
import { withActingPlatform } from '../../routing-notifier.js';
import { renderAdaptiveCard, type AdaptiveCard, type RenderOptions } from '../adaptive.js';
import { explainError, resolveUser, type TeamsHandlerContext, type TeamsSender } from '../context.js';
import { parseDenyReason, parseRequestForm, REQUEST_FORM_VERB, requestFormCard } from '../forms.js';
import { onScanAction } from '../scans/scan-card-actions.js';
import { channelOrigin, startSession } from '../sessions.js';
import { ADAPTIVE_CARD_CONTENT_TYPE } from '../teams-notifier.js';
import { CARD_VIEWS, REFRESH_VERB, sharedView, viewFor, type CardView } from '../views.js';

const InvokeSchema = z.object({
  id: z.string().optional(),
  from: z.object({ id: z.string(), aadObjectId: z.string().optional(), name: z.string().optional() }),
  conversation: z.object({ id: z.string().min(1), conversationType: z.string().optional() }),
  /** The message whose card was clicked. */
  replyToId: z.string().optional(),
  value: z.object({
    action: z.object({ type: z.literal('Action.Execute'), verb: z.string().min(1), data: z.record(z.string(), z.unknown()).optional() }),
    trigger: z.enum(['manual', 'automatic']).optional(),
  }),
});
type Invoke = z.infer<typeof InvokeSchema>;

type RequestActionId = Exclude<ActionId, ScanActionId>;

/** The card each action lives on, so the answer shows the same card. (Scan buttons: scans/scan-card-actions.ts.) */
const VIEW_OF_ACTION: Record<RequestActionId, CardView> = {
  'draft.submit': 'draft',
  'draft.edit': 'draft',
  'draft.cancel': 'draft',
  'request.approve': 'approval',
  'request.deny': 'approval',
  'grant.release': 'status',
};
const isActionId = (verb: string): verb is RequestActionId => Object.hasOwn(VIEW_OF_ACTION, verb);

type Note = NonNullable<RenderOptions['note']>;
type Outcome = { state: 'done' } | { state: 'failed'; error: unknown } | { state: 'running' };

function cardResponse(card: AdaptiveCard): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: { ...card } };
}

function badRequest(message: string): AdaptiveCardInvokeResponse {
  return { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message } };
}

const warning = (text: string): Note => ({ text: `⚠️ ${text}`, tone: 'warning' });

/**
 * An Action.Execute click or an automatic refresh (`adaptiveCard/action`). The answer is a card that
 * replaces the clicked one for the clicking person; everyone else's copies are updated by the
 * workflow (syncCards → TeamsNotifier.update). Who may act is decided from the clicking Entra ID
 * user and the stored request, never from the card's data.
 */
export async function onCardAction(ctx: TeamsHandlerContext, context: TurnContext): Promise<AdaptiveCardInvokeResponse> {
  const parsed = InvokeSchema.safeParse(context.activity);
  if (!parsed.success) return badRequest('Expected an Action.Execute with a verb.');
  const invoke = parsed.data;
  return withActingPlatform('teams', () => dispatch(ctx, invoke));
}

async function dispatch(ctx: TeamsHandlerContext, invoke: Invoke): Promise<AdaptiveCardInvokeResponse> {
  const { verb } = invoke.value.action;
  const data = invoke.value.action.data ?? {};
  const sender: TeamsSender = { aadObjectId: invoke.from.aadObjectId, name: invoke.from.name };
  let user: User | undefined;
  let refusal: string | undefined;
  try {
    user = resolveUser(ctx, sender);
  } catch (error) {
    refusal = explainError(ctx, error);
  }

  if (isScanAction(verb)) return onScanAction(ctx, ctx.scans, { verb, data, sender, conversationId: invoke.conversation.id });
  if (verb === REQUEST_FORM_VERB) {
    if (!user) return cardResponse(renderAdaptiveCard(notice(`⚠️ ${refusal ?? ''}`)));
    return submitForm(ctx, invoke, user, data);
  }
  const requestId = z.string().min(1).safeParse(data['requestId']);
  if (!requestId.success) return badRequest('The card did not say which request it is about.');
  const request = await ctx.deps.store.getRequest(requestId.data);
  if (!request) return cardResponse(renderAdaptiveCard(notice(`⚠️ There is no request \`${requestId.data}\`.`)));

  if (verb === REFRESH_VERB) {
    const view = z.enum(CARD_VIEWS).catch('approval').parse(data['view']);
    return respond(ctx, invoke, request, view, user);
  }
  if (!isActionId(verb)) return badRequest(`Unknown action "${verb}".`);
  const view = VIEW_OF_ACTION[verb];
  if (!user) return respond(ctx, invoke, request, view, undefined, warning(refusal ?? ''));
  const actor = user;

  const outcome = await withinBudget(ctx, runAction(ctx.deps, verb, request.id, actor.id, data), async (error) => {
    // Finished after Teams got its answer: the refusal can only go to the person's chat now.
    const card = notice(`⚠️ ${explainError(ctx, error)}`);
    await ctx.notifier.sendPrivately(sender.aadObjectId, invoke.conversation.id, renderAdaptiveCard(card), card.fallback);
  });
  const note =
    outcome.state === 'running'
      ? ({ text: '⏳ Working on it: this card updates when it is done.', tone: 'info' } as const)
      : outcome.state === 'failed'
        ? warning(explainError(ctx, outcome.error))
        : undefined;
  const fresh = (await ctx.deps.store.getRequest(request.id)) ?? request;
  if (outcome.state === 'done') await updateUntrackedCard(ctx, invoke, fresh, view);
  return respond(ctx, invoke, fresh, view, actor, note);
}

function runAction(deps: AccessDeps, verb: RequestActionId, requestId: string, userId: string, data: Record<string, unknown>): Promise<unknown> {
  switch (verb) {
    case 'draft.submit':
      return submitDraft(deps, requestId, userId);
    case 'draft.cancel':
      return cancelRequest(deps, requestId, userId);
    case 'draft.edit':
      return editDraft(deps, requestId, userId, data);
    case 'request.approve':
      return approveRequest(deps, requestId, userId);
    case 'request.deny': {
      const reason = parseDenyReason(data);
      if (!reason) return Promise.reject(new UserFacingError('Give a reason of at least a few words, so the requester knows what to change.'));
      return denyRequest(deps, requestId, userId, reason);
    }
    case 'grant.release':
      return releaseGrant(deps, requestId, userId);
  }
}

/** Edit on a draft: the inline form's fields are drafted again into the same request, in its own thread. */
async function editDraft(deps: AccessDeps, requestId: string, userId: string, data: Record<string, unknown>): Promise<void> {
  const request = await loadRequest(deps, requestId);
  if (request.requesterId !== userId) throw new UserFacingError('Only the person who drafted this request can edit it.');
  if (request.state !== 'drafting') throw new UserFacingError(`Request \`${request.id}\` was already submitted or closed; start a new one to change it.`);
  const form = parseRequestForm(data, userId);
  if (!form.ok) throw new UserFacingError(form.message);
  const result = await deps.drafter.fromFields(form.input);
  if (result.kind !== 'draft') throw new UserFacingError(result.kind === 'error' ? result.message : result.questions.join(' '));
  await presentDraftResult(deps, userId, request.origin, result, request.id);
}

/** The `access request` form: drafted like a first message, in a conversation of its own. */
async function submitForm(ctx: TeamsHandlerContext, invoke: Invoke, user: User, data: Record<string, unknown>): Promise<AdaptiveCardInvokeResponse> {
  const form = parseRequestForm(data, user.id);
  const again = (message: string) => {
    const card = requestFormCard(ctx.deps.directory.org.accounts, { resourcePicker: ctx.resources !== undefined });
    const note = renderAdaptiveCard(notice(`⚠️ ${message}`)).body;
    return cardResponse({ ...card, body: [...note, ...card.body] });
  };
  if (!form.ok) return again(form.message);
  // The form path is deterministic and fast, so its problems are still shown on the form itself.
  const result = await ctx.deps.drafter.fromFields(form.input);
  if (result.kind !== 'draft') return again(result.kind === 'error' ? result.message : result.questions.join(' '));
  const startedAt = invoke.id ?? invoke.replyToId ?? `form-${Date.now()}`;
  const origin =
    invoke.conversation.conversationType === 'channel'
      ? channelOrigin(invoke.conversation.id, invoke.replyToId ?? startedAt)
      : await startSession(ctx, invoke.conversation.id, startedAt);
  const outcome = await withinBudget(ctx, presentDraftResult(ctx.deps, user.id, origin, result, null), async (error) => {
    const card = notice(`⚠️ ${explainError(ctx, error)}`);
    await ctx.notifier.sendPrivately(user.aadObjectId, invoke.conversation.id, renderAdaptiveCard(card), card.fallback);
  });
  const text = outcome.state === 'failed' ? `⚠️ ${explainError(ctx, outcome.error)}` : '📝 Drafting your request: the preview follows below.';
  return cardResponse(renderAdaptiveCard(notice(text)));
}

/**
 * Answers Teams within the invoke budget. Work that takes longer goes on in the background (a grant
 * calling AWS), and Teams gets the card as it stands; the workflow updates every copy when it ends.
 */
async function withinBudget(ctx: TeamsHandlerContext, work: Promise<unknown>, late: (error: unknown) => Promise<void>): Promise<Outcome> {
  const settled: Promise<Outcome> = work.then(
    () => ({ state: 'done' }),
    (error: unknown) => ({ state: 'failed', error }),
  );
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ state: 'running' }), ctx.invokeBudgetMs);
  });
  const first = await Promise.race([settled, budget]);
  clearTimeout(timer);
  if (first.state === 'running') {
    ctx.background.run('teams card action', async () => {
      const outcome = await settled;
      if (outcome.state === 'failed') await late(outcome.error);
    });
  }
  return first;
}

/**
 * Only people the request concerns see it in an answer; anyone else must be looking at a copy the
 * bot posted in a channel (an approval card there), or a crafted invoke could read any request.
 * Copies in personal chats only ever go to the requester and approvers.
 */
async function mayView(ctx: TeamsHandlerContext, invoke: Invoke, request: AccessRequest, user: User | undefined): Promise<boolean> {
  if (user && (request.requesterId === user.id || request.approverIds.includes(user.id))) return true;
  if (!invoke.replyToId || invoke.conversation.conversationType !== 'channel') return false;
  const refs = await ctx.deps.store.listMessageRefs(request.id);
  return refs.some((r) => r.platform === 'teams' && r.channel === invoke.conversation.id && r.ts === invoke.replyToId);
}

async function respond(
  ctx: TeamsHandlerContext,
  invoke: Invoke,
  request: AccessRequest,
  view: CardView,
  user: User | undefined,
  note?: Note,
): Promise<AdaptiveCardInvokeResponse> {
  if (!(await mayView(ctx, invoke, request, user))) {
    return cardResponse(renderAdaptiveCard(notice(note?.text ?? `⚠️ There is no request \`${request.id}\` of yours.`)));
  }
  return cardResponse(viewFor(request, view, user?.id, ctx.deps.directory, note));
}

/**
 * Copies the workflow tracks (drafts, approval cards) were just updated by it. A card it does not
 * track, like a status card from `access status`, is replaced here so everyone sees the outcome.
 */
async function updateUntrackedCard(ctx: TeamsHandlerContext, invoke: Invoke, request: AccessRequest, view: CardView): Promise<void> {
  if (!invoke.replyToId) return;
  const refs = await ctx.deps.store.listMessageRefs(request.id);
  if (refs.some((r) => r.platform === 'teams' && r.channel === invoke.conversation.id && r.ts === invoke.replyToId)) return;
  try {
    await ctx.notifier.replaceCard(invoke.conversation.id, invoke.replyToId, sharedView(request, view, ctx.deps.directory), `Request ${request.id}`);
  } catch (error) {
    ctx.logger.error('could not update a clicked Teams card', { error: errorText(error) });
  }
}
