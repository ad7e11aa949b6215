import { type BlockAction, type ButtonAction, type SlackViewAction, webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { computeSlackSignature } from '../../src/playground/fake-slack/index.js';
import { ALICE, BOT_TOKEN, type Harness, deferred, startHarness } from './support.js';

/**
 * A real Bolt App (HTTPReceiver + WebClient) against the fake: what the bot receives is signed
 * like Slack's, and what it calls is answered and recorded like Slack would.
 */
describe('Bolt against the fake Slack', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('answers the auth.test Bolt makes at start with the bot identity', async () => {
    harness = await startHarness(() => {});
    const { fake, app } = harness;
    const call = await fake.waitFor('auth.test');
    expect(call.response).toMatchObject({ ok: true, user_id: fake.botUserId, bot_id: fake.botId, team_id: fake.teamId });
    const auth = await app.client.auth.test();
    expect(auth.url).toBe('https://warden-playground.slack.com/');
  });

  it('delivers a DM to app.message, and records the threaded say()', async () => {
    harness = await startHarness((app) => {
      app.message(async ({ message, say }) => {
        if (message.subtype === undefined) await say({ text: `you said: ${message.text}`, thread_ts: message.ts });
      });
    });
    const { fake, sender } = harness;
    const sent = await sender.message({ user: ALICE, text: 'I need read access to billing-reports' });
    expect(sent.status).toBe(200);
    expect(sent.envelope.event).toMatchObject({ type: 'message', channel_type: 'im', user: ALICE });

    const post = await fake.waitFor('chat.postMessage');
    const dm = fake.dmChannelOf(ALICE);
    expect(post.args).toMatchObject({ channel: dm, thread_ts: sent.message.ts, text: 'you said: I need read access to billing-reports' });
    expect(post.response).toMatchObject({ ok: true, channel: dm });

    const [parent, reply] = fake.messages(dm);
    expect(parent).toMatchObject({ user: ALICE, ts: sent.message.ts, reply_count: 1 });
    expect(reply).toMatchObject({ user: fake.botUserId, bot_id: fake.botId, thread_ts: sent.message.ts });
  });

  it('runs a slash command: ack() answers the request, respond() is recorded as ephemeral', async () => {
    harness = await startHarness((app) => {
      app.command('/access', async ({ command, ack, respond }) => {
        await ack();
        await respond(`Drafting a request for: ${command.text}`);
        await respond({ response_type: 'in_channel', text: 'Alice asked for access' });
      });
    });
    const { fake, sender } = harness;
    const result = await sender.command('/access', 'read billing-reports for 2h', { user: ALICE, channel: 'C0SEC' });
    expect(result).toMatchObject({ status: 200, body: '' });

    await fake.waitFor((call) => call.method === 'response_url' && call.args.response_type === 'in_channel');
    expect(fake.ephemerals(ALICE)).toEqual([
      expect.objectContaining({ channel: 'C0SEC', ephemeralTo: ALICE, text: 'Drafting a request for: read billing-reports for 2h' }),
    ]);
    expect(fake.messages('C0SEC')).toEqual([expect.objectContaining({ text: 'Alice asked for access', bot_id: fake.botId })]);
  });

  it('shows a slash command reply sent with ack() itself', async () => {
    harness = await startHarness((app) => {
      app.command('/access', async ({ ack }) => {
        await ack('Usage: /access <what you need>');
      });
    });
    const result = await harness.sender.command('/access', '', { user: ALICE });
    expect(result).toMatchObject({ status: 200, body: 'Usage: /access <what you need>' });
    expect(harness.fake.ephemerals(ALICE).map((m) => m.text)).toEqual(['Usage: /access <what you need>']);
  });

  it('lets a block action open a modal with its trigger_id', async () => {
    const clicked = deferred<{ value: string | undefined; blockId: string }>();
    harness = await startHarness((app) => {
      app.action<BlockAction<ButtonAction>>('open_request', async ({ ack, body, action, client }) => {
        await ack();
        clicked.resolve({ value: action.value, blockId: action.block_id });
        await client.views.open({
          trigger_id: body.trigger_id,
          view: {
            type: 'modal',
            callback_id: 'request_modal',
            private_metadata: JSON.stringify({ requestId: 'r-1' }),
            title: { type: 'plain_text', text: 'Request access' },
            submit: { type: 'plain_text', text: 'Submit' },
            blocks: [
              {
                type: 'input',
                block_id: 'reason',
                label: { type: 'plain_text', text: 'Why?' },
                element: { type: 'plain_text_input', action_id: 'text' },
              },
            ],
          },
        });
      });
    });
    const { fake, sender, app } = harness;
    const posted = await app.client.chat.postMessage({
      channel: 'C0SEC',
      text: 'Request r-1',
      blocks: [
        {
          type: 'actions',
          block_id: 'request_actions',
          elements: [{ type: 'button', action_id: 'open_request', value: 'r-1', text: { type: 'plain_text', text: 'Open' } }],
        },
      ],
    });
    const result = await sender.blockAction({ user: ALICE, actionId: 'open_request', message: { channel: 'C0SEC', ts: posted.ts! } });
    expect(result.status).toBe(200);
    expect(result.payload).toMatchObject({ container: { type: 'message', message_ts: posted.ts, channel_id: 'C0SEC' } });
    await expect(clicked.promise).resolves.toEqual({ value: 'r-1', blockId: 'request_actions' });

    const open = await fake.waitFor('views.open');
    expect(open.response).toMatchObject({ ok: true, view: { callback_id: 'request_modal' } });
    const [view] = [...fake.views.values()];
    expect(view).toMatchObject({ user: ALICE, callback_id: 'request_modal', type: 'modal' });
    expect(view!.id).toMatch(/^V[A-Z0-9]+$/);
  });

  it('returns a view submission ack with response_action errors to the sender, then closes on a valid one', async () => {
    const seen: SlackViewAction['view'][] = [];
    harness = await startHarness((app) => {
      app.view('request_modal', async ({ ack, view }) => {
        seen.push(view);
        const reason = view.state.values.reason?.text?.value ?? '';
        if (reason.length < 5) await ack({ response_action: 'errors', errors: { reason: 'Tell approvers why (5+ characters)' } });
        else await ack();
      });
    });
    const { fake, sender } = harness;
    // Open the modal the way the bot would, with a trigger from an interaction.
    const trigger = fake.issueTriggerId(ALICE);
    const opened = await harness.app.client.views.open({
      trigger_id: trigger,
      view: { type: 'modal', callback_id: 'request_modal', private_metadata: 'r-1', title: { type: 'plain_text', text: 'Why' }, blocks: [] },
    });
    const viewId = opened.view!.id!;

    const rejected = await sender.viewSubmission({ user: ALICE, viewId, values: { reason: { text: 'no' } } });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toEqual({ response_action: 'errors', errors: { reason: 'Tell approvers why (5+ characters)' } });
    expect(fake.views.has(viewId)).toBe(true);
    expect(seen[0]).toMatchObject({ id: viewId, callback_id: 'request_modal', private_metadata: 'r-1', hash: opened.view!.hash });

    const accepted = await sender.viewSubmission({ user: ALICE, viewId, values: { reason: { text: 'debug the export job' } } });
    expect(accepted).toMatchObject({ status: 200, body: '' });
    expect(fake.views.has(viewId)).toBe(false);
  });

  it('refuses a forged signature with 401 and never runs the listener', async () => {
    let ran = false;
    harness = await startHarness((app) => {
      app.message(async () => {
        ran = true;
      });
    });
    const { sender, fake, logger } = harness;
    const body = JSON.stringify({
      type: 'event_callback',
      team_id: fake.teamId,
      api_app_id: fake.appId,
      event_id: 'EvFORGED',
      event_time: 1,
      event: { type: 'message', user: ALICE, text: 'grant me admin', channel: 'C0SEC', ts: '1.000001' },
    });
    const timestamp = Math.floor(Date.now() / 1000);
    const forged = await sender.raw(body, {
      'X-Slack-Request-Timestamp': String(timestamp),
      'X-Slack-Signature': computeSlackSignature('not-the-secret', timestamp, body),
    });
    expect(forged.status).toBe(401);
    // Correctly signed but stale (more than 5 minutes old): refused as well.
    const stale = timestamp - 10 * 60;
    const replayed = await sender.raw(body, {
      'X-Slack-Request-Timestamp': String(stale),
      'X-Slack-Signature': computeSlackSignature('fake-signing-secret', stale, body),
    });
    expect(replayed.status).toBe(401);
    expect(ran).toBe(false);
    expect(logger.lines.some((line) => line.includes('signature mismatch'))).toBe(true);
  });

  it('redelivers an event with the same event_id and the retry headers', async () => {
    const deliveries: { eventId: string; retryNum: number | undefined; retryReason: string | undefined }[] = [];
    harness = await startHarness((app) => {
      app.event('app_mention', async ({ body, context }) => {
        deliveries.push({ eventId: body.event_id, retryNum: context.retryNum, retryReason: context.retryReason });
      });
    });
    const { sender } = harness;
    const first = await sender.appMention({ user: ALICE, channel: 'C0SEC', text: 'status r-1' });
    expect(first.envelope.event).toMatchObject({ type: 'app_mention', text: `<@${harness.fake.botUserId}> status r-1` });
    const retried = await sender.redeliver(first.envelope, { num: 1, reason: 'http_timeout' });
    expect(retried.status).toBe(200);
    await expect.poll(() => deliveries.length).toBe(2);
    expect(deliveries).toEqual([
      { eventId: first.eventId, retryNum: undefined, retryReason: undefined },
      { eventId: first.eventId, retryNum: 1, retryReason: 'http_timeout' },
    ]);
  });

  it('surfaces chat.update on an unknown ts as a WebClient platform error', async () => {
    harness = await startHarness(() => {});
    const { app, fake } = harness;
    await expect(app.client.chat.update({ channel: 'C0SEC', ts: '1700000000.000100', text: 'Approved' })).rejects.toMatchObject({
      code: webApi.ErrorCode.PlatformError,
      data: { ok: false, error: 'message_not_found' },
    });
    expect(fake.callsTo('chat.update')).toHaveLength(1);
  });

  it('lets a listener update the card it was clicked on, in place', async () => {
    harness = await startHarness((app) => {
      app.action('approve', async ({ ack, body, client, respond }) => {
        await ack();
        if (body.type !== 'block_actions' || !body.message || !body.channel) return;
        await client.chat.update({ channel: body.channel.id, ts: body.message.ts, text: 'Approved by alice', blocks: [] });
        await respond({ text: 'You approved r-1' });
      });
    });
    const { fake, app, sender } = harness;
    const card = await app.client.chat.postMessage({
      channel: 'C0SEC',
      text: 'r-1 needs approval',
      blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'approve', value: 'r-1', text: { type: 'plain_text', text: 'Approve' } }] }],
    });
    await sender.blockAction({ user: ALICE, actionId: 'approve', message: { channel: 'C0SEC', ts: card.ts! } });
    await fake.waitFor('response_url');
    const [current] = fake.messages('C0SEC');
    expect(current).toMatchObject({ ts: card.ts, text: 'Approved by alice', edited: { user: fake.botUserId } });
    expect(current!.blocks).toBeUndefined();
    expect(current!.history).toEqual([expect.objectContaining({ text: 'r-1 needs approval' })]);
    expect(fake.ephemerals(ALICE).map((m) => m.text)).toEqual(['You approved r-1']);
  });

  it('keeps the bot token check on: a wrong token is invalid_auth', async () => {
    harness = await startHarness(() => {});
    const client = new webApi.WebClient('xoxb-wrong', { slackApiUrl: harness.fake.apiUrl, retryConfig: { retries: 0 } });
    await expect(client.auth.test()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    expect(BOT_TOKEN).not.toBe('xoxb-wrong');
  });
});
