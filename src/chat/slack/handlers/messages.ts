import type { App } from '@slack/bolt';
import { conversationKey, handleRequesterMessage, type IncomingMessage } from '../../../access/workflows/converse.js';
import { FILE_COMMANDS_HELP } from '../../files/file-command.js';
import { reportError, resolveUser, type SlackHandlerContext } from '../context.js';
import { fileShareOf, replyInThread } from '../files/file-share-event.js';

// Slack writes mentions as <@U123>; the drafter should see the words only.
function withoutMentions(text: string): string {
  return text.replace(/<@[A-Z0-9]+>/g, '').trim();
}

async function handle(ctx: SlackHandlerContext, client: App['client'], slackUser: string, message: Omit<IncomingMessage, 'userId'>): Promise<void> {
  try {
    const user = resolveUser(ctx, slackUser);
    await handleRequesterMessage(ctx.deps, { ...message, userId: user.id });
  } catch (error) {
    await reportError(ctx, client, { channel: message.origin.channel, user: slackUser, threadTs: message.origin.threadTs }, error);
  }
}

/**
 * DMs to the bot and @mentions in channels start or continue a request conversation; plain replies
 * in a channel thread count only where the bot already holds a conversation. The delivery id is the
 * message itself (channel + ts), so a retried delivery, or the app_mention and message events Slack
 * sends for one mention, are handled once.
 */
export function registerMessageHandlers(app: App, ctx: SlackHandlerContext): void {
  app.message(async ({ message, client }) => {
    // Files shared with `guardrails set`, `rules set` or `scan import` are handled by their own
    // listeners (files/); a file in a DM with other words gets told what Warden can do with one.
    if (message.subtype === 'file_share') {
      const share = fileShareOf(message);
      if (share?.isDm && !share.command) await replyInThread(client, share, `I can't tell what to do with that file. ${FILE_COMMANDS_HELP}`);
      return;
    }
    // Edits, joins and bot posts (including ours) carry a subtype; only plain user messages count.
    if (message.subtype !== undefined) return;
    if (!('user' in message) || !message.user || !message.text) return;
    const threadTs = message.thread_ts ?? message.ts;
    const origin = { platform: 'slack', channel: message.channel, threadTs } as const;
    if (message.channel_type !== 'im') {
      if (!message.thread_ts || !(await ctx.deps.store.getConversation(conversationKey(origin)))) return;
    }
    await handle(ctx, client, message.user, { origin, text: withoutMentions(message.text), deliveryId: `${message.channel}:${message.ts}` });
  });

  app.event('app_mention', async ({ event, client }) => {
    // A mention sent with a file is also a file_share message, which the file listeners answer.
    if (!event.user || (event.files?.length ?? 0) > 0) return;
    const origin = { platform: 'slack', channel: event.channel, threadTs: event.thread_ts ?? event.ts } as const;
    await handle(ctx, client, event.user, { origin, text: withoutMentions(event.text), deliveryId: `${event.channel}:${event.ts}` });
  });
}
