import { UserFacingError } from '../../../access/errors.js';
import { cancelRequest, releaseGrant, requestForViewer } from '../../../access/workflows/requester-actions.js';
import { accessHelpCard } from '../../cards/help-card.js';
import type { Card } from '../../cards/model.js';
import { notice, requestListCard } from '../../cards/request-cards.js';
import { renderAdaptiveCard, type AdaptiveCard } from '../adaptive.js';
import { explainError, resolveUser, type TeamsHandlerContext, type TeamsSender } from '../context.js';
import { requestFormCard } from '../forms.js';
import { runScanCommand } from '../scans/scan-command.js';
import { viewFor } from '../views.js';
import { runCommandRequest, sshCommand } from './instance-commands.js';
import type { Command, CommandName } from './text.js';

const LIST_LIMIT = 15;

/** Where a command was typed; its answer is private (the personal chat) wherever that was. */
export interface CommandSource {
  sender: TeamsSender;
  conversationId: string;
  personal: boolean;
}

function requireId(command: CommandName, id: string | undefined): string {
  if (!id) throw new UserFacingError(`Say which request: \`access ${command} <id>\`. \`access list\` shows your ids.`);
  return id;
}

/** `access request|list|status|cancel|release|help`, like Slack's `/access`. */
export async function runCommand(ctx: TeamsHandlerContext, source: CommandSource, command: Command): Promise<void> {
  const reply = (card: AdaptiveCard, summary: string) =>
    ctx.notifier.sendPrivately(source.personal ? undefined : source.sender.aadObjectId, source.conversationId, card, summary);
  const replyCard = (card: Card) => reply(renderAdaptiveCard(card), card.fallback);
  if (command.name === 'scan') {
    await runScanCommand(ctx, ctx.scans, source, command.args ?? '');
    return;
  }
  try {
    if (command.name === 'help') {
      const { question } = command;
      if (!question || !ctx.help) {
        await replyCard(accessHelpCard());
        return;
      }
      // The assistant's answer is already cleaned and uses the card markdown (commands in backticks).
      const answer = await ctx.help.answer({ userId: resolveUser(ctx, source.sender).id, question });
      await replyCard(notice(answer.text));
      return;
    }
    const user = resolveUser(ctx, source.sender);
    switch (command.name) {
      case 'request':
        await reply(requestFormCard(ctx.deps.directory.org.accounts, { resourcePicker: ctx.resources !== undefined }), 'Request AWS access');
        return;
      case 'list': {
        const page = await ctx.deps.store.listRequestsByRequester(user.id, { limit: LIST_LIMIT });
        await replyCard(requestListCard(page.items, page.cursor !== null));
        return;
      }
      case 'status': {
        const request = await requestForViewer(ctx.deps, requireId('status', command.id), user.id);
        await reply(viewFor(request, 'status', user.id, ctx.deps.directory), `Request ${request.id}`);
        return;
      }
      case 'cancel': {
        const request = await cancelRequest(ctx.deps, requireId('cancel', command.id), user.id);
        await replyCard(notice(`🚫 Cancelled \`${request.id}\`.`));
        return;
      }
      case 'release': {
        const request = await releaseGrant(ctx.deps, requireId('release', command.id), user.id);
        await replyCard(notice(`⏹️ Ended access \`${request.id}\` and revoked it.`));
        return;
      }
      case 'ssh':
        await sshCommand(ctx, source, user, command.args ?? '', replyCard);
        return;
      case 'run':
        await runCommandRequest(ctx, source, user, command.args ?? '', replyCard);
        return;
    }
  } catch (error) {
    await replyCard(notice(`⚠️ ${explainError(ctx, error)}`));
  }
}
