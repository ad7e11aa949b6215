import { verifySlackRequest, webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FakeSlackWebApi,
  type MessageChange,
  type RecordedCall,
  computeSlackSignature,
  signatureHeaders,
} from '../../src/playground/fake-slack/index.js';
import { ALICE, BOB, BOT_TOKEN, SIGNING_SECRET, USERS, recordingLogger } from './support.js';

/** The fake on its own, driven by a plain WebClient and raw HTTP. */
describe('FakeSlackWebApi', () => {
  let fake: FakeSlackWebApi | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  async function start(extra: Partial<Parameters<typeof FakeSlackWebApi.start>[0]> = {}) {
    fake = await FakeSlackWebApi.start({ botToken: BOT_TOKEN, users: USERS, ...extra });
    const client = new webApi.WebClient(BOT_TOKEN, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      logger: recordingLogger(),
    });
    return { fake, client };
  }

  async function rawCall(url: string, init: RequestInit): Promise<{ status: number; body: unknown }> {
    const response = await fetch(url, { method: 'POST', ...init });
    return { status: response.status, body: await response.json() };
  }

  describe('authentication and routing', () => {
    it('answers like Slack: not_authed, invalid_auth, unknown_method, all with HTTP 200', async () => {
      const { fake } = await start();
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      expect(await rawCall(`${fake.apiUrl}auth.test`, { headers: form })).toEqual({
        status: 200,
        body: { ok: false, error: 'not_authed' },
      });
      expect(await rawCall(`${fake.apiUrl}auth.test`, { headers: { ...form, authorization: 'Bearer xoxb-nope' } })).toEqual({
        status: 200,
        body: { ok: false, error: 'invalid_auth' },
      });
      expect(await rawCall(`${fake.apiUrl}chat.teleport`, { headers: { ...form, authorization: `Bearer ${BOT_TOKEN}` } })).toEqual({
        status: 200,
        body: { ok: false, error: 'unknown_method' },
      });
      expect(fake.calls.map((c) => [c.method, c.response.error])).toEqual([
        ['auth.test', 'not_authed'],
        ['auth.test', 'invalid_auth'],
        ['chat.teleport', 'unknown_method'],
      ]);
    });

    it('accepts the token as a form field, but not inside a JSON body', async () => {
      const { fake } = await start();
      const asForm = await rawCall(`${fake.apiUrl}auth.test`, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: BOT_TOKEN }).toString(),
      });
      expect(asForm.body).toMatchObject({ ok: true, user_id: fake.botUserId });
      const asJson = await rawCall(`${fake.apiUrl}auth.test`, {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: BOT_TOKEN }),
      });
      expect(asJson.body).toEqual({ ok: false, error: 'not_authed' });
      // The token is not kept in the recorded arguments.
      expect(fake.calls[0]!.args).toEqual({});
    });

    it('parses JSON bodies with nested blocks', async () => {
      const { fake } = await start();
      const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*hi*' } }];
      const { body } = await rawCall(`${fake.apiUrl}chat.postMessage`, {
        headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${BOT_TOKEN}` },
        body: JSON.stringify({ channel: 'C1', text: 'hi', blocks }),
      });
      expect(body).toMatchObject({ ok: true, channel: 'C1', message: { blocks } });
      expect(fake.messages('C1')[0]!.blocks).toEqual(blocks);
    });
  });

  describe('chat', () => {
    it('posts with strictly increasing ts, even on a frozen clock', async () => {
      const frozen = new Date('2023-11-14T22:13:20Z'); // 1700000000 s
      const { fake, client } = await start({ clock: { now: () => frozen } });
      const a = await client.chat.postMessage({ channel: 'C1', text: 'one' });
      const b = await client.chat.postMessage({ channel: 'C1', text: 'two' });
      expect(a.ts).toBe('1700000000.000000');
      expect(b.ts).toBe('1700000000.000001');
      expect(fake.messages('C1').map((m) => m.text)).toEqual(['one', 'two']);
    });

    it('refuses an empty channel, a message without content, and malformed blocks', async () => {
      const { client } = await start();
      await expect(client.chat.postMessage({ channel: '', text: 'x' })).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
      await expect(client.chat.postMessage({ channel: 'C1', text: '' })).rejects.toMatchObject({ data: { error: 'no_text' } });
      await expect(client.apiCall('chat.postMessage', { channel: 'C1', text: 'x', blocks: '[oops' })).rejects.toMatchObject({
        data: { error: 'invalid_blocks' },
      });
    });

    it('posts to a user id in the bot DM with that user', async () => {
      const { fake, client } = await start();
      const posted = await client.chat.postMessage({ channel: BOB, text: 'Your access expires in 10 minutes' });
      expect(posted.channel).toBe(fake.dmChannelOf(BOB));
      expect(fake.messages(fake.dmChannelOf(BOB))).toHaveLength(1);
    });

    it('updates in place, keeping history and the blocks an update leaves out', async () => {
      const { fake, client } = await start();
      const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'card' } }];
      const posted = await client.chat.postMessage({ channel: 'C1', text: 'v1', blocks });
      await client.chat.update({ channel: 'C1', ts: posted.ts!, text: 'v2' });
      const [message] = fake.messages('C1');
      expect(message).toMatchObject({ ts: posted.ts, text: 'v2', blocks, edited: { user: fake.botUserId } });
      expect(message!.history.map((v) => v.text)).toEqual(['v1']);
      await client.chat.update({ channel: 'C1', ts: posted.ts!, text: 'v3', blocks: [] });
      expect(fake.messages('C1')[0]!.blocks).toBeUndefined();
    });

    it("refuses to update a user's message, as a bot token cannot", async () => {
      const { fake, client } = await start();
      const mine = fake.postUserMessage({ user: ALICE, channel: 'C1', text: 'hello' });
      await expect(client.chat.update({ channel: 'C1', ts: mine.ts, text: 'edited' })).rejects.toMatchObject({
        data: { error: 'cant_update_message' },
      });
    });

    it('records ephemeral messages for the one user who sees them', async () => {
      const { fake, client } = await start();
      const sent = await client.chat.postEphemeral({ channel: 'C1', user: ALICE, text: 'only you can see this' });
      expect(sent.message_ts).toMatch(/^\d+\.\d{6}$/);
      expect(fake.ephemerals(ALICE)).toEqual([expect.objectContaining({ ts: sent.message_ts, ephemeralTo: ALICE })]);
      expect(fake.ephemerals(BOB)).toEqual([]);
      expect(fake.messages('C1')).toEqual([]);
    });
  });

  describe('conversations and users', () => {
    it('opens a stable DM per user', async () => {
      const { fake, client } = await start();
      const first = await client.conversations.open({ users: ALICE });
      const again = await client.conversations.open({ users: ALICE });
      expect(first.channel?.id).toBe(fake.dmChannelOf(ALICE));
      expect(first.channel?.id).toMatch(/^D/);
      expect(again).toMatchObject({ channel: { id: first.channel?.id }, already_open: true });
      expect(fake.dmChannelOf(BOB)).not.toBe(fake.dmChannelOf(ALICE));
    });

    it('answers users.info from the configured users, and user_not_found otherwise', async () => {
      const { client } = await start();
      const alice = await client.users.info({ user: ALICE });
      expect(alice.user).toMatchObject({
        id: ALICE,
        name: 'alice',
        real_name: 'Alice Example',
        profile: { email: 'alice@example.com', display_name: 'alice' },
      });
      await expect(client.users.info({ user: 'U0NOBODY' })).rejects.toMatchObject({ data: { error: 'user_not_found' } });
      const byEmail = await client.users.lookupByEmail({ email: 'BOB@example.com' });
      expect(byEmail.user?.id).toBe(BOB);
    });
  });

  describe('views', () => {
    const modal = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Request' }, blocks: [] };

    it('accepts a trigger_id once, within its time to live', async () => {
      let now = Date.parse('2024-01-01T00:00:00Z');
      const { fake, client } = await start({ clock: { now: () => new Date(now) }, triggerTtlMs: 3000 });
      await expect(client.views.open({ trigger_id: 'made-up', view: modal })).rejects.toMatchObject({
        data: { error: 'invalid_trigger_id' },
      });
      await expect(client.apiCall('views.open', { view: modal })).rejects.toMatchObject({ data: { error: 'invalid_arguments' } });

      const trigger = fake.issueTriggerId(ALICE);
      const opened = await client.views.open({ trigger_id: trigger, view: { ...modal, external_id: 'req-1' } });
      expect(opened.view).toMatchObject({ id: expect.stringMatching(/^V/), hash: expect.any(String), external_id: 'req-1' });
      await expect(client.views.open({ trigger_id: trigger, view: modal })).rejects.toMatchObject({
        data: { error: 'exchanged_trigger_id' },
      });

      const late = fake.issueTriggerId(ALICE);
      now += 3001;
      await expect(client.views.open({ trigger_id: late, view: modal })).rejects.toMatchObject({
        data: { error: 'expired_trigger_id' },
      });
    });

    it('updates by view_id or external_id, refusing unknown views and stale hashes', async () => {
      const { fake, client } = await start();
      const opened = await client.views.open({ trigger_id: fake.issueTriggerId(ALICE), view: { ...modal, external_id: 'req-1' } });
      const id = opened.view!.id!;
      const updated = await client.views.update({ external_id: 'req-1', view: { ...modal, callback_id: 'step2' } });
      expect(updated.view).toMatchObject({ id, callback_id: 'step2' });
      expect(fake.views.get(id)).toMatchObject({ callback_id: 'step2', external_id: 'req-1' });
      await expect(client.views.update({ view_id: id, hash: opened.view!.hash!, view: modal })).rejects.toMatchObject({
        data: { error: 'hash_conflict' },
      });
      await expect(client.views.update({ view_id: 'VNOPE', view: modal })).rejects.toMatchObject({ data: { error: 'not_found' } });
    });

    it('pushes onto the modal stack and publishes App Home', async () => {
      const { fake, client } = await start();
      const root = await client.views.open({ trigger_id: fake.issueTriggerId(ALICE), view: modal });
      const pushed = await client.views.push({ trigger_id: fake.issueTriggerId(ALICE), view: modal });
      expect(pushed.view).toMatchObject({ root_view_id: root.view!.id, previous_view_id: root.view!.id });
      const home = await client.views.publish({ user_id: BOB, view: { type: 'home', blocks: [] } });
      expect(fake.views.get(home.view!.id!)).toMatchObject({ type: 'home', user: BOB });
      expect(fake.views.size).toBe(3);
    });
  });

  describe('response_url', () => {
    async function respond(url: string, body: object) {
      return rawCall(url, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    }

    it('replaces or deletes the message an interaction came from', async () => {
      const { fake, client } = await start();
      const card = await client.chat.postMessage({ channel: 'C1', text: 'Approve r-1?' });
      const url = fake.responseUrl('C1', ALICE, { messageTs: card.ts! });
      expect(await respond(url, { replace_original: true, text: 'Approved' })).toEqual({ status: 200, body: { ok: true } });
      expect(fake.messages('C1')).toEqual([expect.objectContaining({ ts: card.ts, text: 'Approved' })]);
      expect(await respond(url, { delete_original: true })).toEqual({ status: 200, body: { ok: true } });
      expect(fake.messages('C1')).toEqual([]);
    });

    it('refuses unknown URLs, and deleting when there is no original', async () => {
      const { fake } = await start();
      expect(await respond(`${fake.baseUrl}/response/nope`, { text: 'hi' })).toMatchObject({ status: 404 });
      const commandUrl = fake.responseUrl('C1', ALICE);
      expect(await respond(commandUrl, { delete_original: true })).toMatchObject({ status: 404 });
      expect(await respond(commandUrl, {})).toMatchObject({ status: 400, body: { error: 'no_text' } });
      expect(fake.callsTo('response_url')).toHaveLength(3);
    });
  });

  describe('waitFor and live events', () => {
    it('resolves with a past or a future call, optionally after a mark', async () => {
      const { fake, client } = await start();
      await client.chat.postMessage({ channel: 'C1', text: 'first' });
      const mark = fake.calls.length;
      expect((await fake.waitFor('chat.postMessage')).args.text).toBe('first');
      const next = fake.waitFor('chat.postMessage', { since: mark });
      await client.chat.postMessage({ channel: 'C1', text: 'second' });
      expect((await next).args.text).toBe('second');
    });

    it('times out with the recorded calls in the message', async () => {
      const { fake, client } = await start();
      await client.chat.postMessage({ channel: 'C1', text: 'hello there' });
      await expect(fake.waitFor((call) => call.method === 'views.open', { timeoutMs: 50, description: 'the modal' })).rejects.toThrow(
        /waited 50 ms for the modal[\s\S]*#0 chat\.postMessage → ok .*hello there/,
      );
    });

    it('rejects pending waits when closed', async () => {
      const { fake } = await start();
      const pending = fake.waitFor('views.open', { timeoutMs: 60_000 });
      await fake.close();
      await expect(pending).rejects.toThrow(/closed/);
    });

    it('emits calls and message changes, and stops after unsubscribe', async () => {
      const { fake, client } = await start();
      const calls: RecordedCall[] = [];
      const changes: MessageChange[] = [];
      const stop = fake.on('call', (call) => calls.push(call));
      fake.on('message', (change) => changes.push(change));
      const posted = await client.chat.postMessage({ channel: 'C1', text: 'v1' });
      await client.chat.update({ channel: 'C1', ts: posted.ts!, text: 'v2' });
      stop();
      await client.auth.test();
      expect(calls.map((c) => c.method)).toEqual(['chat.postMessage', 'chat.update']);
      expect(changes.map((c) => [c.kind, c.message.text])).toEqual([
        ['posted', 'v1'],
        ['updated', 'v2'],
      ]);
    });

    it('forgets conversations and calls on reset, keeping users', async () => {
      const { fake, client } = await start();
      await client.chat.postMessage({ channel: 'C1', text: 'x' });
      fake.reset();
      expect(fake.calls).toHaveLength(0);
      expect(fake.messages('C1')).toEqual([]);
      expect((await client.users.info({ user: ALICE })).ok).toBe(true);
    });

    it('lets a test override a method', async () => {
      const { fake, client } = await start();
      fake.override('chat.postMessage', () => ({ ok: false, error: 'is_archived' }));
      await expect(client.chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toMatchObject({ data: { error: 'is_archived' } });
      fake.clearOverrides();
      await expect(client.chat.postMessage({ channel: 'C1', text: 'x' })).resolves.toMatchObject({ ok: true });
    });
  });
});

describe('request signing', () => {
  it("produces signatures Bolt's own verifier accepts", () => {
    const body = JSON.stringify({ type: 'event_callback' });
    const headers = signatureHeaders(SIGNING_SECRET, body);
    expect(() =>
      verifySlackRequest({
        signingSecret: SIGNING_SECRET,
        body,
        headers: {
          'x-slack-signature': headers['x-slack-signature']!,
          'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']),
        },
      }),
    ).not.toThrow();
    expect(computeSlackSignature('secret', 1531420618, 'body')).toMatch(/^v0=[0-9a-f]{64}$/);
  });
});
