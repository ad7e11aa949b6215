import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../../src/playground/fake-slack/index.js';
import { adaptiveCardOf, cardText, executeActions, refreshOf } from '../../../src/playground/fake-teams/index.js';
import { AAD, shown, startTeamsHarness, type TeamsHarness } from '../../support/teams-harness.js';
import { buttonValue, hasButton, SLACK, visibleText, waitForThreadPost } from '../../support/warden-harness.js';

const ASK = 'I need read access to the billing-reports S3 bucket in payments-prod to debug the export';

let h: TeamsHarness;

beforeEach(async () => {
  // Ben is on Teams only; Carla and Ana are on both platforms (the same people, mapped by their ids).
  h = await startTeamsHarness({
    org: (org) => ({ ...org, users: org.users.map((u) => (u.id === 'ben' ? { ...u, slackId: undefined } : u)) }),
  });
});

afterEach(async () => {
  await h.close();
});

function slackMessage(call: { response: Record<string, unknown> }): FakeMessage {
  const message = h.slack.message(String(call.response['channel']), String(call.response['ts']));
  if (!message) throw new Error('no such Slack message');
  return message;
}

describe('one person on Slack and Teams', () => {
  it('a request made on Slack is approved on Teams, and the cards on both platforms update', async () => {
    // Ben installed the Teams app, so Warden can reach him there.
    expect((await h.sender.install(AAD.ben)).status).toBe(200);

    const { message } = await h.slackSender.message({ user: SLACK.ana, text: ASK });
    await waitForThreadPost(h.slack, message.channel, message.ts, /how long/i);
    let since = h.slack.calls.length;
    await h.slackSender.message({ user: SLACK.ana, text: '2 hours', threadTs: message.ts });
    const preview = slackMessage(await waitForThreadPost(h.slack, message.channel, message.ts, /draft\.submit/, since));
    const requestId = buttonValue(preview, 'draft.submit');

    since = h.slack.calls.length;
    await h.slackSender.blockAction({ user: SLACK.ana, actionId: 'draft.submit', value: requestId, message: { channel: preview.channel, ts: preview.ts } });
    await waitForThreadPost(h.slack, message.channel, message.ts, /Submitted/, since);
    await h.idle();

    // Carla gets her card on Slack; Ben, who has no Slack id, on Teams.
    const carlas = h.slack.messages(h.slack.dmChannelOf(SLACK.carla)).find((m) => visibleText(m).includes(requestId));
    expect(carlas && hasButton(carlas, 'request.approve')).toBe(true);
    const bens = h.teams.messages(h.teams.personalChatOf(AAD.ben).id).find((m) => shown(m).includes(requestId));
    expect(bens).toBeDefined();
    expect(refreshOf(adaptiveCardOf(bens))?.userIds).toContain(`8:orgid:${AAD.ben}`);

    since = h.slack.calls.length;
    const teamsBefore = h.teams.requests.length;
    const approved = await h.sender.click({ from: AAD.ben, message: bens!, verb: 'request.approve' });
    expect(cardText(approved.card)).toMatch(/Approved by Ben Okafor/);
    await waitForThreadPost(h.slack, message.channel, message.ts, /is active until/, since);
    await h.idle();

    expect((await h.store.getRequest(requestId))?.state).toBe('active');
    // Slack: the draft preview and Carla's approval card were updated in place.
    const updates = h.slack.callsTo('chat.update').filter((c) => c.seq >= since);
    expect(updates.map((c) => c.args['ts'])).toEqual(expect.arrayContaining([preview.ts, carlas!.ts]));
    expect(visibleText(h.slack.message(carlas!.channel, carlas!.ts))).toMatch(/Approved by Ben Okafor/);
    expect(hasButton(h.slack.message(carlas!.channel, carlas!.ts), 'request.approve')).toBe(false);
    // Teams: Ben's card was replaced for everyone, not only in his click's answer.
    expect(h.teams.requests.some((r) => r.seq >= teamsBefore && r.operation === 'updateActivity' && r.activityId === bens!.id)).toBe(true);
    expect(shown(h.teams.message(bens!.conversationId, bens!.id))).toMatch(/Approved by Ben Okafor/);

    // Ana is the same person on Teams: she can follow her Slack request there, and end it.
    const status = await h.sender.message({ from: AAD.ana, text: `access status ${requestId}` });
    const statusCard = await h.teams.waitForMessage(status.conversationId, new RegExp(`Access request ${requestId}`));
    expect(shown(statusCard)).toMatch(/Active/);
    const release = await h.sender.click({ from: AAD.ana, message: statusCard, verb: 'grant.release' });
    expect(cardText(release.card)).toMatch(/Ended early by Ana Lima/);
    expect(executeActions(release.card)).toEqual([]);
    expect((await h.store.getRequest(requestId))?.state).toBe('revoked');
    await waitForThreadPost(h.slack, message.channel, message.ts, /ended early by Ana Lima/);
  });
});
