import { expect, it } from 'vitest';
import { describeInChromium, playgroundPerTest } from './support/browser-playground.js';
import { PEOPLE, channelPane, openRequestForm, threadPane, waitForMessage } from './support/flows.js';

const BROWSER_TEST_TIMEOUT = 90_000;

describeInChromium('the request form’s resource picker in Chromium', {}, (browser) => {
  const session = playgroundPerTest(browser, { as: PEOPLE.ana, screenshotOnFailure: false });

  it(
    'typing part of a name lists the chosen account’s matches by type; a picked one ends up in the draft',
    async () => {
      const { page } = session;
      const form = await openRequestForm(page, { account: '111111111111', service: 'sqs', level: 'Read' });

      await form.getByPlaceholder('Type part of a name').fill('pay');
      const matches = form.getByRole('listbox', { name: 'Matches' });
      await matches.locator('optgroup[label="SQS queues"] option', { hasText: 'payment-events' }).first().waitFor({ state: 'attached' });
      // The chosen account's resources only, grouped by type, the form's service first.
      const groups = await matches.locator('optgroup').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('label')));
      expect(groups[0]).toBe('SQS queues');
      expect(groups).toContain('S3 buckets');
      expect(await matches.textContent()).not.toContain('pay-export-test');

      await matches.selectOption('arn:aws:sqs:eu-west-1:111111111111:payment-events');
      // A second search keeps what was picked.
      await form.getByPlaceholder('Type part of a name').fill('orders');
      await matches.locator('option', { hasText: 'orders' }).first().waitFor({ state: 'attached' });
      expect(await matches.locator('option:checked').evaluateAll((nodes) => nodes.map((n) => (n as HTMLOptionElement).value))).toEqual([
        'arn:aws:sqs:eu-west-1:111111111111:payment-events',
      ]);

      await form.getByLabel('Duration (minutes)').fill('30');
      await form.getByLabel('Justification').fill('inspect stuck payment events');
      await form.getByRole('button', { name: 'Draft' }).click();
      await form.waitFor({ state: 'detached' });
      const root = await waitForMessage(channelPane(page), 'Access request from the form');
      await root.getByRole('button', { name: /1 reply/ }).click();
      const preview = await waitForMessage(threadPane(page), /Access request r-/);
      expect(await preview.textContent()).toContain('arn:aws:sqs:eu-west-1:111111111111:payment-events');
    },
    BROWSER_TEST_TIMEOUT,
  );
});
