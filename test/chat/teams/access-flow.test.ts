import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  adaptiveCardOf,
  cardText,
  executeActions,
  NoSuchButtonError,
  refreshOf,
  unsignedJwt,
  type FakeTeamsMessage,
} from '../../../src/playground/fake-teams/index.js';
import { AAD, shown, startTeamsHarness, type TeamsHarness } from '../../support/teams-harness.js';

const ASK = 'I need read access to the billing-reports S3 bucket in payments-prod to debug the export';

let h: TeamsHarness;

beforeEach(async () => {
  h = await startTeamsHarness();
});

afterEach(async () => {
  await h.close();
});

/** ana asks in her personal chat, answers the duration question, and gets a draft preview. */
async function draftInPersonalChat(text = ASK): Promise<{ chat: string; preview: FakeTeamsMessage; requestId: string }> {
  const first = await h.sender.message({ from: AAD.ana, text });
  // Teams is answered before the drafting happens.
  expect(first.status).toBe(200);
  const chat = first.conversationId;
  const since = h.teams.requests.length;
  const question = await h.teams.waitForMessage(chat, /how long/i);
  expect(shown(question)).toMatch(/how long/i);
  await h.sender.message({ from: AAD.ana, text: '2 hours' });
  const preview = await h.teams.waitForMessage(chat, /"view":"draft"/, { since });
  const requestId = String(refreshOf(adaptiveCardOf(preview))?.action.data?.['requestId']);
  return { chat, preview, requestId };
}

async function submit(chat: string, preview: FakeTeamsMessage): Promise<void> {
  const since = h.teams.requests.length;
  const result = await h.sender.click({ from: AAD.ana, message: preview, verb: 'draft.submit' });
  expect(result.status).toBe(200);
  await h.teams.waitForMessage(chat, /Submitted/, { since });
}

function approvalCard(aad: string, requestId: string): FakeTeamsMessage {
  const card = h.teams.messages(h.teams.personalChatOf(aad).id).find((m) => shown(m).includes(`Ana Lima requests access to payments-prod`) && shown(m).includes(requestId));
  if (!card) throw new Error(`no approval card for ${requestId} in ${aad}'s chat`);
  return card;
}

async function awsCalls(requestId: string) {
  const events = await h.store.listAudit({ requestId });
  return events.filter((e) => e.type === 'aws.call').map((e) => e.detail as { operation: string });
}

