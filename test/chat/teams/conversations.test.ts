import { afterEach, describe, expect, it } from 'vitest';
import {
  adaptiveCardOf,
  cardText,
  executeActions,
  refreshOf,
  type FakeTeamsMessage,
} from '../../../src/playground/fake-teams/index.js';
import { AAD, shown, startTeamsHarness, type TeamsHarness, type TeamsHarnessOptions } from '../../support/teams-harness.js';

const ASK = 'I need read access to the billing-reports S3 bucket in payments-prod to debug the export';

let h: TeamsHarness | undefined;

async function start(options?: TeamsHarnessOptions): Promise<TeamsHarness> {
  h = await startTeamsHarness(options);
  return h;
}

afterEach(async () => {
  await h?.close();
  h = undefined;
});

const requestIdOf = (message: FakeTeamsMessage) => String(refreshOf(adaptiveCardOf(message))?.action.data?.['requestId']);

async function draft(t: TeamsHarness, text = `${ASK} for 2 hours`): Promise<{ chat: string; preview: FakeTeamsMessage; requestId: string }> {
  const since = t.teams.requests.length;
  const sent = await t.sender.message({ from: AAD.ana, text });
  const preview = await t.teams.waitForMessage(sent.conversationId, /"view":"draft"/, { since });
  return { chat: sent.conversationId, preview, requestId: requestIdOf(preview) };
}

