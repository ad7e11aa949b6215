import type { App } from '@slack/bolt';
import { UserFacingError } from '../../../access/errors.js';
import { denyRequest } from '../../../access/workflows/decide.js';
import { presentDraftResult } from '../../../access/workflows/converse.js';
import type { Origin } from '../../../access/types.js';
import { notice } from '../../cards/request-cards.js';
import { reportError, resolveUser, type SlackHandlerContext } from '../context.js';
import { DENY_MODAL_ID, ModalMetadataSchema, parseDenyModal, parseRequestModal, REQUEST_MODAL_ID } from '../modals.js';

function parseMetadata(raw: string) {
  try {
    const parsed = ModalMetadataSchema.safeParse(JSON.parse(raw || '{}'));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** Form submissions. Field problems go back into the form; everything else happens after the ack. */
export function registerViewHandlers(app: App, ctx: SlackHandlerContext): void {
  app.view(REQUEST_MODAL_ID, async ({ ack, body, view, client }) => {
    const slackUser = body.user.id;
    const user = ctx.deps.directory.userBySlackId(slackUser);
    if (!user) {
      await ack({ response_action: 'errors', errors: { account: 'Your Slack account is not in Warden’s org config. Ask the platform team to add it.' } });
      return;
    }
    const parsed = parseRequestModal(view.state.values, user.id);
    if (!parsed.ok) {
      await ack({ response_action: 'errors', errors: parsed.errors });
      return;
    }
    // The form path is deterministic and fast, so its errors can still be shown inside the form.
    const result = await ctx.deps.drafter.fromFields(parsed.input);
    if (result.kind !== 'draft') {
      const message = result.kind === 'error' ? result.message : result.questions.join(' ');
      await ack({ response_action: 'errors', errors: { resources: message } });
      return;
    }
    await ack();
    const metadata = parseMetadata(view.private_metadata);
    try {
      const editing = metadata.requestId ? await ctx.deps.store.getRequest(metadata.requestId) : undefined;
      let origin: Origin;
      if (editing && editing.requesterId === user.id) {
        origin = editing.origin;
      } else {
        const channel = await ctx.notifier.dmChannel(slackUser);
        const root = await ctx.notifier.post({ kind: 'channel', channel }, notice('📝 Access request from the form'));
        origin = { platform: 'slack', channel: root.channel, threadTs: root.ts };
      }
      await presentDraftResult(ctx.deps, user.id, origin, result, editing?.id ?? null);
    } catch (error) {
      await reportError(ctx, client, { user: slackUser }, error);
    }
  });

  app.view(DENY_MODAL_ID, async ({ ack, body, view, client }) => {
    const reason = parseDenyModal(view.state.values);
    if (!reason) {
      await ack({ response_action: 'errors', errors: { reason: 'Give a reason of at least a few words, so the requester knows what to change.' } });
      return;
    }
    await ack();
    const { requestId } = parseMetadata(view.private_metadata);
    try {
      if (!requestId) throw new UserFacingError('This form lost track of its request. Click Deny on the card again.');
      const user = resolveUser(ctx, body.user.id);
      await denyRequest(ctx.deps, requestId, user.id, reason);
    } catch (error) {
      await reportError(ctx, client, { user: body.user.id }, error);
    }
  });
}
