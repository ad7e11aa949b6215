import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccessRequest } from '../../src/access/types.js';
import { UnreachableError } from '../../src/chat/routing-notifier.js';
import { sendExpiringSoon } from '../../src/digests/jobs.js';
import { DigestScheduler } from '../../src/digests/scheduler.js';
import type { FakeMessage } from '../../src/playground/fake-slack/index.js';
import { makeAccessDeps, type TestDeps } from '../support/access-deps.js';
import { makeEventFor, makeRequest } from '../support/builders.js';
import { buttonValue, hasButton, SLACK, startWardenHarness, visibleText, waitForThreadPost, type WardenHarness } from '../support/warden-harness.js';

const ASK = 'I need read access to the billing-reports S3 bucket in payments-prod to debug the export';

describe('expiring soon, through the real Bolt app', () => {
  let h: WardenHarness;

  beforeEach(async () => {
    h = await startWardenHarness();
  });

  afterEach(async () => {
    await h.close();
  });

  function messageFrom(call: { response: Record<string, unknown> }): FakeMessage {
    const message = h.fake.message(String(call.response['channel']), String(call.response['ts']));
    if (!message) throw new Error('no such message');
    return message;
  }

  /** ana asks for 2 hours of read access, ben approves: active until 12:00 (the clock starts at 10:00). */
  async function activeGrant(): Promise<{ requestId: string; channel: string; threadTs: string }> {
    const { message } = await h.sender.message({ user: SLACK.ana, text: ASK });
    await waitForThreadPost(h.fake, message.channel, message.ts, /how long/i);
    let since = h.fake.calls.length;
    await h.sender.message({ user: SLACK.ana, text: '2 hours', threadTs: message.ts });
    const preview = messageFrom(await waitForThreadPost(h.fake, message.channel, message.ts, /draft\.submit/, since));
    const requestId = buttonValue(preview, 'draft.submit');
    since = h.fake.calls.length;
    await h.sender.blockAction({ user: SLACK.ana, actionId: 'draft.submit', value: requestId, message: { channel: preview.channel, ts: preview.ts } });
    await waitForThreadPost(h.fake, message.channel, message.ts, /Submitted/, since);
    const card = h.fake.messages(h.fake.dmChannelOf(SLACK.ben)).find((m) => visibleText(m).includes(requestId))!;
    since = h.fake.calls.length;
    await h.sender.blockAction({ user: SLACK.ben, actionId: 'request.approve', value: requestId, message: { channel: card.channel, ts: card.ts } });
    await waitForThreadPost(h.fake, message.channel, message.ts, /is active until/, since);
    expect((await h.store.getRequest(requestId))?.grant?.expiresAt).toBe('2026-11-23T12:00:00.000Z');
    return { requestId, channel: message.channel, threadTs: message.ts };
  }

  function notices(requestId: string): FakeMessage[] {
    return h.fake.messages(h.fake.dmChannelOf(SLACK.ana)).filter((m) => /ends in/.test(visibleText(m)) && visibleText(m).includes(requestId));
  }

  it('tells the requester once, with a Release button that ends the grant', async () => {
    const { requestId, channel, threadTs } = await activeGrant();
    const deps = h.warden.deps;

    // 10:00: two hours left, nothing to say yet.
    expect((await sendExpiringSoon(deps, h.clock.now(), { withinMinutes: 30 })).sent).toEqual([]);
    expect(notices(requestId)).toEqual([]);

    // 11:35: 25 minutes left.
    h.clock.advanceMinutes(95);
    expect((await sendExpiringSoon(deps, h.clock.now(), { withinMinutes: 30 })).sent).toEqual([requestId]);
    const [notice] = notices(requestId);
    const text = visibleText(notice);
    expect(text).toContain('Your access to payments-prod ends in 25 minutes');
    expect(text).toContain('2026-11-23 12:00 UTC');
    expect(text).toMatch(/Submit a new request/);
    expect(hasButton(notice, 'grant.release')).toBe(true);
    expect(buttonValue(notice, 'grant.release')).toBe(requestId);

    // Later ticks, of this replica or another, do not repeat it.
    h.clock.advanceMinutes(5);
    expect((await sendExpiringSoon(deps, h.clock.now(), { withinMinutes: 30 })).sent).toEqual([]);
    const other = new DigestScheduler({
      store: h.store,
      clock: h.clock,
      owner: 'replica-b',
      timezone: 'UTC',
      jobs: [{ name: 'expiring', cron: '*/5 * * * *', run: (now) => sendExpiringSoon(deps, now, { withinMinutes: 30 }) }],
    });
    expect((await other.tick('expiring')).result).toEqual({ sent: [], failed: [] });
    expect(notices(requestId)).toHaveLength(1);
    const audit = (await h.store.listAudit({ requestId })).filter((e) => e.type === 'grant.expiry_notice_sent');
    expect(audit).toHaveLength(1);
    expect(audit[0]?.detail).toMatchObject({ expiresAt: '2026-11-23T12:00:00.000Z', minutesLeft: 25, where: 'dm' });

    // The button is the usual release.
    const since = h.fake.calls.length;
    await h.sender.blockAction({ user: SLACK.ana, actionId: 'grant.release', value: requestId, message: { channel: notice!.channel, ts: notice!.ts } });
    await h.fake.waitFor((call) => call.seq >= since && call.method === 'chat.postMessage' && call.args['channel'] === channel && call.args['thread_ts'] === threadTs, {
      description: 'the release reported in the request thread',
    });
    expect((await h.store.getRequest(requestId))?.state).toBe('revoked');
  });
});

