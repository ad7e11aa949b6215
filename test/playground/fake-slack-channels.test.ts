import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlackWebApi, type ViewChange } from '../../src/playground/fake-slack/index.js';
import { BOT_TOKEN, USERS } from './support.js';

let fake: FakeSlackWebApi;
let client: WebClient;

beforeEach(async () => {
  fake = await FakeSlackWebApi.start({ botToken: BOT_TOKEN, users: USERS, channels: [{ id: 'C0ACCESSREQ', name: 'access-requests' }, { id: 'C0SECURITY', name: 'security' }] });
  client = new WebClient(BOT_TOKEN, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
});

afterEach(async () => {
  await fake.close();
});

describe('channels by name', () => {
  it('lists the configured channels', () => {
    expect(fake.channels()).toEqual([
      { id: 'C0ACCESSREQ', name: 'access-requests' },
      { id: 'C0SECURITY', name: 'security' },
    ]);
  });

  it('posts to "#name" in that channel and answers with its id, as Slack does', async () => {
    const result = await client.chat.postMessage({ channel: '#access-requests', text: 'card' });
    expect(result.channel).toBe('C0ACCESSREQ');
    expect(fake.messages('C0ACCESSREQ').map((m) => m.text)).toEqual(['card']);
    // The id the bot got back is the one later updates use.
    await client.chat.update({ channel: result.channel!, ts: result.ts!, text: 'card, decided' });
    expect(fake.messages('C0ACCESSREQ')[0]?.text).toBe('card, decided');
  });

  it('leaves an unknown name as it is', async () => {
    const result = await client.chat.postMessage({ channel: '#nowhere', text: 'x' });
    expect(result.channel).toBe('#nowhere');
  });
});

describe('closing a modal', () => {
  it('closes the view and the ones pushed on it, and tells listeners', async () => {
    const opened = await client.views.open({ trigger_id: fake.issueTriggerId('U0ALICE'), view: { type: 'modal', title: { type: 'plain_text', text: 'One' }, blocks: [] } });
    const pushed = await client.views.push({ trigger_id: fake.issueTriggerId('U0ALICE'), view: { type: 'modal', title: { type: 'plain_text', text: 'Two' }, blocks: [] } });
    const closed: ViewChange[] = [];
    fake.on('view', (change) => closed.push(change));
    fake.closeView(opened.view!.id!);
    expect(fake.view(opened.view!.id!)).toBeUndefined();
    expect(fake.view(pushed.view!.id!)).toBeUndefined();
    expect(closed.map((c) => `${c.kind} ${c.view.id}`)).toEqual([`closed ${pushed.view!.id}`, `closed ${opened.view!.id}`]);
    // Closing again, or an unknown view, is harmless.
    fake.closeView(opened.view!.id!);
    fake.closeView('VNOPE');
  });
});
