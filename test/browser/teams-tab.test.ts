import { expect, it } from 'vitest';
import { describeInChromium, playgroundPerTest } from './support/browser-playground.js';
import { PEOPLE, actAs, approvalCard, awsPanel, channelPane, openConversation, requestAccessAsAna, waitForMessage } from './support/flows.js';
import { openTeamsConversation, openTeamsTab, requestAccessOnTeams, sendOnTeams, teamsMessages, waitForTeamsMessage } from './support/teams-flows.js';

const BROWSER_TEST_TIMEOUT = 120_000;

describeInChromium('the playground Teams tab in Chromium', {}, (browser) => {
  const session = playgroundPerTest(browser, { as: PEOPLE.ana });

  it(
    'requester asks on Teams and submits; the approver approves on his Adaptive Card; the card updates and the dry-run grant shows',
    async () => {
      const { page } = session;
      await openTeamsTab(page);
      const requestId = await requestAccessOnTeams(page);
      // Submitted: Ana's draft card no longer offers Submit.
      expect(await teamsMessages(page).getByRole('button', { name: 'Submit' }).count()).toBe(0);

      await actAs(page, PEOPLE.ben);
      await openTeamsConversation(page, 'Warden');
      const card = await waitForTeamsMessage(page, new RegExp(`requests access[\\s\\S]*${requestId}`));
      expect(await card.textContent()).toContain('Ana Lima requests access to payments-prod');
      // The card is drawn by the adaptivecards renderer, with the buttons of Ben's refreshed view.
      expect(await card.locator('.ac-adaptiveCard').count()).toBe(1);
      await card.getByRole('button', { name: 'Approve' }).click();

      const approved = await waitForTeamsMessage(page, /Approved by Ben Okafor/);
      expect(await approved.getByRole('button', { name: 'Approve' }).count()).toBe(0);

      const put = awsPanel(page).locator('.aws-call[data-operation="PutRolePolicy"]');
      await put.waitFor({ timeout: 20_000 });
      const policy = JSON.parse((await put.locator('pre.json').textContent()) ?? '') as { Statement: { Action: string[]; Condition: Record<string, unknown> }[] };
      expect(policy.Statement.flatMap((s) => s.Action)).toContain('s3:GetObject');
      expect(policy.Statement.every((s) => 'DateLessThan' in s.Condition)).toBe(true);
      expect(await put.textContent()).toContain(`warden-${requestId}`);

      // Carla, the other approver, sees the decided card without buttons.
      await actAs(page, PEOPLE.carla);
      const carlas = await waitForTeamsMessage(page, /Approved by Ben Okafor/);
      expect(await carlas.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'one person on both tabs: a request made and approved on Slack is followed and ended on Teams',
    async () => {
      const { page } = session;
      const requestId = await requestAccessAsAna(page);
      await actAs(page, PEOPLE.ben);
      await openConversation(page, 'Warden');
      await (await approvalCard(page, requestId)).getByRole('button', { name: 'Approve' }).click();
      await waitForMessage(channelPane(page), /Approved by Ben Okafor/);

      // Ana is the same person on Teams (her aadObjectId in org.yaml): she sees her Slack request there.
      await actAs(page, PEOPLE.ana);
      await openTeamsTab(page);
      await openTeamsConversation(page, 'Warden');
      await sendOnTeams(page, `access status ${requestId}`);
      const status = await waitForTeamsMessage(page, new RegExp(`Access request ${requestId}`));
      await status.getByRole('button', { name: 'End access now' }).click();
      await waitForTeamsMessage(page, /Ended early by Ana Lima/);
      expect((await session.store.getRequest(requestId))?.state).toBe('revoked');
    },
    BROWSER_TEST_TIMEOUT,
  );
});