describe('access request through Teams, end to end over the real botbuilder adapter', () => {
  it('asks, drafts, routes to approvers, approves through Action.Execute and replaces the cards in place', async () => {
    const { chat, preview, requestId } = await draftInPersonalChat();
    const shared = shown(preview);
    expect(shared).toContain('s3:GetObject');
    expect(shared).toContain('arn:aws:s3:::billing-reports/*');
    expect(shared).toMatch(/2 hours/);
    // Everyone sees the card without buttons; the refresh names who gets their own view with them.
    expect(executeActions(adaptiveCardOf(preview)).filter((a) => a.verb !== 'refresh')).toEqual([]);
    expect(refreshOf(adaptiveCardOf(preview))?.userIds).toEqual([`8:orgid:${AAD.ana}`]);
    const anasView = await h.sender.viewOf(AAD.ana, preview);
    expect(executeActions(anasView).map((a) => a.verb)).toEqual(expect.arrayContaining(['draft.submit', 'draft.edit', 'draft.cancel']));

    await submit(chat, preview);
    expect((await h.store.getRequest(requestId))?.state).toBe('pending_approval');
    const bens = approvalCard(AAD.ben, requestId);
    const carlas = approvalCard(AAD.carla, requestId);
    for (const card of [bens, carlas]) {
      expect(shown(card)).toContain('Ana Lima');
      expect(shown(card)).toContain('s3:GetObject');
    }
    // The requester never gets an approval card, and cannot see approve buttons on one.
    expect(h.teams.messages(chat).some((m) => /requests access to/.test(shown(m)))).toBe(false);
    expect(refreshOf(adaptiveCardOf(bens))?.userIds?.sort()).toEqual([`8:orgid:${AAD.ben}`, `8:orgid:${AAD.carla}`].sort());

    const since = h.teams.requests.length;
    const approved = await h.sender.click({ from: AAD.ben, message: bens, verb: 'request.approve' });
    expect(approved.status).toBe(200);
    // Ben's click is answered with the outcome, in place of the card.
    expect(cardText(approved.card)).toMatch(/Approved by Ben Okafor/);
    expect(executeActions(approved.card)).toEqual([]);
    await h.teams.waitForMessage(chat, /is active until/, { since });

    const active = await h.store.getRequest(requestId);
    expect(active?.state).toBe('active');
    expect(active?.grant?.expiresAt).toBe('2026-11-23T12:00:00.000Z');
    expect((await awsCalls(requestId)).map((c) => c.operation)).toContain('PutRolePolicy');

    // Every copy was updated in place (PUT …/activities/{id}) for everyone: both approval cards and the draft.
    const updates = h.teams.requests.filter((r) => r.seq >= since && r.operation === 'updateActivity');
    expect(updates.map((u) => u.activityId)).toEqual(expect.arrayContaining([bens.id, carlas.id, preview.id]));
    for (const card of [approvalCard(AAD.ben, requestId), approvalCard(AAD.carla, requestId)]) {
      expect(shown(card)).toMatch(/Approved by Ben Okafor/);
      expect(refreshOf(adaptiveCardOf(card))).toBeUndefined();
    }
    expect(shown(h.teams.message(chat, preview.id))).toMatch(/Active/);
  });

  it('a second click after approval gets the updated card, not a second grant', async () => {
    const { chat, preview, requestId } = await draftInPersonalChat();
    await submit(chat, preview);
    const bens = approvalCard(AAD.ben, requestId);
    const carlas = approvalCard(AAD.carla, requestId);
    // Carla's client shows her view with the buttons before Ben decides.
    const carlasView = await h.sender.viewOf(AAD.carla, carlas);
    const approve = executeActions(carlasView).find((a) => a.verb === 'request.approve');
    expect(approve).toBeDefined();

    const since = h.teams.requests.length;
    await h.sender.click({ from: AAD.ben, message: bens, verb: 'request.approve' });
    await h.teams.waitForMessage(chat, /is active until/, { since });
    // Carla clicks the stale button she still had on screen.
    const late = await h.sender.invoke({ from: AAD.carla, message: carlas, verb: 'request.approve', data: approve?.data ?? {} });
    expect(late.status).toBe(200);
    expect(cardText(late.card)).toMatch(/no longer waiting for approval/);
    expect(cardText(late.card)).toMatch(/Approved by Ben Okafor/);
    expect(executeActions(late.card)).toEqual([]);
    const events = await h.store.listAudit({ requestId });
    expect(events.filter((e) => e.type === 'request.approved')).toHaveLength(1);
    expect((await awsCalls(requestId)).filter((c) => c.operation === 'PutRolePolicy')).toHaveLength(1);
  });

  it('deny takes its reason from the inline input and tells the requester', async () => {
    const { chat, preview, requestId } = await draftInPersonalChat();
    await submit(chat, preview);
    const carlas = approvalCard(AAD.carla, requestId);

    const empty = await h.sender.click({ from: AAD.carla, message: carlas, verb: 'request.deny', inputs: { reason: ' ' } });
    expect(cardText(empty.card)).toMatch(/Give a reason/);
    expect((await h.store.getRequest(requestId))?.state).toBe('pending_approval');

    const since = h.teams.requests.length;
    const denied = await h.sender.click({ from: AAD.carla, message: carlas, verb: 'request.deny', inputs: { reason: 'Use the read-only export role instead' } });
    expect(cardText(denied.card)).toMatch(/Denied by Carla Diaz/);
    await h.teams.waitForMessage(chat, /denied by Carla Diaz: Use the read-only export role instead/, { since });
    expect((await h.store.getRequest(requestId))?.state).toBe('denied');
    for (const aad of [AAD.ben, AAD.carla]) {
      const card = approvalCard(aad, requestId);
      expect(shown(card)).toMatch(/Denied by Carla Diaz/);
      await expect(h.sender.click({ from: aad, message: card, verb: 'request.deny', inputs: { reason: 'again' } })).rejects.toBeInstanceOf(NoSuchButtonError);
    }
  });

  it('refuses the requester approving their own request and people who are not approvers', async () => {
    const { chat, preview, requestId } = await draftInPersonalChat();
    await submit(chat, preview);
    const bens = approvalCard(AAD.ben, requestId);

    // Neither ana nor dave is shown the buttons…
    await expect(h.sender.click({ from: AAD.ana, message: bens, verb: 'request.approve' })).rejects.toBeInstanceOf(NoSuchButtonError);
    // …and a forged click with the card's data is refused by the workflow, privately, in the answer.
    const own = await h.sender.invoke({ from: AAD.ana, message: bens, verb: 'request.approve', data: { requestId } });
    expect(own.status).toBe(200);
    expect(cardText(own.card)).toMatch(/cannot approve or deny your own request/);
    const dave = await h.sender.invoke({ from: AAD.dave, message: bens, verb: 'request.approve', data: { requestId } });
    // dave is not an approver and this is not his card: he learns nothing about the request.
    expect(cardText(dave.card)).toMatch(/Only Ben Okafor, Carla Diaz can decide/);
    expect(cardText(dave.card)).not.toContain('s3:GetObject');

    expect((await h.store.getRequest(requestId))?.state).toBe('pending_approval');
    expect(await awsCalls(requestId)).toEqual([]);
    expect(h.teams.requests.filter((r) => r.operation === 'updateActivity' && r.activityId === bens.id)).toHaveLength(1);
  });
});