describe('Teams personal chat', () => {
  it('Edit redrafts the same request from the inline form, and Cancel withdraws it', async () => {
    const t = await start();
    const { chat, preview, requestId } = await draft(t);
    const since = t.teams.requests.length;
    const edited = await t.sender.click({
      from: AAD.ana,
      message: preview,
      verb: 'draft.edit',
      inputs: { account: '111111111111', service: 's3', accessLevel: 'Read', resources: 'billing-reports', duration: '60', justification: 'debug the export again' },
    });
    expect(edited.status).toBe(200);
    const redrafted = await t.teams.waitForMessage(chat, /"view":"draft"/, { since });
    expect(requestIdOf(redrafted)).toBe(requestId);
    expect(shown(redrafted)).toMatch(/1 hour/);
    expect((await t.store.getRequest(requestId))?.draft.durationMinutes).toBe(60);
    // The answer to the click and the older preview show the new version too.
    expect(cardText(edited.card)).toMatch(/1 hour/);
    expect(shown(t.teams.message(chat, preview.id))).toMatch(/1 hour/);

    const bad = await t.sender.click({ from: AAD.ana, message: redrafted, verb: 'draft.edit', inputs: { resources: '', duration: '2' } });
    expect(cardText(bad.card)).toMatch(/Name at least one resource/);

    const cancelled = await t.sender.click({ from: AAD.ana, message: redrafted, verb: 'draft.cancel' });
    expect(cardText(cancelled.card)).toMatch(/Cancelled/);
    expect((await t.store.getRequest(requestId))?.state).toBe('cancelled');
    await t.teams.waitForMessage(chat, /was cancelled/);
  });

  it('Edit on a multi-account draft keeps its accounts, prefilled in the form’s "Also in"', async () => {
    const t = await start();
    const { chat, preview, requestId } = await draft(t, 'read the billing-reports S3 bucket in payments-prod and sandbox for 2 hours to debug the export');
    expect((await t.store.getRequest(requestId))?.draft.alsoIn?.map((a) => a.accountId)).toEqual(['222222222222']);
    // The Edit form shows the further account chosen.
    const form = JSON.stringify(await t.sender.viewOf(AAD.ana, preview));
    expect(form).toMatch(/"id":"alsoIn","label":"Also in[^"]*","style":"compact","isMultiSelect":true,"choices":\[[^\]]*\],"value":"222222222222"/);

    const since = t.teams.requests.length;
    await t.sender.click({
      from: AAD.ana,
      message: preview,
      verb: 'draft.edit',
      inputs: { account: '111111111111', alsoIn: '222222222222', service: 's3', accessLevel: 'Read', resources: 'billing-reports', duration: '60', justification: 'debug the export again' },
    });
    const redrafted = await t.teams.waitForMessage(chat, /"view":"draft"/, { since });
    expect(requestIdOf(redrafted)).toBe(requestId);
    const stored = (await t.store.getRequest(requestId))?.draft;
    expect(stored?.durationMinutes).toBe(60);
    expect(stored?.alsoIn).toEqual([{ accountId: '222222222222', accountName: 'sandbox', statements: stored?.statements }]);
    expect(shown(redrafted)).toMatch(/Also in sandbox\*{0,2} \(222222222222\), as its own request/);
  });

  it('a message after a submitted request starts a new one instead of extending the old', async () => {
    const t = await start();
    const first = await draft(t);
    await t.sender.click({ from: AAD.ana, message: first.preview, verb: 'draft.submit' });
    await t.idle();
    const second = await draft(t, 'I need read access to the billing-reports S3 bucket in payments-prod for 3 hours to check the totals');
    expect(second.chat).toBe(first.chat);
    expect(second.requestId).not.toBe(first.requestId);
    expect((await t.store.getRequest(second.requestId))?.draft.justification).not.toMatch(/debug the export/);
    expect((await t.store.getRequest(first.requestId))?.state).toBe('pending_approval');
  });

  it('answers the command menu privately: help, request (a form), list, status and cancel', async () => {
    const t = await start();
    const chat = t.teams.personalChatOf(AAD.ana).id;
    await t.sender.message({ from: AAD.ana, text: 'help' });
    const help = await t.teams.waitForMessage(chat, /Warden: temporary AWS access/);
    // Teams has no slash commands: the help names the command menu's words.
    expect(shown(help)).toContain('`access request`');
    expect(shown(help)).not.toContain('/access');

    await t.sender.message({ from: AAD.ana, text: 'access request' });
    const form = await t.teams.waitForMessage(chat, /Request AWS access/);
    const since = t.teams.requests.length;
    const submitted = await t.sender.click({
      from: AAD.ana,
      message: form,
      verb: 'request.form',
      inputs: { account: '111111111111', service: 's3', accessLevel: 'Read', resources: 'billing-reports', duration: '90', justification: 'monthly export check' },
    });
    expect(cardText(submitted.card)).toMatch(/Drafting your request/);
    const preview = await t.teams.waitForMessage(chat, /"view":"draft"/, { since });
    const requestId = requestIdOf(preview);
    expect(shown(preview)).toMatch(/Duration: 1 hour 30 min/);

    await t.sender.message({ from: AAD.ana, text: 'access list' });
    expect(shown(await t.teams.waitForMessage(chat, /Your access requests/))).toContain(requestId);

    const beforeStatus = t.teams.requests.length;
    await t.sender.message({ from: AAD.ana, text: `access status ${requestId}` });
    expect(shown(await t.teams.waitForMessage(chat, new RegExp(`Access request ${requestId}`), { since: beforeStatus }))).toMatch(/Draft/);

    await t.sender.message({ from: AAD.ana, text: `access cancel ${requestId}` });
    await t.teams.waitForMessage(chat, new RegExp(`Cancelled \`${requestId}\``));
    expect((await t.store.getRequest(requestId))?.state).toBe('cancelled');

    // Someone else's request is not theirs to see.
    await t.sender.message({ from: AAD.dave, text: `access status ${requestId}` });
    expect(shown(await t.teams.waitForMessage(t.teams.personalChatOf(AAD.dave).id, /There is no request/))).not.toContain('s3:GetObject');
  });

  it('access help with a question answers from the asker’s own rules, as on Slack', async () => {
    const t = await start();
    const sent = await t.sender.message({ from: AAD.ana, text: 'access help who approves my requests for payments-prod?' });
    const answer = await t.teams.waitForMessage(sent.conversationId, /payments-prod/);
    expect(shown(answer)).toMatch(/Ben Okafor/);
    expect(shown(answer)).toMatch(/Carla Diaz/);
  });

  it('"access to …" in plain words is a request, not an unknown command', async () => {
    const t = await start();
    const sent = await t.sender.message({ from: AAD.ana, text: 'access to the billing-reports S3 bucket in payments-prod for 2 hours, read only, to debug the export' });
    const reply = await t.teams.waitForMessage(sent.conversationId, /.+/);
    expect(shown(reply)).not.toMatch(/don't know/i);
  });

  it('tells someone who is not in the org config, and does nothing for them', async () => {
    const t = await start();
    t.teams.state.addUser({ aadObjectId: 'e0000000-0000-4000-8000-00000000e0e0', name: 'Eve Stranger' });
    const sent = await t.sender.message({ from: 'e0000000-0000-4000-8000-00000000e0e0', text: `${ASK} for 2 hours` });
    const reply = await t.teams.waitForMessage(sent.conversationId, /not in Warden's org config/);
    expect(shown(reply)).toContain('e0000000-0000-4000-8000-00000000e0e0');
    expect((await t.store.listRequestsInStates(['drafting'])).length).toBe(0);
  });
});

describe('Teams channels', () => {
  it('a mention in a channel drafts in its thread; submitting sends the approval cards to the approvers', async () => {
    const t = await start();
    const since = t.teams.requests.length;
    const sent = await t.sender.message({ from: AAD.ana, channel: 'access-requests', text: ASK });
    expect(sent.conversationId).toMatch(/@thread\.tacv2;messageid=\d+$/);
    await t.teams.waitForMessage(sent.conversationId, /how long/i, { since });
    // A reply in the thread that mentions the bot answers its question.
    await t.sender.message({ from: AAD.ana, channel: 'access-requests', threadRootId: sent.message.id, text: '2 hours' });
    const preview = await t.teams.waitForMessage(sent.conversationId, /"view":"draft"/, { since });
    const requestId = requestIdOf(preview);
    // Others in the channel see the draft, but only Ana gets its buttons.
    expect(executeActions(await t.sender.viewOf(AAD.dave, preview))).toEqual([]);
    await t.sender.click({ from: AAD.ana, message: preview, verb: 'draft.submit' });
    await t.teams.waitForMessage(sent.conversationId, /Submitted/);
    await t.idle();
    expect(t.teams.messages(t.teams.personalChatOf(AAD.ben).id).some((m) => shown(m).includes(requestId))).toBe(true);
  });
});

describe('Teams acknowledgements and limits', () => {
  it('answers a click at once when the work takes longer, and updates the card when it is done', async () => {
    const t = await start({ invokeBudgetMs: 0 });
    const { preview, requestId } = await draft(t);
    await t.sender.click({ from: AAD.ana, message: preview, verb: 'draft.submit' });
    await t.idle();
    const bens = t.teams.messages(t.teams.personalChatOf(AAD.ben).id).find((m) => shown(m).includes(requestId))!;
    const answer = await t.sender.click({ from: AAD.ben, message: bens, verb: 'request.approve' });
    expect(cardText(answer.card)).toMatch(/Working on it/);
    await t.idle();
    expect((await t.store.getRequest(requestId))?.state).toBe('active');
    expect(shown(t.teams.message(bens.conversationId, bens.id))).toMatch(/Approved by Ben Okafor/);
  });

  it('ignores activities from another tenant', async () => {
    const t = await start();
    const chat = t.teams.personalChatOf(AAD.ana);
    const result = await t.sender.post({
      type: 'message',
      id: '1700000088888',
      channelId: 'msteams',
      serviceUrl: t.teams.serviceUrl,
      from: { id: t.teams.user(AAD.ana).id, name: 'Ana Lima', aadObjectId: AAD.ana },
      recipient: { id: t.teams.botId, name: 'Warden' },
      conversation: { id: chat.id, conversationType: 'personal', tenantId: '99999999-9999-4999-8999-999999999999' },
      channelData: { tenant: { id: '99999999-9999-4999-8999-999999999999' } },
      text: `${ASK} for 2 hours`,
    });
    expect(result.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await t.idle();
    expect(t.teams.requests.filter((r) => r.operation === 'sendToConversation')).toHaveLength(0);
    expect(await t.store.getChatAddress('teams', 'service')).toBeUndefined();
  });

  it('with no app id configured (the playground), local activities are accepted without a token', async () => {
    const t = await start({ auth: 'anonymous' });
    const sent = await t.sender.message({ from: AAD.ana, text: ASK });
    const question = await t.teams.waitForMessage(sent.conversationId, /how long/i);
    expect(shown(question)).toMatch(/how long/i);
    expect(t.teams.requests.some((r) => r.operation === 'token')).toBe(false);
  });
});
