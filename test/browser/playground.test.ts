import { expect, it } from 'vitest';
import { describeInChromium, playgroundPerTest } from './support/browser-playground.js';
import {
  ASK,
  PEOPLE,
  actAs,
  approvalCard,
  auditPanel,
  awsPanel,
  channelPane,
  modal,
  openConversation,
  openRequestForm,
  openPage,
  requestAccessAsAna,
  send,
  threadPane,
  waitForMessage,
} from './support/flows.js';

const BROWSER_TEST_TIMEOUT = 90_000;

describeInChromium('the playground page in Chromium', {}, (browser) => {
  const session = playgroundPerTest(browser, { as: PEOPLE.ana });

  it(
    'requester asks, answers in the thread and submits; the approver approves in his DM; the card and the dry-run grant show it',
    async () => {
      const { page } = session;
      const requestId = await requestAccessAsAna(page);
      expect(await threadPane(page).textContent()).toContain('payments-prod');

      await actAs(page, PEOPLE.ben);
      await openConversation(page, 'Warden');
      const card = await approvalCard(page, requestId);
      expect(await card.textContent()).toContain('Ana Lima requests access to payments-prod');
      await card.getByRole('button', { name: 'Approve' }).click();

      const approved = await waitForMessage(channelPane(page), /Approved by Ben Okafor/);
      expect(await approved.getByRole('button', { name: 'Approve' }).count()).toBe(0);

      const put = awsPanel(page).locator('.aws-call[data-operation="PutRolePolicy"]');
      await put.waitFor();
      const policyText = (await put.locator('pre.json').textContent()) ?? '';
      const policy = JSON.parse(policyText) as { Statement: { Action: string[]; Condition: Record<string, unknown> }[] };
      expect(policy.Statement.flatMap((s) => s.Action)).toContain('s3:GetObject');
      expect(policy.Statement.every((s) => 'DateLessThan' in s.Condition)).toBe(true);
      expect(await put.textContent()).toContain(`warden-${requestId}`);

      await page.getByRole('tab', { name: /Audit/ }).click();
      await auditPanel(page).getByText('request.approved').first().waitFor();

      // The requester hears about it in her thread.
      await actAs(page, PEOPLE.ana);
      await channelPane(page).locator('.msg', { hasText: ASK }).getByRole('button', { name: /replies/ }).click();
      await waitForMessage(threadPane(page), /is active until/);
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'approver denies with a reason in the modal; empty and too-short reasons are shown under the field',
    async () => {
      const { page } = session;
      const requestId = await requestAccessAsAna(page);
      await actAs(page, PEOPLE.ben);
      await openConversation(page, 'Warden');
      const card = await approvalCard(page, requestId);
      await card.getByRole('button', { name: 'Deny' }).click();
      const dialog = modal(page);
      // Back closes the modal without deciding anything.
      await dialog.getByRole('button', { name: 'Back' }).click();
      await dialog.waitFor({ state: 'detached' });
      await card.getByRole('button', { name: 'Deny' }).click();
      await dialog.getByRole('heading', { name: 'Deny access request' }).waitFor();
      // The client's own check, as Slack's: the reason is required.
      await dialog.getByRole('button', { name: 'Deny' }).click();
      await dialog.locator('.bk-input__error', { hasText: 'Please complete this required field.' }).waitFor();
      // The bot's check, sent back as response_action: errors.
      await dialog.getByRole('textbox').fill('   no');
      await dialog.getByRole('button', { name: 'Deny' }).click();
      await dialog.locator('.bk-input__error', { hasText: 'Give a reason of at least a few words' }).waitFor();

      await dialog.getByRole('textbox').fill('Use the read-only export role instead');
      await dialog.getByRole('button', { name: 'Deny' }).click();
      await dialog.waitFor({ state: 'detached' });
      const denied = await waitForMessage(channelPane(page), /Denied by Ben Okafor/);
      expect(await denied.textContent()).toContain('Use the read-only export role instead');
      expect(await awsPanel(page).locator('.aws-call').count()).toBe(0);

      await actAs(page, PEOPLE.ana);
      await channelPane(page).locator('.msg', { hasText: ASK }).getByRole('button', { name: /replies/ }).click();
      await waitForMessage(threadPane(page), /denied by Ben Okafor: Use the read-only export role instead/);
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'the /access request form: selects, a number and text fields, the bot’s errors under a field, then a draft',
    async () => {
      const { page } = session;
      const form = await openRequestForm(page, { account: '111111111111', service: 's3', level: 'Read' });
      await form.getByLabel('Resources').fill('billing-reports');
      await form.getByLabel('Duration (minutes)').fill('30');
      await form.getByLabel('Justification').fill('x');
      await form.getByRole('button', { name: 'Draft' }).click();
      await form.locator('[data-block-id="justification"] .bk-input__error', { hasText: 'Say why you need this access.' }).waitFor();
      // What was typed is still there after the error.
      expect(await form.getByLabel('Resources').inputValue()).toBe('billing-reports');

      await form.getByLabel('Justification').fill('debug the export');
      await form.getByRole('button', { name: 'Draft' }).click();
      await form.waitFor({ state: 'detached' });
      const root = await waitForMessage(channelPane(page), 'Access request from the form');
      await root.getByRole('button', { name: /1 reply/ }).click();
      const preview = await waitForMessage(threadPane(page), /Access request r-/);
      expect(await preview.textContent()).toContain('30 minutes');
      expect(await preview.textContent()).toContain('arn:aws:s3:::billing-reports');
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    "an approver's open card updates live when another approver approves",
    async () => {
      const { page, context, playground } = session;
      const requestId = await requestAccessAsAna(page);
      const carla = await context.newPage();
      await openPage(carla, playground.url, PEOPLE.carla);
      await openConversation(carla, 'Warden');
      await approvalCard(carla, requestId);

      await actAs(page, PEOPLE.ben);
      await openConversation(page, 'Warden');
      await (await approvalCard(page, requestId)).getByRole('button', { name: 'Approve' }).click();

      // No reload: the server's event makes Carla's page fetch the updated card.
      await waitForMessage(channelPane(carla), /Approved by Ben Okafor/);
      await awsPanel(carla).locator('.aws-call[data-operation="PutRolePolicy"]').waitFor();
      await carla.close();
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'shows what people type as text, and an ephemeral reply to its reader only',
    async () => {
      const { page } = session;
      await openConversation(page, 'Warden');
      await send(page, '<script>window.pwned = true</script> <!channel> *bold* <img src=x onerror="window.pwned = true">');
      const typed = await waitForMessage(channelPane(page), '<script>window.pwned = true</script> <!channel>');
      expect(await typed.locator('script, img, .mk-mention--broadcast').count()).toBe(0);
      expect(await typed.locator('b').textContent()).toBe('bold');
      expect(await page.evaluate(() => 'pwned' in window)).toBe(false);

      await send(page, '/access help');
      const help = await waitForMessage(channelPane(page), /Only visible to you/);
      expect(await help.textContent()).toContain('/access');

      await actAs(page, PEOPLE.ben);
      await openConversation(page, 'Warden');
      expect(await channelPane(page).locator('.msg--ephemeral').count()).toBe(0);
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'a sandbox request lands in #access-requests, where an approver sees an unread badge and approves',
    async () => {
      const { page } = session;
      await openConversation(page, 'Warden');
      await send(page, 'I need to read the orders-queue SQS queue in sandbox for 1 hour to inspect stuck messages');
      await channelPane(page).locator('.msg', { hasText: 'orders-queue' }).getByRole('button', { name: /1 reply/ }).click();
      await (await waitForMessage(threadPane(page), /Access request r-/)).getByRole('button', { name: 'Submit' }).click();
      await waitForMessage(threadPane(page), /Submitted/);

      await actAs(page, PEOPLE.dave);
      await page.locator('.sidebar__item', { hasText: 'access-requests' }).locator('.sidebar__badge', { hasText: '1' }).waitFor();
      await openConversation(page, 'access-requests');
      const card = await waitForMessage(channelPane(page), /Ana Lima requests access to sandbox/);
      await card.getByRole('button', { name: 'Approve' }).click();
      await waitForMessage(channelPane(page), /Approved by Dave Kim/);
    },
    BROWSER_TEST_TIMEOUT,
  );
});
