import { afterEach, describe, expect, it } from 'vitest';
import type { AccessRules } from '../../../src/config/schemas.js';
import type { FakeMessage } from '../../../src/playground/fake-slack/index.js';
import { adaptiveCardOf, cardText, refreshOf, type FakeTeamsMessage } from '../../../src/playground/fake-teams/index.js';
import { AAD, shown, startTeamsHarness, TEAMS_ACCESS_CHANNEL, type TeamsHarness } from '../../support/teams-harness.js';
import { buttonValue, hasButton, SLACK, visibleText, waitForThreadPost } from '../../support/warden-harness.js';

const SANDBOX_ASK = 'read the orders-queue SQS queue in sandbox for 1 hour to inspect stuck messages';

let h: TeamsHarness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The sample rules with the sandbox rule's approval cards going to the given channels. */
function sandboxNotify(notify: { channel?: string; teamsChannel?: string }): (rules: AccessRules) => AccessRules {
  return (rules) => ({ ...rules, rules: rules.rules.map((r) => (r.name === 'sandbox' ? { ...r, notify: { mode: 'channel', ...notify } } : r)) });
}

describe('approvers channels on Slack and Teams', () => {
  it('a rule naming a Slack and a Teams channel gets one card on each, and both update on approval', async () => {
    const t = (h = await startTeamsHarness({ rules: sandboxNotify({ channel: '#access-requests', teamsChannel: TEAMS_ACCESS_CHANNEL }) }));
    // Warden learns the Teams channel when someone mentions it there once.
    const mention = await t.sender.message({ from: AAD.dave, channel: 'access-requests', text: 'help' });
    expect(mention.status).toBe(200);
    await t.idle();
    const teamsChannel = mention.conversationId;
    expect(teamsChannel.startsWith(TEAMS_ACCESS_CHANNEL)).toBe(true);

    const { message } = await t.slackSender.message({ user: SLACK.ana, text: SANDBOX_ASK });
    const call = await waitForThreadPost(t.slack, message.channel, message.ts, /draft\.submit/);
    const preview = t.slack.message(String(call.response['channel']), String(call.response['ts']))!;
    const requestId = buttonValue(preview, 'draft.submit');
    let since = t.slack.calls.length;
    await t.slackSender.blockAction({ user: SLACK.ana, actionId: 'draft.submit', value: requestId, message: { channel: preview.channel, ts: preview.ts } });
    await waitForThreadPost(t.slack, message.channel, message.ts, /Submitted/, since);
    await t.idle();

    // Slack: one card in its approvers channel.
    const slackCards = t.slack.callsTo('chat.postMessage').filter((c) => c.seq >= since && JSON.stringify(c.args).includes('request.approve'));
    expect(slackCards.map((c) => c.args['channel'])).toEqual(['#access-requests']);
    const slackCard: FakeMessage | undefined = t.slack.message(String(slackCards[0]!.response['channel']), String(slackCards[0]!.response['ts']));
    expect(hasButton(slackCard, 'request.approve')).toBe(true);
    // Teams: one card in the channel, with the approvers' buttons behind its refresh.
    const teamsCards = t.teams.messages(teamsChannel).filter((m) => shown(m).includes(requestId) && /requests access to sandbox/.test(shown(m)));
    expect(teamsCards).toHaveLength(1);
    const teamsCard: FakeTeamsMessage = teamsCards[0]!;
    expect(refreshOf(adaptiveCardOf(teamsCard))?.userIds).toContain(`8:orgid:${AAD.dave}`);
    // No approver was messaged directly, and both copies are remembered for updates.
    expect(t.teams.messages(t.teams.personalChatOf(AAD.dave).id).some((m) => shown(m).includes(requestId))).toBe(false);
    const refs = (await t.store.listMessageRefs(requestId)).filter((r) => r.purpose === 'approval');
    expect(refs.map((r) => r.platform).sort()).toEqual(['slack', 'teams']);

    since = t.slack.calls.length;
    const approved = await t.sender.click({ from: AAD.dave, message: teamsCard, verb: 'request.approve' });
    expect(cardText(approved.card)).toMatch(/Approved by Dave Kim/);
    await waitForThreadPost(t.slack, message.channel, message.ts, /is active until/, since);
    await t.idle();
    expect((await t.store.getRequest(requestId))?.state).toBe('active');
    expect(visibleText(t.slack.message(slackCard!.channel, slackCard!.ts))).toMatch(/Approved by Dave Kim/);
    expect(hasButton(t.slack.message(slackCard!.channel, slackCard!.ts), 'request.approve')).toBe(false);
    expect(shown(t.teams.message(teamsCard.conversationId, teamsCard.id))).toMatch(/Approved by Dave Kim/);
  });

  it('a Teams channel Warden was never mentioned in is reported, with the way out', async () => {
    const t = (h = await startTeamsHarness({ rules: sandboxNotify({ teamsChannel: TEAMS_ACCESS_CHANNEL }) }));
    const { message } = await t.slackSender.message({ user: SLACK.ana, text: SANDBOX_ASK });
    const call = await waitForThreadPost(t.slack, message.channel, message.ts, /draft\.submit/);
    const preview = t.slack.message(String(call.response['channel']), String(call.response['ts']))!;
    const requestId = buttonValue(preview, 'draft.submit');
    const since = t.slack.calls.length;
    await t.slackSender.blockAction({ user: SLACK.ana, actionId: 'draft.submit', value: requestId, message: { channel: preview.channel, ts: preview.ts } });
    await waitForThreadPost(t.slack, message.channel, message.ts, /No approver could be reached/, since);
    // Not posted to Slack instead: the rule names a Teams channel only.
    expect(t.slack.callsTo('chat.postMessage').some((c) => c.seq >= since && JSON.stringify(c.args).includes('request.approve'))).toBe(false);
    const failures = (await t.store.listAudit({ requestId })).filter((e) => e.type === 'approval_card.post_failed');
    expect(JSON.stringify(failures[0]?.detail)).toMatch(/mention Warden there once/);
  });
});

describe('a Teams-only Warden', () => {
  it('runs the access flow on Teams without any Slack', async () => {
    const t = (h = await startTeamsHarness({ slack: false }));
    expect(t.warden.slack).toBeUndefined();
    expect(t.warden.slackPort).toBeUndefined();

    const first = await t.sender.message({ from: AAD.ana, text: 'I need read access to the billing-reports S3 bucket in payments-prod to debug the export' });
    const chat = first.conversationId;
    let since = t.teams.requests.length;
    await t.teams.waitForMessage(chat, /how long/i);
    await t.sender.message({ from: AAD.ana, text: '2 hours' });
    const preview = await t.teams.waitForMessage(chat, /"view":"draft"/, { since });
    const requestId = String(refreshOf(adaptiveCardOf(preview))?.action.data?.['requestId']);
    since = t.teams.requests.length;
    await t.sender.click({ from: AAD.ana, message: preview, verb: 'draft.submit' });
    await t.teams.waitForMessage(chat, /Submitted/, { since });
    await t.idle();

    const bens = t.teams.messages(t.teams.personalChatOf(AAD.ben).id).find((m) => shown(m).includes(requestId));
    expect(bens).toBeDefined();
    const approved = await t.sender.click({ from: AAD.ben, message: bens!, verb: 'request.approve' });
    expect(cardText(approved.card)).toMatch(/Approved by Ben Okafor/);
    await t.idle();
    expect((await t.store.getRequest(requestId))?.state).toBe('active');
    // Nothing ever went to Slack.
    expect(t.slack.calls).toHaveLength(0);
  });
});
