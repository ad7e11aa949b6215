/**
 * Regenerates the screenshots of the playground in docs/img/ (shown in README.md):
 *
 *   npm run screenshots        (tsx scripts/screenshots.ts)
 *
 * It starts the playground in-process, as the browser tests do, drives Debian's chromium through
 * the access flow, and saves the main screens. The clock and ids are fixed, so a run changes the
 * images only when the page or the cards change. Emoji need a colour emoji font
 * (apt-get install fonts-noto-color-emoji).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { Clock } from '../src/clock.js';
import type { IdGenerator } from '../src/ids.js';
import { chromiumStatus, launchChromium } from '../test/browser/support/chromium.js';
import {
  ASK,
  PEOPLE,
  actAs,
  approvalCard,
  awsPanel,
  channelPane,
  modal,
  openConversation,
  openPage,
  send,
  threadPane,
  waitForMessage,
} from '../test/browser/support/flows.js';
import { openPlayground } from '../test/browser/support/playground.js';
import { openTeamsConversation, openTeamsTab, sendOnTeams, waitForTeamsMessage } from '../test/browser/support/teams-flows.js';

const OUT = fileURLToPath(new URL('../docs/img/', import.meta.url));

/** Starts at a fixed morning and moves with real time, so messages keep their order. */
function fixedMorning(): Clock {
  const start = Date.parse('2026-11-23T09:41:00.000Z');
  const began = Date.now();
  return { now: () => new Date(start + (Date.now() - began)) };
}

/** Readable, repeatable ids in place of random ones. */
function repeatableIds(): IdGenerator {
  const requests = ['r-7k2m9x4q', 'r-3h8d5c2p', 'r-9f4n6w2t'];
  let request = 0;
  let event = 0;
  return {
    requestId: () => requests[request++] ?? `r-extra${request}`,
    eventId: () => `e-${String(++event).padStart(16, '0')}`,
  };
}

async function shoot(page: Page, name: string): Promise<void> {
  // No hover highlight, no focus ring, nothing half-drawn.
  await page.mouse.move(0, 0);
  await page.evaluate(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined));
  await page.waitForTimeout(150);
  const path = join(OUT, `${name}.png`);
  await page.screenshot({ path });
  console.log(`wrote ${path}`);
}

async function main(): Promise<void> {
  const chromium = chromiumStatus({ ...process.env, CI: 'true' });
  if (chromium.kind !== 'available') throw new Error(chromium.reason);
  await mkdir(OUT, { recursive: true });
  const browser = await launchChromium();
  const session = await openPlayground(browser, { clock: fixedMorning(), ids: repeatableIds(), viewport: { width: 1440, height: 960 } });
  const { page } = session;
  try {
    await openPage(page, session.playground.url, PEOPLE.ana);

    // 1. The requester: her words, the bot's question answered in the thread, the draft to submit.
    await openConversation(page, 'Warden');
    await send(page, ASK);
    await (await waitForMessage(channelPane(page), ASK)).getByRole('button', { name: /1 reply/ }).click();
    await waitForMessage(threadPane(page), /how long/i);
    await send(page, '2 hours', 'thread');
    const preview = await waitForMessage(threadPane(page), /Access request r-/);
    await shoot(page, 'playground-requester');
    await preview.getByRole('button', { name: 'Submit' }).click();
    await waitForMessage(threadPane(page), /Submitted/);

    // 2. The approver: the card in his DM.
    await actAs(page, PEOPLE.ben);
    await openConversation(page, 'Warden');
    const card = await approvalCard(page, 'r-7k2m9x4q');
    await shoot(page, 'playground-approver');

    // 3. Approved: the card updated in place, and the IAM calls the dry-run granter recorded.
    await card.getByRole('button', { name: 'Approve' }).click();
    await waitForMessage(channelPane(page), /Approved by Ben Okafor/);
    const put = awsPanel(page).locator('.aws-call[data-operation="PutRolePolicy"]');
    await put.waitFor();
    await put.evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await shoot(page, 'playground-approved');

    // 4. A second request, denied: the reason is asked for in a modal, and checked.
    await actAs(page, PEOPLE.ana);
    await openConversation(page, 'Warden');
    await send(page, 'I need to read the orders-queue SQS queue in sandbox for 1 hour to inspect stuck messages');
    await (await waitForMessage(channelPane(page), 'orders-queue')).getByRole('button', { name: /1 reply/ }).click();
    await (await waitForMessage(threadPane(page), /Access request r-3h8d5c2p/)).getByRole('button', { name: 'Submit' }).click();
    await waitForMessage(threadPane(page), /Submitted/);
    await actAs(page, PEOPLE.carla);
    await openConversation(page, 'access-requests');
    await (await waitForMessage(channelPane(page), /requests access to sandbox/)).getByRole('button', { name: 'Deny' }).click();
    const dialog = modal(page);
    await dialog.getByRole('textbox').fill('no');
    await dialog.getByRole('button', { name: 'Deny' }).click();
    await dialog.locator('.bk-input__error').waitFor();
    await shoot(page, 'playground-deny');
    await dialog.getByRole('textbox').fill('Read the queue metrics in CloudWatch instead; no message access needed.');
    await dialog.getByRole('button', { name: 'Deny' }).click();
    await dialog.waitFor({ state: 'detached' });
    await waitForMessage(channelPane(page), /Denied by Carla Diaz/);

    // 5. The audit log of both requests.
    await page.getByRole('tab', { name: /Audit/ }).click();
    await page.locator('.audit-event').first().waitFor();
    await shoot(page, 'playground-audit');

    // 6. The Teams tab: Ana asks in her chat with Warden; Ben gets the Adaptive Card with his buttons.
    await page.getByRole('tab', { name: /AWS/ }).click();
    await actAs(page, PEOPLE.ana);
    await openTeamsTab(page);
    await openTeamsConversation(page, 'Warden');
    await sendOnTeams(page, 'I need read access to the billing-reports S3 bucket in payments-prod for 1 hour to check the November export');
    const draft = await waitForTeamsMessage(page, /Access request r-9f4n6w2t/);
    await draft.getByRole('button', { name: 'Submit' }).click();
    await waitForTeamsMessage(page, /Submitted/);
    await actAs(page, PEOPLE.ben);
    await openTeamsConversation(page, 'Warden');
    const teamsCard = await waitForTeamsMessage(page, /requests access to payments-prod[\s\S]*r-9f4n6w2t/);
    await teamsCard.getByRole('button', { name: 'Approve' }).waitFor();
    await shoot(page, 'playground-teams');
  } finally {
    await session.close();
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error('screenshots failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
