import type { App } from '@slack/bolt';
import type { ResultFile } from '../../../scans/results/files.js';
import type { ScanTracker } from '../../../scans/tracker.js';
import { importScanFile, type ScanDeps } from '../../../scans/workflow.js';
import { SCAN_FILE_MAX_BYTES } from '../../files/file-command.js';
import { scanBusyCard } from '../../cards/scan-status.js';
import { reportError, resolveUser, type SlackHandlerContext } from '../context.js';
import { renderBlocks } from '../blocks.js';
import { fileShareOf, onlyFile } from './file-share-event.js';
import { SlackFiles } from './slack-files.js';

/**
 * `scan import [account]` sent with a Prowler or CloudSploit output file: the file is streamed from
 * Slack (each read downloads it again; nothing holds it whole) and ingested like `/scan import <path>`.
 * The scan's message, and then its summary, go to the conversation the file was shared in.
 */
export function registerScanFileImport(app: App, ctx: SlackHandlerContext, deps: ScanDeps, tracker: ScanTracker): void {
  app.message(async ({ message, client, context }) => {
    // Bolt acknowledges events before listeners run: a retry means the ack was lost, not the work.
    if (context.retryNum !== undefined) return;
    const share = fileShareOf(message);
    if (share?.command?.kind !== 'scan-import') return;
    try {
      const user = resolveUser(ctx, share.user);
      const files = new SlackFiles(client);
      const shared = await files.info(onlyFile(share), { channel: share.channel, maxBytes: SCAN_FILE_MAX_BYTES });
      const file: ResultFile = { name: shared.name, open: () => files.open(shared, SCAN_FILE_MAX_BYTES) };
      const outcome = await importScanFile(deps, { userId: user.id, channel: share.channel, account: share.command.account, file });
      if (outcome.kind === 'busy') {
        const busy = renderBlocks(scanBusyCard(outcome.active, outcome.link, deps.directory.displayName(outcome.active.requestedBy)));
        await client.chat.postEphemeral({ channel: share.channel, user: share.user, thread_ts: share.threadTs, ...busy });
        await tracker.adopt(outcome.active);
      }
    } catch (error) {
      await reportError(ctx, client, { channel: share.channel, user: share.user, threadTs: share.threadTs }, error);
    }
  });
}
