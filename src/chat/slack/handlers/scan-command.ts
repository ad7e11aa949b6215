import type { App, RespondFn } from '@slack/bolt';
import { parseScanCommand } from '../../../scans/command.js';
import { randomScanIds } from '../../../scans/ids.js';
import { abortableSleep } from '../../../scans/poll.js';
import type { ScanPorts } from '../../../scans/ports.js';
import { ScanTracker } from '../../../scans/tracker.js';
import { wafrCatalog } from '../../../scans/wafr/catalog.js';
import { importScan, resolveAccount, runningScans, startScan, type ScanDeps, type StartOutcome } from '../../../scans/workflow.js';
import type { Card } from '../../cards/model.js';
import type { SharedScans } from '../../scan-wiring.js';
import { notice } from '../../cards/request-cards.js';
import { recentScansCard, scanBusyCard, scanHelpCard, scanStatusCard } from '../../cards/scan-status.js';
import { scanSummaryMessage } from '../../cards/scan-summary.js';
import { explainError, resolveUser, type SlackHandlerContext } from '../context.js';
import { registerScanFileImport } from '../files/scan-file-import.js';
import { registerScanActions } from './scan-actions.js';
import { renderScanMessage, SlackScanChat } from './scan-slack-chat.js';

const RECENT_SCANS = 5;

async function reply(respond: RespondFn, card: Card): Promise<void> {
  await respond({ response_type: 'ephemeral', ...renderScanMessage(card) });
}

async function answerOutcome(deps: ScanDeps, respond: RespondFn, outcome: StartOutcome, tracker: ScanTracker): Promise<void> {
  if (outcome.kind === 'busy') {
    await reply(respond, scanBusyCard(outcome.active, outcome.link, deps.directory.displayName(outcome.active.requestedBy)));
    // The scan in the way may have been left by a stopped process: make sure someone looks after it.
    await tracker.adopt(outcome.active);
    return;
  }
  if (outcome.scan.state === 'running') tracker.track(outcome.scan);
}

/**
 * `/scan …`: acknowledged at once; the scan's own message (in the channel) shows its progress and
 * summary, while refusals and lookups are answered ephemerally, to the caller only.
 */
export function registerScanCommand(app: App, ctx: SlackHandlerContext, deps: ScanDeps, tracker: ScanTracker): void {
  app.command('/scan', async ({ command, ack, respond }) => {
    await ack();
    const parsed = parseScanCommand(command.text);
    try {
      const user = resolveUser(ctx, command.user_id);
      const where = { userId: user.id, channel: command.channel_id };
      switch (parsed.kind) {
        case 'help':
          return await reply(respond, scanHelpCard());
        case 'invalid':
          return await reply(respond, notice(`⚠️ ${parsed.message} \`/scan help\` lists the commands.`));
        case 'status': {
          const rows = await runningScans(deps);
          return await reply(respond, scanStatusCard(rows));
        }
        case 'last': {
          if (!parsed.account) return await reply(respond, recentScansCard(await deps.scans.recentScans(RECENT_SCANS)));
          const account = resolveAccount(deps, parsed.account);
          const scan = await deps.scans.latestSucceeded(account.id);
          if (!scan?.summary) return await reply(respond, notice(`No finished scan of ${account.name} yet. Start one with \`/scan ${account.name}\`.`));
          return await reply(respond, scanSummaryMessage(scan, scan.summary, { catalog: deps.catalog, requestedByName: deps.directory.displayName(scan.requestedBy) }));
        }
        case 'start':
          return await answerOutcome(deps, respond, await startScan(deps, { ...where, command: parsed }), tracker);
        case 'import':
          return await answerOutcome(deps, respond, await importScan(deps, { ...where, command: parsed }), tracker);
      }
    } catch (error) {
      await reply(respond, notice(`⚠️ ${explainError(ctx, error)}`));
    }
  });
}

/**
 * Wires `/scan` and the scan buttons; the returned tracker watches running scans (resume it after
 * start). `shared`: the scan ports and tracker Warden shares between Slack and Teams (scan-wiring.ts).
 */
export function registerScanHandlers(app: App, ctx: SlackHandlerContext, ports: ScanPorts, shared?: SharedScans): ScanTracker {
  const deps: ScanDeps = shared?.deps ?? {
    scans: ports.store,
    runner: ports.runner,
    results: ports.results,
    chat: new SlackScanChat(app.client),
    catalog: wafrCatalog,
    clock: ctx.deps.clock,
    ids: ports.ids ?? randomScanIds,
    directory: ctx.deps.directory,
    rules: ctx.deps.rules,
    config: ports.config,
    logger: ctx.logger,
    poll: ports.poll ?? { sleep: abortableSleep },
    ...(ports.classifier ? { classifier: ports.classifier } : {}),
  };
  const tracker = shared?.tracker ?? new ScanTracker(deps);
  registerScanCommand(app, ctx, deps, tracker);
  registerScanActions(app, ctx, deps);
  registerScanFileImport(app, ctx, deps, tracker);
  return tracker;
}