describe('Teams authentication', () => {
  function forgedActivity(): string {
    return JSON.stringify({
      type: 'message',
      id: '1700000099999',
      channelId: 'msteams',
      serviceUrl: h.teams.serviceUrl,
      from: { id: '29:1forged', name: 'Ana Lima', aadObjectId: AAD.ana },
      recipient: { id: h.teams.botId, name: 'Warden' },
      conversation: { id: h.teams.personalChatOf(AAD.ana).id, conversationType: 'personal', tenantId: h.teams.tenantId },
      channelData: { tenant: { id: h.teams.tenantId } },
      text: `${ASK} for 2 hours`,
    });
  }

  async function expectNothingHappened(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 200));
    await h.idle();
    expect((await h.store.listRequestsByRequester('ana')).items).toHaveLength(0);
    expect(h.teams.requests.filter((r) => r.operation === 'sendToConversation' || r.operation === 'createConversation')).toHaveLength(0);
    expect(await h.store.getChatAddress('teams', 'service')).toBeUndefined();
  }

  it('an activity without a token, unsigned, or signed with another key gets 401 and changes nothing', async () => {
    const body = forgedActivity();
    const headers = { 'content-type': 'application/json' };
    expect((await h.sender.raw(body, headers)).status).toBe(401);

    const claims = { iss: 'https://api.botframework.com', aud: h.teams.appId, serviceurl: h.teams.serviceUrl, nbf: Math.floor(Date.now() / 1000) - 10, exp: Math.floor(Date.now() / 1000) + 600 };
    expect((await h.sender.raw(body, { ...headers, authorization: `Bearer ${unsignedJwt(claims, h.teams.channelKeyId)}` })).status).toBe(401);

    const { generateSigningKey, signJwt } = await import('../../../src/playground/fake-teams/index.js');
    const attacker = { ...generateSigningKey(), kid: h.teams.channelKeyId };
    expect((await h.sender.raw(body, { ...headers, authorization: `Bearer ${signJwt(claims, attacker)}` })).status).toBe(401);

    // A genuine token for another bot, or from another service URL, is refused too.
    expect((await h.sender.raw(body, { ...headers, authorization: `Bearer ${h.teams.activityToken({ aud: 'another-bot' })}` })).status).toBe(401);
    expect((await h.sender.raw(body, { ...headers, authorization: `Bearer ${h.teams.activityToken({ serviceurl: 'http://127.0.0.1:1/evil/' })}` })).status).toBe(401);
    await expectNothingHappened();
  });
});
