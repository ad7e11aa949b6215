import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { conversationKey, handleRequesterMessage } from '../../../access/workflows/converse.js';
import type { Origin } from '../../../access/types.js';
import { notice } from '../../cards/request-cards.js';
import { withActingPlatform } from '../../routing-notifier.js';
import { renderAdaptiveCard } from '../adaptive.js';
import { explainError, resolveUser, type TeamsHandlerContext, type TeamsSender } from '../context.js';
import { channelOrigin, personalOrigin } from '../sessions.js';
import { runCommand } from './commands.js';
import { filesOf, onFileMessage } from './file-message.js';
import { messageWords, parseCommand } from './text.js';

const MessageSchema = z.object({
  id: z.string().min(1),
  text: z.string().optional(),
  from: z.object({ id: z.string(), aadObjectId: z.string().optional(), name: z.string().optional() }),
  conversation: z.object({ id: z.string().min(1), conversationType: z.string().optional() }),
});

/**
 * A message in the personal chat, or a mention in a channel (Teams delivers channel messages to a
 * bot only when it is mentioned). Commands are answered privately; anything else is a request in
 * plain words, drafted in the conversation it was written in. Teams is answered first and the work
 * runs after, as on Slack, so a slow drafter never makes Teams retry the delivery.
 */
export async function onMessage(ctx: TeamsHandlerContext, context: TurnContext): Promise<void> {
  const parsed = MessageSchema.safeParse(context.activity);
  if (!parsed.success) return;
  const { id, from, conversation } = parsed.data;
  const words = messageWords(parsed.data.text ?? '');
  // A file may come without words; `guardrails set` / `scan import` with one is not a typed command.
  const files = filesOf(context.activity);
  if (files.length > 0) {
    const personal = (conversation.conversationType ?? 'personal') === 'personal';
    const sender = { aadObjectId: from.aadObjectId, name: from.name };
    ctx.background.run('teams file', () => withActingPlatform('teams', () => onFileMessage(ctx, { sender, conversationId: conversation.id, personal, words, files })));
    return;
  }
  if (!words) return;
  const sender: TeamsSender = { aadObjectId: from.aadObjectId, name: from.name };
  const scope = conversation.conversationType ?? 'personal';
  // Read now: the work below runs after this turn has ended.
  const mentioned = (context.activity.entities ?? []).some((e) => e.type === 'mention');

  ctx.background.run('teams message', () =>
    withActingPlatform('teams', async () => {
      if (scope !== 'personal' && scope !== 'channel') {
        const card = notice('Warden works in a personal chat with it, or when mentioned in a team channel.');
        await ctx.notifier.send(conversation.id, renderAdaptiveCard(card), card.fallback);
        return;
      }
      const command = parseCommand(words);
      if (command) {
        await runCommand(ctx, { sender, conversationId: conversation.id, personal: scope === 'personal' }, command);
        return;
      }
      await converse(ctx, { sender, conversationId: conversation.id, personal: scope === 'personal', mentioned, activityId: id, words });
    }),
  );
}

async function converse(
  ctx: TeamsHandlerContext,
  message: { sender: TeamsSender; conversationId: string; personal: boolean; mentioned: boolean; activityId: string; words: string },
): Promise<void> {
  try {
    const user = resolveUser(ctx, message.sender);
    let origin: Origin;
    if (message.personal) {
      origin = await personalOrigin(ctx, message.conversationId, user.id, message.activityId);
    } else {
      origin = channelOrigin(message.conversationId, message.activityId);
      if (origin.channel !== message.conversationId) {
        // A top-level post arrives without its thread in the conversation id: remember the thread too.
        const reference = await ctx.addresses.conversation(message.conversationId);
        if (reference) await ctx.addresses.saveThread(origin.channel, reference);
      }
      // Plain replies in a thread are the bot's business only where it already holds the conversation.
      if (!message.mentioned && !(await ctx.deps.store.getConversation(conversationKey(origin)))) return;
    }
    await handleRequesterMessage(ctx.deps, {
      userId: user.id,
      origin,
      text: message.words,
      // Teams redelivers a message with the same id when the bot was slow to answer.
      deliveryId: `teams:${message.conversationId}:${message.activityId}`,
    });
  } catch (error) {
    const card = notice(`⚠️ ${explainError(ctx, error)}`);
    await ctx.notifier.sendPrivately(message.personal ? undefined : message.sender.aadObjectId, message.conversationId, renderAdaptiveCard(card), card.fallback);
  }
}
