import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { SlackSnapshot, SubmitViewResult } from '../../../src/playground/api-types.js';
import { registeredCommands } from '../../../src/playground/server/slash-commands.js';
import { usePlaygroundServer } from './support/playground-server.js';

const server = usePlaygroundServer();
const { post } = server;

async function snapshot(as: string): Promise<SlackSnapshot> {
  return server.getJson<SlackSnapshot>(`/playground/slack/state?as=${as}`);
}

const fake = () => server.playground.slack.fake;

describe('the playground server', () => {
  it('prints its URL as localhost and serves the page, its script and its styles with a strict CSP', async () => {
    expect(server.playground.url).toBe(`http://localhost:${server.playground.server.port}`);
    const page = await fetch(`${server.base}/`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<script type="module" src="/assets/app.js"></script>');
    const script = await fetch(`${server.base}/assets/app.js`);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect(await script.text()).toContain('Warden playground');
    expect((await fetch(`${server.base}/assets/app.css`)).status).toBe(200);
  });

  it('describes the sample org, its channels and the app’s commands', async () => {
    const org = await server.getJson<{ people: { id: string; role: string; approves: string[] }[]; channels: { name: string }[]; commands: string[] }>('/playground/org');
    expect(org.people.map((p) => `${p.id}:${p.role}`)).toEqual(['ana:requester', 'ben:approver', 'carla:approver', 'dave:approver']);
    expect(org.people.find((p) => p.id === 'ben')?.approves).toEqual(['payments-prod', 'sandbox']);
    expect(org.channels.map((c) => c.name)).toEqual(['access-requests', 'security']);
    // From the Slack app manifest, which other features add their commands to.
    expect(org.commands).toEqual(await registeredCommands());
    expect(org.commands).toContain('/access');
  });

  it('refuses requests for another host name or from another origin', async () => {
    // fetch() may not set Host, so this one goes through node:http.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      request(`${server.base}/playground/org`, { headers: { host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(403);
    expect((await post('/playground/slack/messages', {}, { origin: 'http://evil.example' })).status).toBe(403);
  });

  it('parses what the page sends and says what is wrong', async () => {
    expect(await post('/playground/slack/messages', { as: 'U0ANA', channel: 'DU0ANA' })).toEqual({ status: 400, body: { ok: false, error: 'text: Invalid input: expected string, received undefined' } });
    expect((await post('/playground/slack/messages', { as: 'U0ANA', channel: 'DU0ANA', text: '  ' })).body).toEqual({ ok: false, error: 'text: the message is empty' });
    expect((await post('/playground/slack/messages', { as: 'U0ANA', channel: 'DU0ANA', text: 'hi', extra: 1 })).status).toBe(400);
    expect((await post('/playground/slack/messages', { as: 'U0NOBODY', channel: 'DU0NOBODY', text: 'hi' })).status).toBe(404);
    // Nobody writes in someone else's DM with the bot.
    expect((await post('/playground/slack/messages', { as: 'U0BEN', channel: 'DU0ANA', text: 'hi' })).status).toBe(404);
    const form = await fetch(`${server.base}/playground/slack/messages`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'as=U0ANA' });
    expect(form.status).toBe(415);
    expect((await fetch(`${server.base}/playground/slack/state?as=nobody`)).status).toBe(400);
  });

  it('records a typed message escaped, as a Slack client sends it, and the bot answers in its thread', async () => {
    const since = fake().calls.length;
    expect((await post('/playground/slack/messages', { as: 'U0ANA', channel: 'DU0ANA', text: '<script>x</script> <!channel> I need to read the orders-queue SQS queue in sandbox for 1 hour to inspect stuck messages' })).status).toBe(200);
    const mine = fake().messages('DU0ANA').find((m) => m.text.includes('script'));
    expect(mine?.text).toBe('&lt;script&gt;x&lt;/script&gt; &lt;!channel&gt; I need to read the orders-queue SQS queue in sandbox for 1 hour to inspect stuck messages');
    await fake().waitFor((c) => c.seq >= since && c.method === 'chat.postMessage' && c.args['thread_ts'] === mine?.ts);
  });

  it('delivers a channel message that mentions @warden as message and app_mention, and the bot answers in its thread', async () => {
    const since = fake().calls.length;
    await post('/playground/slack/messages', { as: 'U0DAVE', channel: 'C0ACCESSREQ', text: '@warden I need to read the orders-queue SQS queue in sandbox for 1 hour to check the stuck messages of incident INC-42' });
    const asked = fake().messages('C0ACCESSREQ').find((m) => m.user === 'U0DAVE');
    expect(asked?.text.startsWith('<@U0FAKEBOT> I need')).toBe(true);
    const reply = await fake().waitFor((c) => c.seq >= since && c.method === 'chat.postMessage' && c.args['thread_ts'] === asked?.ts);
    expect(JSON.stringify(reply.args)).toContain('draft.submit');
    // One request, though Slack delivered the mention twice.
    expect(fake().callsTo('chat.postMessage').filter((c) => c.seq >= since && JSON.stringify(c.args).includes('draft.submit'))).toHaveLength(1);
  });

  it('shows an ephemeral reply to its one reader only', async () => {
    expect((await post('/playground/slack/messages', { as: 'U0ANA', channel: 'DU0ANA', text: '/access list' })).status).toBe(200);
    await fake().waitFor((c) => c.method === 'response_url');
    const ana = await snapshot('U0ANA');
    expect(ana.messages['DU0ANA']?.some((m) => m.ephemeral && JSON.stringify(m.blocks).includes('Your access requests'))).toBe(true);
    const ben = await snapshot('U0BEN');
    expect(Object.keys(ben.messages)).toEqual(['C0ACCESSREQ', 'C0SECURITY', 'DU0BEN']);
    expect(Object.values(ben.messages).flat().some((m) => m.ephemeral)).toBe(false);
  });

  it('answers an unregistered command as Slack would, without bothering the app', async () => {
    const result = await post('/playground/slack/messages', { as: 'U0ANA', channel: 'DU0ANA', text: '/nope all' });
    expect(result).toEqual({ status: 404, body: { ok: false, error: `/nope is not a valid command. This app has ${(await registeredCommands())?.join(', ')}.` } });
  });

  it('opens a modal for its user only, returns the bot’s field errors, and closes it on request', async () => {
    await post('/playground/slack/messages', { as: 'U0ANA', channel: 'DU0ANA', text: '/access request' });
    await fake().waitFor('views.open');
    const modal = (await snapshot('U0ANA')).modal;
    expect(modal?.view).toMatchObject({ callback_id: 'access_request_modal' });
    expect((await snapshot('U0BEN')).modal).toBeNull();
    const viewId = modal?.id ?? '';
    expect((await post('/playground/slack/views/submit', { as: 'U0BEN', viewId, values: {} })).status).toBe(404);

    const submitted = await post('/playground/slack/views/submit', {
      as: 'U0ANA',
      viewId,
      values: { account: { value: '222222222222' }, service: { value: 's3' }, access_level: { value: 'Read' }, resources: { value: 'reports' }, duration: { value: '60' }, justification: { value: 'x' } },
    });
    expect(submitted).toEqual({ status: 200, body: { ok: true, errors: { justification: 'Say why you need this access.' } } satisfies SubmitViewResult });
    expect((await snapshot('U0ANA')).modal?.id).toBe(viewId);

    expect((await post('/playground/slack/views/close', { as: 'U0ANA', viewId })).status).toBe(200);
    expect((await snapshot('U0ANA')).modal).toBeNull();
  });

  it('clicks a button as the chosen user, and refuses elements that are not there', async () => {
    const preview = await fake().waitFor((c) => c.method === 'chat.postMessage' && JSON.stringify(c.args).includes('draft.submit'));
    const channel = String(preview.response['channel']);
    const ts = String(preview.response['ts']);
    const missing = await post('/playground/slack/actions', { as: 'U0ANA', actionId: 'nope', target: { kind: 'message', channel, ts } });
    expect(missing).toEqual({ status: 404, body: { ok: false, error: 'no element nope to use' } });

    const since = fake().calls.length;
    expect((await post('/playground/slack/actions', { as: 'U0ANA', actionId: 'draft.submit', target: { kind: 'message', channel, ts } })).status).toBe(200);
    // The sandbox rule sends its card to #access-requests, which the fake resolves to the channel's id.
    const card = await fake().waitFor((c) => c.seq >= since && c.method === 'chat.postMessage' && JSON.stringify(c.args).includes('request.approve'));
    expect(card.response['channel']).toBe('C0ACCESSREQ');
    expect((await snapshot('U0DAVE')).messages['C0ACCESSREQ']?.some((m) => JSON.stringify(m.blocks).includes('request.approve'))).toBe(true);
  });

  it('streams a change notice to the page when the bot posts', async () => {
    const controller = new AbortController();
    const response = await fetch(`${server.base}/playground/events`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    await post('/playground/slack/messages', { as: 'U0ANA', channel: 'DU0ANA', text: 'hello' });
    let received = '';
    while (!received.includes('event: slack')) {
      const { value, done } = await reader.read();
      if (done) break;
      received += decoder.decode(value);
    }
    controller.abort();
    expect(received).toContain('event: slack\ndata: {"type":"slack","kind":"message","channel":"DU0ANA"}');
  });
});
