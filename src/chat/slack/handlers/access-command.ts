import type { App, RespondFn } from '@slack/bolt';
import { cancelRequest, releaseGrant, requestForViewer } from '../../../access/workflows/requester-actions.js';
import { requestSessionAccess, SSH_USAGE } from '../../../access/workflows/session-access.js';
import { UserFacingError } from '../../../access/errors.js';
import { accessHelpCard } from '../../cards/help-card.js';
import type { Card } from '../../cards/model.js';
import { notice, requestListCard, statusCard } from '../../cards/request-cards.js';
import { renderBlocks } from '../blocks.js';
import { explainError, resolveUser, type SlackHandlerContext } from '../context.js';
import { requestModal } from '../modals.js';

const LIST_LIMIT = 15;

async function reply(respond: RespondFn, card: Card): Promise<void> {
  await respond({ response_type: 'ephemeral', ...renderBlocks(card) });
}

function requireId(subcommand: string, id: string | undefined): string {
  if (!id) throw new UserFacingError(`Say which request: \`/access ${subcommand} <id>\`. \`/access list\` shows your ids.`);
  return id;
}

/** `/access <subcommand>`: acknowledged at once, answered ephemerally (only the caller sees it). */
export function registerAccessCommand(app: App, ctx: SlackHandlerContext): void {
  app.command('/access', async ({ command, ack, respond, client }) => {
    await ack();
    const [subcommand = 'help', id, ...rest] = command.text.trim().split(/\s+/).filter(Boolean);
    try {
      const user = resolveUser(ctx, command.user_id);
      switch (subcommand.toLowerCase()) {
        case 'request': {
          const metadata = JSON.stringify({ channel: command.channel_id });
          await client.views.open({ trigger_id: command.trigger_id, view: requestModal(ctx.deps.directory.org.accounts, {}, metadata, { resourcePicker: ctx.resources !== undefined }) });
          return;
        }
        case 'list': {
          const page = await ctx.deps.store.listRequestsByRequester(user.id, { limit: LIST_LIMIT });
          await reply(respond, requestListCard(page.items, page.cursor !== null));
          return;
        }
        case 'status': {
          const request = await requestForViewer(ctx.deps, requireId('status', id), user.id);
          await reply(respond, statusCard(request, ctx.deps.directory));
          return;
        }
        case 'cancel': {
          const request = await cancelRequest(ctx.deps, requireId('cancel', id), user.id);
          await reply(respond, notice(`🚫 Cancelled \`${request.id}\`.`));
          return;
        }
        case 'release': {
          const request = await releaseGrant(ctx.deps, requireId('release', id), user.id);
          await reply(respond, notice(`⏹️ Ended access \`${request.id}\` and revoked it.`));
          return;
        }
        case 'ssh': {
          // The draft gets its own DM thread, like the form's, so Submit and the approval updates land there.
          const outcome = await requestSessionAccess(ctx.deps, { requesterId: user.id, words: [id, ...rest].filter((w): w is string => Boolean(w)) }, async () => {
            const channel = await ctx.notifier.dmChannel(command.user_id);
            const root = await ctx.notifier.post({ kind: 'channel', channel }, notice('🖥️ Session Manager access from `/access ssh`'));
            return { platform: 'slack', channel: root.channel, threadTs: root.ts };
          });
          const text =
            outcome.kind === 'reply'
              ? `⚠️ ${outcome.message}`
              : outcome.requestId
                ? `Drafted \`${outcome.requestId}\`; submit it in our DM thread.`
                : `⚠️ That cannot be submitted as it is; the reasons are in our DM thread. Try again with a reason: ${SSH_USAGE}.`;
          await reply(respond, notice(text));
          return;
        }
        case 'help': {
          const question = [id, ...rest].filter(Boolean).join(' ');
          if (!question || !ctx.help) {
            await reply(respond, accessHelpCard());
            return;
          }
          // The answer is already cleaned and uses our markdown (commands in backticks).
          const answer = await ctx.help.answer({ userId: user.id, question });
          await reply(respond, notice(answer.text));
          return;
        }
        default:
          await reply(respond, notice(`⚠️ I don't know \`/access ${subcommand}\`. Try \`/access help\`.`));
      }
    } catch (error) {
      await reply(respond, notice(`⚠️ ${explainError(ctx, error)}`));
    }
  });
}
