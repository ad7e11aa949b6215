import type { App, BlockButtonAction } from '@slack/bolt';
import { approveRequest, assertMayDeny } from '../../../access/workflows/decide.js';
import { cancelRequest, releaseGrant } from '../../../access/workflows/requester-actions.js';
import { submitDraft } from '../../../access/workflows/submit.js';
import { UserFacingError } from '../../../access/errors.js';
import { loadRequest } from '../../../access/transition.js';
import type { ActionId } from '../../cards/model.js';
import type { ScanActionId } from '../../cards/scan-message.js';
import { reportError, resolveUser, type SlackHandlerContext } from '../context.js';
import { denyModal, prefillFromDraft, requestModal } from '../modals.js';

type Handler = (args: { requestId: string; userId: string; body: BlockButtonAction; ctx: SlackHandlerContext; client: App['client'] }) => Promise<void>;

// The scan.* buttons have their own listeners (scan-actions.ts): their value names a scan, not a request.
const handlers: Record<Exclude<ActionId, ScanActionId>, Handler> = {
  'draft.submit': async ({ requestId, userId, ctx }) => {
    await submitDraft(ctx.deps, requestId, userId);
  },
  'draft.cancel': async ({ requestId, userId, ctx }) => {
    await cancelRequest(ctx.deps, requestId, userId);
  },
  'draft.edit': async ({ requestId, userId, body, ctx, client }) => {
    const request = await loadRequest(ctx.deps, requestId);
    if (request.requesterId !== userId) throw new UserFacingError('Only the person who drafted this request can edit it.');
    if (request.state !== 'drafting') throw new UserFacingError(`Request \`${request.id}\` was already submitted or closed; start a new one to change it.`);
    const metadata = JSON.stringify({ requestId: request.id });
    await client.views.open({
      trigger_id: body.trigger_id,
      view: requestModal(ctx.deps.directory.org.accounts, prefillFromDraft(request.draft), metadata, { resourcePicker: ctx.resources !== undefined }),
    });
  },
  'request.approve': async ({ requestId, userId, ctx }) => {
    await approveRequest(ctx.deps, requestId, userId);
  },
  'request.deny': async ({ requestId, userId, body, ctx, client }) => {
    await assertMayDeny(ctx.deps, requestId, userId);
    await client.views.open({ trigger_id: body.trigger_id, view: denyModal(requestId) });
  },
  'grant.release': async ({ requestId, userId, ctx }) => {
    await releaseGrant(ctx.deps, requestId, userId);
  },
};

/**
 * Card buttons. The button's value names the request; who may act is decided from the clicking
 * user and the stored request, never from anything else in the payload.
 */
export function registerActionHandlers(app: App, ctx: SlackHandlerContext): void {
  for (const [actionId, handler] of Object.entries(handlers) as [Exclude<ActionId, ScanActionId>, Handler][]) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action, client }) => {
      await ack();
      const channel = body.channel?.id ?? body.container?.channel_id;
      try {
        const user = resolveUser(ctx, body.user.id);
        await handler({ requestId: action.value ?? '', userId: user.id, body, ctx, client });
      } catch (error) {
        await reportError(ctx, client, { channel, user: body.user.id, threadTs: body.message?.thread_ts }, error);
      }
    });
  }
}