describe('expiring soon, below the chat adapters', () => {
  let deps: TestDeps;

  beforeEach(async () => {
    deps = await makeAccessDeps();
  });

  afterEach(async () => {
    await deps.store.close();
  });

  async function active(expiresInMinutes: number, overrides: Partial<AccessRequest> = {}): Promise<AccessRequest> {
    const now = deps.clock.now();
    const request = makeRequest({
      state: 'active',
      requesterId: 'ana',
      grant: { grantedAt: now.toISOString(), expiresAt: new Date(now.getTime() + expiresInMinutes * 60_000).toISOString(), mode: 'dry-run', handle: {} },
      ...overrides,
    });
    await deps.store.createRequest(request, makeEventFor(request));
    return request;
  }

  it('notices each grant once, leaves already-due grants to the expiry scheduler', async () => {
    const soon = await active(10);
    const later = await active(20);
    await active(90);
    await active(-1);
    const first = await sendExpiringSoon(deps, deps.clock.now(), { withinMinutes: 30 });
    expect(first.sent.sort()).toEqual([soon.id, later.id].sort());
    expect(deps.notifier.posts.map((p) => p.target)).toEqual([
      { kind: 'user', userId: 'ana' },
      { kind: 'user', userId: 'ana' },
    ]);
    deps.clock.advanceMinutes(5);
    expect((await sendExpiringSoon(deps, deps.clock.now(), { withinMinutes: 30 })).sent).toEqual([]);
    expect(deps.notifier.posts).toHaveLength(2);
  });

  it("posts in the request's thread when the requester cannot be messaged directly", async () => {
    const request = await active(10);
    const post = deps.notifier.post.bind(deps.notifier);
    deps.notifier.post = async (target, card, purpose) => {
      if (target.kind === 'user') throw new UnreachableError('no chat id');
      return post(target, card, purpose);
    };
    expect((await sendExpiringSoon(deps, deps.clock.now(), { withinMinutes: 30 })).sent).toEqual([request.id]);
    expect(deps.notifier.posts.map((p) => p.target)).toEqual([{ kind: 'thread', origin: request.origin }]);
    expect(deps.notifier.posts[0]?.card.blocks).toContainEqual({
      type: 'actions',
      actions: [{ id: 'grant.release', label: 'End access now', value: request.id, style: 'danger' }],
    });
  });
});
