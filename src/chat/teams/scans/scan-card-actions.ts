import type { AdaptiveCardInvokeResponse } from 'botbuilder';
import { z } from 'zod';
import { UserFacingError } from '../../../access/errors.js';
import { handleRequesterMessage } from '../../../access/workflows/converse.js';
import type { Scan } from '../../../scans/scan.js';
import type { ScanDeps } from '../../../scans/workflow.js';
import { literal, type Card } from '../../cards/model.js';
import { notice } from '../../cards/request-cards.js';
import { DETAILS_PAGE, scanDetailsMessage } from '../../cards/scan-details.js';
import { FIX_RESOURCES, fixAccessText } from '../../cards/scan-fix-access.js';
import { parseDetailsValue, parseFixAccessValue, type ScanActionId } from '../../cards/scan-message.js';
import { scanSummaryMessage } from '../../cards/scan-summary.js';
import type { SharedScans } from '../../scan-wiring.js';
import { renderAdaptiveCard, type RenderOptions } from '../adaptive.js';
import { explainError, resolveUser, type TeamsHandlerContext, type TeamsSender } from '../context.js';
import { startSession } from '../sessions.js';
import { ADAPTIVE_CARD_CONTENT_TYPE } from '../teams-notifier.js';

/** A click on a scan card's Action.Execute, as card-actions.ts parsed it. */
export interface ScanClick {
  verb: ScanActionId;
  data: Record<string, unknown>;
  sender: TeamsSender;
  conversationId: string;
}

type FinishedScan = Scan & { message: NonNullable<Scan['message']>; summary: NonNullable<Scan['summary']> };

const OUT_OF_DATE = 'This button is out of date; send `scan last` for a fresh summary.';

function cardAnswer(card: Card, note?: RenderOptions['note']): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: { ...renderAdaptiveCard(card, note ? { note } : {}) } };
}

async function finishedScan(deps: ScanDeps, scanId: string): Promise<FinishedScan> {
  const scan = await deps.scans.getScan(scanId);
  if (!scan || scan.state !== 'succeeded' || !scan.message || !scan.summary) {
    throw new UserFacingError(`Scan ${scanId} has no results to show (it may have been removed after the retention period).`);
  }
  return { ...scan, message: scan.message, summary: scan.summary };
}

/**
 * The card the button was on: the summary, or a details page (Teams replaces the clicked card with
 * the answer for the clicking person, so the answer is that same card, re-read from the store).
 */
async function clickedCard(deps: ScanDeps, scan: FinishedScan, detailsPage: number | undefined): Promise<Card> {
  if (detailsPage === undefined) {
    return scanSummaryMessage(scan, scan.summary, { catalog: deps.catalog, requestedByName: deps.directory.displayName(scan.requestedBy) });
  }
  const page = await deps.scans.failingByPractice(scan.id, { page: detailsPage, ...DETAILS_PAGE });
  return scanDetailsMessage(scan, page, deps.catalog);
}

/**
 * Details and Request fix access on a scan card. Who clicked is the Entra ID user of the verified
 * activity, mapped through the org config, as on Slack; the button's data only names the scan. The
 * work (posting the details, drafting the request) runs after Teams has its answer.
 */
export async function onScanAction(ctx: TeamsHandlerContext, scans: SharedScans | undefined, click: ScanClick): Promise<AdaptiveCardInvokeResponse> {
  if (!scans) return cardAnswer(notice('⚠️ Scans are not set up in this Warden.'));
  const { deps } = scans;
  const value = z.string().catch('').parse(click.data['scan']);
  try {
    const user = resolveUser(ctx, click.sender);
    const later = (what: string, work: () => Promise<void>) =>
      ctx.background.run(what, async () => {
        try {
          await work();
        } catch (error) {
          const card = notice(`⚠️ ${explainError(ctx, error)}`);
          await ctx.notifier.sendPrivately(click.sender.aadObjectId, click.conversationId, renderAdaptiveCard(card), card.fallback);
        }
      });

    if (click.verb === 'scan.details') {
      const parsed = parseDetailsValue(value);
      if (!parsed) throw new UserFacingError(OUT_OF_DATE);
      const scan = await finishedScan(deps, parsed.scanId);
      const clicked = await clickedCard(deps, scan, parsed.page === 0 ? undefined : parsed.page - 1);
      later('scan details', async () => {
        const page = await deps.scans.failingByPractice(scan.id, { page: parsed.page, ...DETAILS_PAGE });
        await deps.chat.post(scan.message.channel, scanDetailsMessage(scan, page, deps.catalog), scan.message.ts);
      });
      return cardAnswer(clicked, { text: '📋 The failing findings are posted in this conversation.', tone: 'info' });
    }

    const parsed = parseFixAccessValue(value);
    if (!parsed) throw new UserFacingError(OUT_OF_DATE);
    const scan = await finishedScan(deps, parsed.scanId);
    const clicked = await clickedCard(deps, scan, parsed.page);
    later('scan fix access', async () => {
      const practice = deps.catalog.practice(parsed.practiceId);
      const findings = await deps.scans.failingUnder(scan.id, parsed.practiceId, FIX_RESOURCES);
      const text = fixAccessText(scan, parsed.practiceId, practice?.title ?? '', findings);
      // In the person's own chat with Warden, as a DM on Slack: the draft and its questions are theirs.
      const intro = await ctx.notifier.post(
        { kind: 'user', userId: user.id },
        // Resource names come from scanner output: shown literally, never as markdown or links.
        notice(`Drafting access to fix ${parsed.practiceId} in ${literal(scan.accountName)}, from scan \`${scan.id}\`: “${literal(text)}”`),
      );
      const origin = await startSession(ctx, intro.channel, intro.ts);
      await handleRequesterMessage(ctx.deps, { userId: user.id, origin, text });
    });
    return cardAnswer(clicked, { text: '📝 Drafting your access request in your chat with Warden.', tone: 'info' });
  } catch (error) {
    // Nothing about the scan for someone who may not see it: only why not.
    return cardAnswer(notice(`⚠️ ${explainError(ctx, error)}`));
  }
}
