import type { Locator, Page } from 'playwright-core';
import { ASK } from './flows.js';

const WAIT = { timeout: 20_000 };

export const teamsPanel = (page: Page): Locator => page.locator('[data-platform-panel="teams"]');
export const teamsMessages = (page: Page): Locator => teamsPanel(page).locator('[data-teams-list]');

/** A Teams message whose text (or card) matches, the newest one when several do. */
export const teamsMessage = (page: Page, text: string | RegExp): Locator => teamsMessages(page).locator('.teams-msg', { hasText: text }).last();

export async function openTeamsTab(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Teams', exact: true }).click();
  await teamsPanel(page).locator('.teams-sidebar__item.is-selected').waitFor(WAIT);
}

export async function openTeamsConversation(page: Page, name: string): Promise<void> {
  await teamsPanel(page).locator('.teams-sidebar__item', { hasText: name }).first().click();
  await teamsPanel(page).locator('.teams-sidebar__item.is-selected', { hasText: name }).waitFor(WAIT);
}

export async function sendOnTeams(page: Page, text: string): Promise<void> {
  const box = teamsPanel(page).locator('form[data-teams-composer] textarea');
  await box.fill(text);
  await box.press('Enter');
  await teamsPanel(page).locator('form[data-teams-composer]:not(.is-sending) textarea').waitFor(WAIT);
}

export async function waitForTeamsMessage(page: Page, text: string | RegExp): Promise<Locator> {
  const message = teamsMessage(page, text);
  await message.waitFor(WAIT);
  return message;
}

/** Ana's flow in her Teams chat with Warden: the request, the duration answer, Submit on the draft card. */
export async function requestAccessOnTeams(page: Page): Promise<string> {
  await openTeamsConversation(page, 'Warden');
  await sendOnTeams(page, ASK);
  await waitForTeamsMessage(page, /how long/i);
  await sendOnTeams(page, '2 hours');
  const draft = await waitForTeamsMessage(page, /Access request r-/);
  const submit = draft.getByRole('button', { name: 'Submit' });
  await submit.waitFor(WAIT);
  const requestId = /\br-[a-z0-9]+/.exec((await draft.textContent()) ?? '')?.[0];
  if (!requestId) throw new Error('No request id on the draft card');
  await submit.click();
  await waitForTeamsMessage(page, /Submitted/);
  return requestId;
}
