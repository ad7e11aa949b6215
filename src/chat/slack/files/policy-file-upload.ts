import type { App } from '@slack/bolt';
import type { PolicyKind } from '../../../store/store.js';
import { POLICY_FILE_MAX_BYTES } from '../../files/file-command.js';
import { readText } from '../../files/download.js';
import { reportError, type SlackHandlerContext } from '../context.js';
import { fileShareOf, onlyFile, replyInThread } from './file-share-event.js';
import { SlackFiles } from './slack-files.js';

/** Applies a policy text for a Slack user (the `/warden … set` path); returns what to tell them. */
export type ApplyPolicyUpload = (slackUserId: string, kind: PolicyKind, read: () => Promise<string>) => Promise<string>;

/**
 * `guardrails set` / `rules set` sent with a file: the file becomes the new version, through the
 * same admin check, validation, store and audit as the `/warden … set` form.
 */
export function registerPolicyFileUpload(app: App, ctx: SlackHandlerContext, apply: ApplyPolicyUpload): void {
  app.message(async ({ message, client, context }) => {
    // Bolt acknowledges events before listeners run: a retry means the ack was lost, not the work.
    if (context.retryNum !== undefined) return;
    const share = fileShareOf(message);
    if (share?.command?.kind !== 'policy-set') return;
    const kind = share.command.policy;
    try {
      const files = new SlackFiles(client);
      const fileId = onlyFile(share);
      const done = await apply(share.user, kind, async () => {
        const file = await files.info(fileId, { channel: share.channel, maxBytes: POLICY_FILE_MAX_BYTES });
        return readText(await files.open(file, POLICY_FILE_MAX_BYTES));
      });
      await replyInThread(client, share, `✅ ${done}`);
    } catch (error) {
      await reportError(ctx, client, { channel: share.channel, user: share.user, threadTs: share.threadTs }, error);
    }
  });
}
