/**
 * `access ssh …` and `run … -- …` in Teams, sharing the workflows of Slack's `/access ssh` and `/run`.
 * The request lives in the requester's personal chat with Warden (Teams' DM), in a session of its own.
 */
import type { Origin } from '../../../access/types.js';
import { requestRunCommand, RUN_USAGE } from '../../../access/workflows/run-command.js';
import { requestSessionAccess, SSH_USAGE } from '../../../access/workflows/session-access.js';
import type { User } from '../../../config/schemas.js';
import type { Card } from '../../cards/model.js';
import { notice } from '../../cards/request-cards.js';
import { runHelpCard } from '../../cards/run-cards.js';
import { renderAdaptiveCard } from '../adaptive.js';
import type { TeamsHandlerContext } from '../context.js';
import { startSession } from '../sessions.js';
import type { CommandSource } from './commands.js';

/** The personal chat the request's thread goes to: where the command was typed, or the person's own chat. */
async function personalChat(ctx: TeamsHandlerContext, source: CommandSource): Promise<string | undefined> {
  if (source.personal) return source.conversationId;
  const aad = source.sender.aadObjectId;
  return aad ? (await ctx.addresses.user(aad))?.conversation.id : undefined;
}

function openThread(ctx: TeamsHandlerContext, chat: string, title: string): () => Promise<Origin> {
  return async () => {
    const root = notice(title);
    const rootId = await ctx.notifier.send(chat, renderAdaptiveCard(root), root.fallback);
    return startSession(ctx, chat, rootId);
  };
}

const NO_PERSONAL_CHAT = 'Open a personal chat with Warden first (it keeps the request and its results private), then send the command there.';

export async function sshCommand(ctx: TeamsHandlerContext, source: CommandSource, user: User, args: string, replyCard: (card: Card) => Promise<unknown>): Promise<void> {
  const chat = await personalChat(ctx, source);
  if (!chat) return void (await replyCard(notice(`⚠️ ${NO_PERSONAL_CHAT}`)));
  const words = args.split(/\s+/).filter(Boolean);
  const outcome = await requestSessionAccess(ctx.deps, { requesterId: user.id, words }, openThread(ctx, chat, '🖥️ Session Manager access from `access ssh`'));
  if (outcome.kind === 'reply') return void (await replyCard(notice(`⚠️ ${outcome.message.replaceAll('/access ssh', 'access ssh')}`)));
  if (!outcome.requestId) await replyCard(notice(`⚠️ That cannot be submitted as it is; the reasons are above. Try again with a reason: ${SSH_USAGE.replaceAll('/access ssh', 'access ssh')}.`));
}

export async function runCommandRequest(ctx: TeamsHandlerContext, source: CommandSource, user: User, args: string, replyCard: (card: Card) => Promise<unknown>): Promise<void> {
  const teamsUsage = (text: string) => text.replaceAll('/run', 'run');
  if (args === '' || /^help$/i.test(args)) return void (await replyCard(teamsHelp(runHelpCard())));
  const chat = await personalChat(ctx, source);
  if (!chat) return void (await replyCard(notice(`⚠️ ${NO_PERSONAL_CHAT}`)));
  const outcome = await requestRunCommand(ctx.deps, { requesterId: user.id, text: args }, openThread(ctx, chat, '▶️ Command request from `run`'));
  if (outcome.kind === 'reply') await replyCard(notice(`⚠️ ${teamsUsage(outcome.message)}`));
  else if (outcome.kind === 'refused') await replyCard(notice(`⚠️ That command cannot be sent for approval; the reasons are above. Usage: ${teamsUsage(RUN_USAGE)}.`));
}

/** Teams has no slash commands: the help names the bot command `run`. */
function teamsHelp(card: Card): Card {
  const swap = (text: string) => text.replaceAll('/run', 'run');
  return {
    fallback: swap(card.fallback),
    blocks: card.blocks.map((b) => (b.type === 'text' || b.type === 'context' ? { ...b, text: swap(b.text) } : b)),
  };
}
