import { parseScanCommand } from '../../../scans/command.js';
import { importScan, resolveAccount, runningScans, startScan, type StartOutcome } from '../../../scans/workflow.js';
import type { Card } from '../../cards/model.js';
import { notice } from '../../cards/request-cards.js';
import { recentScansCard, scanBusyCard, scanHelpCard, scanStatusCard } from '../../cards/scan-status.js';
import { scanSummaryMessage } from '../../cards/scan-summary.js';
import type { SharedScans } from '../../scan-wiring.js';
import { renderAdaptiveCard } from '../adaptive.js';
import { explainError, resolveUser, type TeamsHandlerContext } from '../context.js';
import type { CommandSource } from '../handlers/commands.js';

const RECENT_SCANS = 5;

/** The shared scan cards say `/scan`; on Teams the same words are typed to the bot without the slash (`scan …`, `@Warden scan …`). */
function teamsWords(card: Card): Card {
  const blocks = card.blocks.map((b) => (b.type === 'text' || b.type === 'context' ? { ...b, text: b.text.replace(/`\/scan/g, '`scan') } : b));
  return { ...card, blocks };
}

/**
 * `scan …` on Teams, like Slack's `/scan`: the scan's own message goes into the conversation it was
 * asked in (a channel thread, or the personal chat) and shows its progress, then its summary;
 * refusals and lookups go to the person privately (their personal chat when there is one).
 */
export async function runScanCommand(ctx: TeamsHandlerContext, scans: SharedScans | undefined, source: CommandSource, text: string): Promise<void> {
  const reply = (card: Card) => {
    const shown = teamsWords(card);
    return ctx.notifier.sendPrivately(source.personal ? undefined : source.sender.aadObjectId, source.conversationId, renderAdaptiveCard(shown), shown.fallback);
  };
  if (!scans) {
    await reply(notice('⚠️ Scans are not set up in this Warden (they need the SQLite or DynamoDB store).'));
    return;
  }
  const { deps, tracker } = scans;
  const parsed = parseScanCommand(text);
  try {
    const user = resolveUser(ctx, source.sender);
    const where = { userId: user.id, channel: source.conversationId };
    let outcome: StartOutcome;
    switch (parsed.kind) {
      case 'help':
        await reply(scanHelpCard());
        return;
      case 'invalid':
        await reply(notice(`⚠️ ${parsed.message} \`/scan help\` lists the commands.`));
        return;
      case 'status': {
        const rows = await runningScans(deps);
        await reply(scanStatusCard(rows));
        return;
      }
      case 'last': {
        if (!parsed.account) {
          await reply(recentScansCard(await deps.scans.recentScans(RECENT_SCANS)));
          return;
        }
        const account = resolveAccount(deps, parsed.account);
        const scan = await deps.scans.latestSucceeded(account.id);
        if (!scan?.summary) {
          await reply(notice(`No finished scan of ${account.name} yet. Start one with \`/scan ${account.name}\`.`));
          return;
        }
        await reply(scanSummaryMessage(scan, scan.summary, { catalog: deps.catalog, requestedByName: deps.directory.displayName(scan.requestedBy) }));
        return;
      }
      case 'start':
        outcome = await startScan(deps, { ...where, command: parsed });
        break;
      case 'import':
        outcome = await importScan(deps, { ...where, command: parsed });
        break;
    }
    if (outcome.kind === 'busy') {
      await reply(scanBusyCard(outcome.active, outcome.link, deps.directory.displayName(outcome.active.requestedBy)));
      // The scan in the way may have been left by a stopped process: make sure someone looks after it.
      await tracker.adopt(outcome.active);
      return;
    }
    if (outcome.scan.state === 'running') tracker.track(outcome.scan);
  } catch (error) {
    await reply(notice(`⚠️ ${explainError(ctx, error)}`));
  }
}
