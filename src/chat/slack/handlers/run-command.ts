import type { App, RespondFn } from '@slack/bolt';
import { requestRunCommand, RUN_USAGE } from '../../../access/workflows/run-command.js';
import type { Card } from '../../cards/model.js';
import { notice } from '../../cards/request-cards.js';
import { runHelpCard } from '../../cards/run-cards.js';
import { renderBlocks } from '../blocks.js';
import { explainError, resolveUser, type SlackHandlerContext } from '../context.js';

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

/**
 * Slack sends `&`, `<` and `>` in command text as entities; the command must reach SSM as typed, so
 * they are decoded once, here at the boundary ("&amp;lt;" stays the text "&lt;").
 */
export function slackCommandText(text: string): string {
  return text.replace(/&(?:amp|lt|gt);/g, (entity) => ENTITIES[entity] ?? entity);
}

async function reply(respond: RespondFn, card: Card): Promise<void> {
  await respond({ response_type: 'ephemeral', ...renderBlocks(card) });
}

/**
 * `/run <instance> [account] <why> -- <command>`: acknowledged at once; the request gets its own DM
 * thread, where the approval outcome and the command's output are posted.
 */
export function registerRunCommand(app: App, ctx: SlackHandlerContext): void {
  app.command('/run', async ({ command, ack, respond }) => {
    await ack();
    try {
      const text = slackCommandText(command.text).trim();
      if (text === '' || /^help$/i.test(text)) return await reply(respond, runHelpCard());
      const user = resolveUser(ctx, command.user_id);
      const outcome = await requestRunCommand(ctx.deps, { requesterId: user.id, text }, async () => {
        const channel = await ctx.notifier.dmChannel(command.user_id);
        const root = await ctx.notifier.post({ kind: 'channel', channel }, notice('▶️ Command request from `/run`'));
        return { platform: 'slack', channel: root.channel, threadTs: root.ts };
      });
      const message =
        outcome.kind === 'reply'
          ? `⚠️ ${outcome.message}`
          : outcome.kind === 'submitted'
            ? `Sent \`${outcome.requestId}\` for approval; the output will be posted in our DM thread.`
            : `⚠️ That command cannot be sent for approval; the reasons are in our DM thread. Usage: ${RUN_USAGE}.`;
      await reply(respond, notice(message));
    } catch (error) {
      await reply(respond, notice(`⚠️ ${explainError(ctx, error)}`));
    }
  });
}
