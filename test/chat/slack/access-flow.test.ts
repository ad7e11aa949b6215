import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../../src/playground/fake-slack/index.js';
import {
  buttonValue,
  hasButton,
  SLACK,
  startWardenHarness,
  visibleText,
  waitForThreadPost,
  type WardenHarness,
} from '../../support/warden-harness.js';

const ASK = 'I need read access to the billing-reports S3 bucket in payments-prod to debug the export';

let h: WardenHarness;

beforeEach(async () => {
  h = await startWardenHarness();
});

afterEach(async () => {
  await h.close();
});

function messageFrom(call: { args: Record<string, unknown>; response: Record<string, unknown> }): FakeMessage {
  const channel = String(call.response['channel']);
  const ts = String(call.response['ts']);
  const message = h.fake.message(channel, ts);
  if (!message) throw new Error(`no message ${channel}/${ts}`);
  return message;
}

/** ana asks in a DM, answers the duration question, and gets a draft preview. */
async function draftInDm(text = ASK): Promise<{ channel: string; threadTs: string; requestId: string; preview: FakeMessage }> {
  const { message } = await h.sender.message({ user: SLACK.ana, text });
  const question = await waitForThreadPost(h.fake, message.channel, message.ts, /how long/i);
  expect(visibleText(messageFrom(question))).toMatch(/how long/i);
  const since = h.fake.calls.length;
  await h.sender.message({ user: SLACK.ana, text: '2 hours', threadTs: message.ts });
  const previewCall = await waitForThreadPost(h.fake, message.channel, message.ts, /draft\.submit/, since);
  const preview = messageFrom(previewCall);
  return { channel: message.channel, threadTs: message.ts, requestId: buttonValue(preview, 'draft.submit'), preview };
}

async function submit(requestId: string, preview: FakeMessage) {
  const since = h.fake.calls.length;
  await h.sender.blockAction({ user: SLACK.ana, actionId: 'draft.submit', value: requestId, message: { channel: preview.channel, ts: preview.ts } });
  await waitForThreadPost(h.fake, preview.channel, preview.thread_ts ?? preview.ts, /Submitted/, since);
}

function approvalCardsFor(requestId: string): FakeMessage[] {
  return [SLACK.ben, SLACK.carla].map((user) => {
    const card = h.fake.messages(h.fake.dmChannelOf(user)).find((m) => visibleText(m).includes(requestId));
    if (!card) throw new Error(`no approval card for ${requestId} in ${user}'s DM`);
    return card;
  });
}

/** A click on a button of a posted card, by any user (a forged click uses someone else's card). */
function click(user: string, actionId: string, card: FakeMessage) {
  return h.sender.blockAction({ user, actionId, value: buttonValue(card, actionId), message: { channel: card.channel, ts: card.ts } });
}

async function awsCalls(requestId: string) {
  const events = await h.store.listAudit({ requestId });
  return events.filter((e) => e.type === 'aws.call').map((e) => e.detail as { operation: string; input: Record<string, unknown> });
}

