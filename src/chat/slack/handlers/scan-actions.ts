import type { App, BlockButtonAction } from '@slack/bolt';
import { UserFacingError } from '../../../access/errors.js';
import { handleRequesterMessage } from '../../../access/workflows/converse.js';
import type { Scan } from '../../../scans/scan.js';
import type { ScanDeps } from '../../../scans/workflow.js';
import { DETAILS_PAGE, scanDetailsMessage } from '../../cards/scan-details.js';
import { FIX_RESOURCES, fixAccessText } from '../../cards/scan-fix-access.js';
import { parseDetailsValue, parseFixAccessValue } from '../../cards/scan-message.js';
import { reportError, resolveUser, type SlackHandlerContext } from '../context.js';

async function finishedScan(deps: ScanDeps, scanId: string): Promise<Scan & { message: NonNullable<Scan['message']> }> {
  const scan = await deps.scans.getScan(scanId);
  if (!scan || scan.state !== 'succeeded' || !scan.message) throw new UserFacingError(`Scan ${scanId} has no results to show (it may have been removed after the retention period).`);
  return { ...scan, message: scan.message };
}

export function registerScanActions(app: App, ctx: SlackHandlerContext, deps: ScanDeps): void {
  // Details: the failing findings by best practice, a page per click, in the summary's thread.
  app.action<BlockButtonAction>('scan.details', async ({ ack, body, action, client }) => {
    await ack();
    try {
      resolveUser(ctx, body.user.id);
      const value = parseDetailsValue(action.value ?? '');
      if (!value) throw new UserFacingError('This button is out of date; run `/scan last` for a fresh summary.');
      const scan = await finishedScan(deps, value.scanId);
      const page = await deps.scans.failingByPractice(scan.id, { page: value.page, ...DETAILS_PAGE });
      await deps.chat.post(scan.message.channel, scanDetailsMessage(scan, page, deps.catalog), scan.message.ts);
    } catch (error) {
      await reportError(ctx, client, { ...(body.channel?.id ? { channel: body.channel.id } : {}), user: body.user.id }, error);
    }
  });

  // Request fix access: starts an access request, drafted for the failing resources, in the clicker's DMs.
  app.action<BlockButtonAction>('scan.fix_access', async ({ ack, body, action, client }) => {
    await ack();
    try {
      const user = resolveUser(ctx, body.user.id);
      const value = parseFixAccessValue(action.value ?? '');
      if (!value) throw new UserFacingError('This button is out of date; run `/scan last` for a fresh summary.');
      const scan = await finishedScan(deps, value.scanId);
      const practice = deps.catalog.practice(value.practiceId);
      const findings = await deps.scans.failingUnder(scan.id, value.practiceId, FIX_RESOURCES);
      const text = fixAccessText(scan, value.practiceId, practice?.title ?? '', findings);
      const channel = await ctx.notifier.dmChannel(body.user.id);
      // Resource names come from scanner output: escaped so they cannot become mentions or links.
      const shown = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      const intro = await client.chat.postMessage({ channel, text: `Drafting access to fix ${value.practiceId} in ${scan.accountName}, from scan ${scan.id}: “${shown}”` });
      if (!intro.ts) throw new Error('Slack did not return the DM message id.');
      await handleRequesterMessage(ctx.deps, { userId: user.id, origin: { platform: 'slack', channel, threadTs: intro.ts }, text });
    } catch (error) {
      await reportError(ctx, client, { ...(body.channel?.id ? { channel: body.channel.id } : {}), user: body.user.id }, error);
    }
  });
}
