import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adaptiveCardOf, executeActions, refreshOf } from '../../../src/playground/fake-teams/index.js';
import { AAD, shown, startTeamsHarness, type TeamsHarness } from '../../support/teams-harness.js';

let h: TeamsHarness;

beforeEach(async () => {
  h = await startTeamsHarness({
    rules: (rules) => ({
      ...rules,
      rules: [
        {
          name: 'quick-reads',
          accounts: ['*'],
          environments: ['dev', 'sandbox'],
          accessLevels: ['List', 'Read'],
          maxRisk: 'low',
          autoApprove: true,
          requesters: { users: [], groups: ['engineers'] },
          approvers: { users: [], groups: ['payments-leads'] },
          quorum: 1,
          maxDurationMinutes: 60,
          notify: { mode: 'dm' },
        },
        ...rules.rules,
      ],
    }),
  });
});

afterEach(async () => {
  await h.close();
});

describe('auto-approval on Teams', () => {
  it('grants without a click and sends each approver an information card with no buttons', async () => {
    const first = await h.sender.message({ from: AAD.ana, text: 'I need read access to the billing-reports S3 bucket in sandbox to debug the export' });
    const chat = first.conversationId;
    const since = h.teams.requests.length;
    await h.teams.waitForMessage(chat, /how long/i);
    await h.sender.message({ from: AAD.ana, text: '1 hour' });
    const preview = await h.teams.waitForMessage(chat, /"view":"draft"/, { since });
    const requestId = String(refreshOf(adaptiveCardOf(preview))?.action.data?.['requestId']);

    const clicked = await h.sender.click({ from: AAD.ana, message: preview, verb: 'draft.submit' });
    expect(clicked.status).toBe(200);
    await h.teams.waitForMessage(chat, /approved automatically under rule \\?"quick-reads\\?"/, { since });
    await h.teams.waitForMessage(chat, /is active until/, { since });
    expect((await h.store.getRequest(requestId))?.state).toBe('active');

    for (const aad of [AAD.ben, AAD.carla]) {
      const card = h.teams.messages(h.teams.personalChatOf(aad).id).find((m) => shown(m).includes(requestId));
      expect(shown(card)).toMatch(/approved automatically/);
      expect(shown(card)).toContain('quick-reads');
      const rendered = adaptiveCardOf(card!);
      expect(executeActions(rendered)).toEqual([]);
      // Nobody gets a personal view with buttons either: there is nothing to decide.
      expect(refreshOf(rendered)).toBeUndefined();
    }
  });
});