describe('access request through Slack, end to end', () => {
  it('asks for what is missing, drafts, routes to approvers, grants with an expiry condition and revokes at expiry', async () => {
    const { channel, threadTs, requestId, preview } = await draftInDm();
    const shown = visibleText(preview);
    expect(shown).toContain('s3:GetObject');
    expect(shown).toContain('arn:aws:s3:::billing-reports/*');
    expect(shown).toContain('payments-prod');
    expect(shown).toMatch(/2 hours/);
    expect(shown).toMatch(/debug the export/);
    expect(hasButton(preview, 'draft.edit')).toBe(true);
    expect(hasButton(preview, 'draft.cancel')).toBe(true);

    await submit(requestId, preview);
    expect((await h.store.getRequest(requestId))?.state).toBe('pending_approval');
    const cards = approvalCardsFor(requestId);
    for (const card of cards) {
      // The approver sees the simulated SCP verdicts and the conditions Warden adds.
      expect(visibleText(card)).toMatch(/Organization SCPs \(simulated\)/);
      expect(visibleText(card)).toMatch(/aws:MultiFactorAuthPresent/);
      expect(visibleText(card)).toContain('Ana Lima');
      expect(visibleText(card)).toContain('s3:GetObject');
      expect(hasButton(card, 'request.approve')).toBe(true);
    }
    // The requester never receives an approval card.
    expect(h.fake.messages(h.fake.dmChannelOf(SLACK.ana)).some((m) => hasButton(m, 'request.approve'))).toBe(false);

    const since = h.fake.calls.length;
    await h.sender.blockAction({ user: SLACK.ben, actionId: 'request.approve', value: requestId, message: { channel: cards[0]!.channel, ts: cards[0]!.ts } });
    await waitForThreadPost(h.fake, channel, threadTs, /is active until/, since);

    const active = await h.store.getRequest(requestId);
    expect(active?.state).toBe('active');
    expect(active?.grant?.expiresAt).toBe('2026-11-23T12:00:00.000Z');
    const calls = await awsCalls(requestId);
    const put = calls.find((c) => c.operation === 'PutRolePolicy');
    expect(put?.input['RoleName']).toBe(`warden-${requestId}`);
    const policy = JSON.parse(String(put?.input['PolicyDocument']));
    expect(policy.Statement.length).toBeGreaterThan(0);
    for (const statement of policy.Statement) {
      // The expiry, plus what examples/guardrails.yaml adds for a production account.
      expect(statement.Condition).toEqual({
        DateLessThan: { 'aws:CurrentTime': '2026-11-23T12:00:00Z' },
        Bool: { 'aws:MultiFactorAuthPresent': 'true' },
        StringEquals: { 'aws:RequestedRegion': ['eu-west-1', 'eu-central-1', 'us-east-1'] },
      });
    }
    expect(policy.Statement.flatMap((s: { Action: string[] }) => s.Action)).toContain('s3:GetObject');

    // Every copy of the card now shows who approved, without buttons.
    for (const card of approvalCardsFor(requestId)) {
      expect(visibleText(card)).toMatch(/Approved by Ben Okafor/);
      expect(hasButton(card, 'request.approve')).toBe(false);
    }

    h.clock.advanceMinutes(121);
    const beforeTick = h.fake.calls.length;
    const report = await h.warden.scheduler.tick();
    expect(report.expired).toEqual([requestId]);
    expect((await h.store.getRequest(requestId))?.state).toBe('expired');
    expect((await awsCalls(requestId)).map((c) => c.operation)).toContain('DeleteRolePolicy');
    await waitForThreadPost(h.fake, channel, threadTs, /expired and was revoked/, beforeTick);
  });

  it('deny asks for a reason in a modal and tells the requester', async () => {
    const { channel, threadTs, requestId, preview } = await draftInDm();
    await submit(requestId, preview);
    const [card] = approvalCardsFor(requestId);
    await h.sender.blockAction({ user: SLACK.carla, actionId: 'request.deny', value: requestId, message: { channel: card!.channel, ts: card!.ts } });
    const opened = await h.fake.waitFor('views.open');
    const viewId = String((opened.response['view'] as { id: string }).id);

    const empty = await h.sender.viewSubmission({ user: SLACK.carla, viewId, values: { reason: { value: '' } } });
    expect(JSON.stringify(empty.body)).toMatch(/reason/i);
    expect((await h.store.getRequest(requestId))?.state).toBe('pending_approval');

    const since = h.fake.calls.length;
    await h.sender.viewSubmission({ user: SLACK.carla, viewId, values: { reason: { value: 'Use the read-only export role instead' } } });
    await waitForThreadPost(h.fake, channel, threadTs, /denied by Carla Diaz: Use the read-only export role instead/, since);
    expect((await h.store.getRequest(requestId))?.state).toBe('denied');
    for (const c of approvalCardsFor(requestId)) {
      expect(visibleText(c)).toMatch(/Denied by Carla Diaz/);
      expect(hasButton(c, 'request.deny')).toBe(false);
    }
  });

  it('refuses the requester approving their own request and users who are not approvers', async () => {
    const { requestId, preview } = await draftInDm();
    await submit(requestId, preview);

    const [bensCard, carlasCard] = approvalCardsFor(requestId);
    await click(SLACK.ana, 'request.approve', bensCard!);
    const own = await h.fake.waitFor((c) => c.method === 'chat.postEphemeral' && c.args['user'] === SLACK.ana);
    expect(String(own.args['text'])).toMatch(/cannot approve or deny your own request/);

    await click(SLACK.dave, 'request.approve', carlasCard!);
    const notApprover = await h.fake.waitFor((c) => c.method === 'chat.postEphemeral' && c.args['user'] === SLACK.dave);
    expect(String(notApprover.args['text'])).toMatch(/Only Ben Okafor, Carla Diaz can decide/);

    // An unknown Slack user is refused too, whatever the button says.
    await click('U0STRANGER', 'request.approve', bensCard!);
    const stranger = await h.fake.waitFor((c) => c.method === 'chat.postEphemeral' && c.args['user'] === 'U0STRANGER');
    expect(String(stranger.args['text'])).toMatch(/not in Warden's org config/);

    expect((await h.store.getRequest(requestId))?.state).toBe('pending_approval');
    expect(await awsCalls(requestId)).toEqual([]);
  });

  it('two approvers clicking at the same time grant exactly once', async () => {
    const { channel, threadTs, requestId, preview } = await draftInDm();
    await submit(requestId, preview);
    const [bensCard, carlasCard] = approvalCardsFor(requestId);
    const since = h.fake.calls.length;
    await Promise.all([click(SLACK.ben, 'request.approve', bensCard!), click(SLACK.carla, 'request.approve', carlasCard!), click(SLACK.ben, 'request.approve', bensCard!)]);
    await waitForThreadPost(h.fake, channel, threadTs, /is active until/, since);
    // The losers are told, privately, that it was already decided.
    await h.fake.waitFor((c) => c.seq >= since && c.method === 'chat.postEphemeral' && /no longer waiting|already approved/.test(String(c.args['text'])));
    const calls = await awsCalls(requestId);
    expect(calls.filter((c) => c.operation === 'PutRolePolicy')).toHaveLength(1);
    const events = await h.store.listAudit({ requestId });
    expect(events.filter((e) => e.type === 'request.approved')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'grant.active')).toHaveLength(1);
  });

  it('the same event delivered twice makes one request', async () => {
    const { message, envelope } = await h.sender.message({ user: SLACK.ana, text: `${ASK} for 2 hours` });
    await waitForThreadPost(h.fake, message.channel, message.ts, /draft\.submit/);
    await h.sender.redeliver(envelope, { num: 1, reason: 'http_timeout' });
    await h.sender.redeliver(envelope, { num: 2, reason: 'http_timeout' });
    // Give a wrongly processed retry time to show up before counting.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const page = await h.store.listRequestsByRequester('ana');
    expect(page.items).toHaveLength(1);
    expect(h.fake.thread(message.channel, message.ts).filter((m) => hasButton(m, 'draft.submit'))).toHaveLength(1);
  });

  it('a forged signature gets 401 and stores nothing', async () => {
    const body = JSON.stringify({ type: 'event_callback', event_id: 'Ev0FORGED', team_id: 'T0', event: { type: 'message', channel_type: 'im', channel: 'D0ANA', user: SLACK.ana, text: `${ASK} for 2 hours`, ts: '1.000100' } });
    const result = await h.sender.raw(body, { 'content-type': 'application/json', 'x-slack-signature': 'v0=' + 'f'.repeat(64) });
    expect(result.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await h.store.listRequestsByRequester('ana')).items).toHaveLength(0);
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('cancel from the draft, and release an active grant early', async () => {
    const first = await draftInDm();
    await h.sender.blockAction({ user: SLACK.ana, actionId: 'draft.cancel', value: first.requestId, message: { channel: first.channel, ts: first.preview.ts } });
    await waitForThreadPost(h.fake, first.channel, first.threadTs, /was cancelled/);
    expect((await h.store.getRequest(first.requestId))?.state).toBe('cancelled');

    const second = await draftInDm(`${ASK} again`);
    await submit(second.requestId, second.preview);
    const since = h.fake.calls.length;
    await click(SLACK.ben, 'request.approve', approvalCardsFor(second.requestId)[0]!);
    await waitForThreadPost(h.fake, second.channel, second.threadTs, /is active until/, since);

    const released = await h.sender.command('/access', `release ${second.requestId}`, { user: SLACK.ana });
    expect(released.status).toBe(200);
    await h.fake.waitFor((c) => c.method === 'response_url' && /Ended access/.test(JSON.stringify(c.args)));
    expect((await h.store.getRequest(second.requestId))?.state).toBe('revoked');
    expect((await awsCalls(second.requestId)).map((c) => c.operation)).toEqual(
      expect.arrayContaining(['PutRolePolicy', 'DeleteRolePolicy', 'DeleteRole']),
    );
    for (const card of approvalCardsFor(second.requestId)) expect(visibleText(card)).toMatch(/Ended early/);
  });

  it('a grant that expired while Warden was down is revoked at start', async () => {
    const { channel, threadTs, requestId, preview } = await draftInDm();
    await submit(requestId, preview);
    const since = h.fake.calls.length;
    await click(SLACK.ben, 'request.approve', approvalCardsFor(requestId)[0]!);
    await waitForThreadPost(h.fake, channel, threadTs, /is active until/, since);

    await h.stopWarden();
    h.clock.advanceMinutes(180);
    const beforeStart = h.fake.calls.length;
    await h.startWarden();
    expect((await h.store.getRequest(requestId))?.state).toBe('expired');
    expect((await awsCalls(requestId)).map((c) => c.operation)).toContain('DeleteRolePolicy');
    await waitForThreadPost(h.fake, channel, threadTs, /expired and was revoked/, beforeStart);
  });
});
