import type { Locator, Page } from 'playwright-core';

/** The sample request of the issue and the README. */
export const ASK = 'I need read access to the billing-reports S3 bucket in payments-prod to debug the export';

/** Slack member ids of the sample org (examples/org.yaml). */
export const PEOPLE = { ana: 'U0ANA', ben: 'U0BEN', carla: 'U0CARLA', dave: 'U0DAVE' } as const;

const WAIT = { timeout: 15_000 };

export const channelPane = (page: Page): Locator => page.locator('.slack__channel');
export const threadPane = (page: Page): Locator => page.locator('.slack__thread');
export const modal = (page: Page): Locator => page.locator('.bk-modal');
export const awsPanel = (page: Page): Locator => page.locator('[data-inspector-panel="aws"]');
export const auditPanel = (page: Page): Locator => page.locator('[data-inspector-panel="audit"]');

/** A message in a pane whose text matches, the newest one when several do. */
export const messageIn = (pane: Locator, text: string | RegExp): Locator => pane.locator('.msg', { hasText: text }).last();

/** Opens the page acting as someone and waits until it has everything on screen. */
export async function openPage(page: Page, baseUrl: string, as: string = PEOPLE.ana): Promise<void> {
  await page.goto(`${baseUrl}/?as=${as}`);
  await page.locator('body[data-ready="true"]').waitFor(WAIT);
}

export async function actAs(page: Page, slackId: string): Promise<void> {
  await page.selectOption('#acting-user', slackId);
  await page.locator(`body[data-acting-as="${slackId}"]`).waitFor(WAIT);
}

/** Clicks a conversation in the left bar: "Warden" (the DM with the bot) or a channel name. */
export async function openConversation(page: Page, name: string): Promise<void> {
  await page.locator('.sidebar__item', { hasText: name }).first().click();
  await page.locator('.sidebar__item.is-selected', { hasText: name }).waitFor(WAIT);
}

export async function send(page: Page, text: string, where: 'channel' | 'thread' = 'channel'): Promise<void> {
  const box = page.locator(`form[data-composer="${where}"] textarea`);
  await box.fill(text);
  await box.press('Enter');
  await page.locator(`form[data-composer="${where}"]:not(.is-sending) textarea`).waitFor(WAIT);
}

export async function waitForMessage(pane: Locator, text: string | RegExp): Promise<Locator> {
  const message = messageIn(pane, text);
  await message.waitFor(WAIT);
  return message;
}

/**
 * Ana's flow: the request in her DM, the bot's duration question answered in the thread, the
 * draft submitted. Returns the request id from the draft preview.
 */
export async function requestAccessAsAna(page: Page): Promise<string> {
  await openConversation(page, 'Warden');
  await send(page, ASK);
  const asked = await waitForMessage(channelPane(page), ASK);
  await asked.getByRole('button', { name: /1 reply/ }).click();
  await waitForMessage(threadPane(page), /how long/i);
  await send(page, '2 hours', 'thread');
  const preview = await waitForMessage(threadPane(page), /Access request r-/);
  const header = (await preview.locator('.bk-header__text').first().textContent()) ?? '';
  const requestId = /r-[a-z0-9]+/.exec(header)?.[0];
  if (!requestId) throw new Error(`No request id in the draft preview header "${header}"`);
  await preview.getByRole('button', { name: 'Submit' }).click();
  await waitForMessage(threadPane(page), /Submitted/);
  return requestId;
}

/** The approval card for a request in the current conversation. */
export async function approvalCard(page: Page, requestId: string): Promise<Locator> {
  return waitForMessage(channelPane(page), new RegExp(`requests access[\\s\\S]*${requestId}`));
}

/** Opens `/access request` in the DM with Warden and picks the form's account, service and access level. */
export async function openRequestForm(page: Page, choose: { account: string; service: string; level: string }): Promise<Locator> {
  await openConversation(page, 'Warden');
  await send(page, '/access request');
  const form = modal(page);
  await form.getByRole('heading', { name: 'Request AWS access' }).waitFor();
  await form.getByLabel('Account', { exact: true }).selectOption(choose.account);
  await form.getByLabel('Service').selectOption(choose.service);
  await form.getByLabel('Access level').selectOption(choose.level);
  return form;
}
