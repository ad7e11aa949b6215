/**
 * The foundation's Slack flow (test/chat/slack/access-flow.test.ts), short version, with the Bedrock
 * drafter on: the real Bolt app, fake Slack, SQLite, and the real SDK client against a local
 * Converse endpoint. Draft (after a question) → submit → approve → active.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BedrockDrafter } from '../../src/ai/bedrock-drafter.js';
import { CircuitBreaker } from '../../src/ai/circuit-breaker.js';
import { loadPolicyConfig } from '../../src/config/load-policy-files.js';
import { memoryLogger } from '../../src/logger.js';
import { IamCatalog } from '../../src/policy/catalog.js';
import { ManualClock } from '../support/manual-clock.js';
import { buttonValue, hasButton, SLACK, startWardenHarness, visibleText, waitForThreadPost, type WardenHarness } from '../support/warden-harness.js';
import { FakeBedrock, fakeLlm, reply } from './support/fake-bedrock.js';
import { GOOD_PROPOSAL } from './support/drafter-setup.js';

const ASK = 'I need read access to the billing-reports S3 bucket in payments-prod to debug the export';

let h: WardenHarness;
let fake: FakeBedrock;
let logger: ReturnType<typeof memoryLogger>;

beforeEach(async () => {
  fake = await FakeBedrock.start();
  logger = memoryLogger();
  // The harness builds the drafter while it starts, so what the drafter needs is made here first.
  const clock = new ManualClock();
  const { org, rules } = await loadPolicyConfig('examples');
  h = await startWardenHarness({
    clock,
    drafter: (offline) =>
      new BedrockDrafter({
        llm: fakeLlm(fake, logger),
        offline,
        catalog: new IamCatalog(),
        org,
        rules,
        clock,
        logger,
        breaker: new CircuitBreaker({ clock }),
      }),
  });
});

afterEach(async () => {
  await h.close();
  await fake.close();
});

function messageAt(call: { response: Record<string, unknown> }) {
  const message = h.fake.message(String(call.response['channel']), String(call.response['ts']));
  if (!message) throw new Error('message not found');
  return message;
}

describe('access request through Slack with the Bedrock drafter', () => {
  it('asks, drafts, submits, is approved and becomes active', async () => {
    fake.enqueue(reply.toolUse('ask_questions', { questions: ['For how long do you need it? The most for payments-prod is 4 hours.'] }));
    const { message } = await h.sender.message({ user: SLACK.ana, text: ASK });
    await waitForThreadPost(h.fake, message.channel, message.ts, /how long/i);

    fake.enqueue(reply.toolUse('submit_draft', GOOD_PROPOSAL));
    let since = h.fake.calls.length;
    await h.sender.message({ user: SLACK.ana, text: '2 hours', threadTs: message.ts });
    const preview = messageAt(await waitForThreadPost(h.fake, message.channel, message.ts, /draft\.submit/, since));
    const shown = visibleText(preview);
    expect(shown).toContain('s3:GetObject');
    expect(shown).toContain('arn:aws:s3:::billing-reports/*');
    expect(shown).toMatch(/Drafted by Claude on Amazon Bedrock/);
    expect(shown).toMatch(/2 hours/);
    // The second turn carried the whole thread's words to the model.
    const second = String(fake.requests[1]?.body.messages[0]?.content[0]?.['text']);
    expect(second).toContain('billing-reports S3 bucket');
    expect(second).toContain('2 hours');

    const requestId = buttonValue(preview, 'draft.submit');
    since = h.fake.calls.length;
    await h.sender.blockAction({ user: SLACK.ana, actionId: 'draft.submit', value: requestId, message: { channel: preview.channel, ts: preview.ts } });
    await waitForThreadPost(h.fake, message.channel, message.ts, /Submitted/, since);
    expect((await h.store.getRequest(requestId))?.state).toBe('pending_approval');

    const card = h.fake.messages(h.fake.dmChannelOf(SLACK.ben)).find((m) => visibleText(m).includes(requestId));
    expect(hasButton(card, 'request.approve')).toBe(true);
    since = h.fake.calls.length;
    await h.sender.blockAction({ user: SLACK.ben, actionId: 'request.approve', value: requestId, message: { channel: card!.channel, ts: card!.ts } });
    await waitForThreadPost(h.fake, message.channel, message.ts, /is active until/, since);
    const active = await h.store.getRequest(requestId);
    expect(active?.state).toBe('active');
    expect(active?.draft.statements).toEqual(GOOD_PROPOSAL.statements);
    expect(fake.pending).toBe(0);
    expect(JSON.stringify(logger.lines)).not.toContain('billing-reports');
    expect(logger.lines.filter((l) => l.message === 'bedrock converse')).toHaveLength(2);
  });

  it('a model answer naming two accounts becomes two requests, each routed to its own account’s approvers', async () => {
    fake.enqueue(reply.toolUse('submit_draft', { ...GOOD_PROPOSAL, alsoInAccounts: ['sandbox'] }));
    const { message } = await h.sender.message({ user: SLACK.ana, text: 'I need read access to the billing-reports S3 bucket in payments-prod and sandbox for 2 hours to debug the export' });
    const preview = messageAt(await waitForThreadPost(h.fake, message.channel, message.ts, /draft\.submit/));
    expect(visibleText(preview)).toMatch(/Also in sandbox\*? \(222222222222\), as its own request/);
    expect(visibleText(preview)).toMatch(/Drafted by Claude on Amazon Bedrock/);

    const firstId = buttonValue(preview, 'draft.submit');
    const since = h.fake.calls.length;
    await h.sender.blockAction({ user: SLACK.ana, actionId: 'draft.submit', value: firstId, message: { channel: preview.channel, ts: preview.ts } });
    await waitForThreadPost(h.fake, message.channel, message.ts, /Submitted 2 requests, one per account/, since);

    const requests = (await h.store.listRequestsByRequester('ana')).items;
    expect(requests).toHaveLength(2);
    const prod = requests.find((r) => r.draft.accountName === 'payments-prod')!;
    const sandbox = requests.find((r) => r.draft.accountName === 'sandbox')!;
    expect(prod.id).toBe(firstId);
    expect([prod.batchId, sandbox.batchId]).toEqual([firstId, firstId]);
    // Each went through the checks on its own: its own rule's approvers, its own guardrail conditions.
    expect(prod).toMatchObject({ state: 'pending_approval', approverIds: ['ben', 'carla'] });
    expect(sandbox).toMatchObject({ state: 'pending_approval', approverIds: ['dave', 'ben', 'carla'] });
    expect(sandbox.draft.statements).toEqual(GOOD_PROPOSAL.statements);
    expect(JSON.stringify(prod.review?.conditions)).toContain('aws:MultiFactorAuthPresent');
    const bensCards = h.fake.messages(h.fake.dmChannelOf(SLACK.ben)).filter((m) => hasButton(m, 'request.approve'));
    expect(bensCards.map((m) => buttonValue(m, 'request.approve'))).toEqual([prod.id]);
    const channelCards = h.fake.messages('C0ACCESS').filter((m) => hasButton(m, 'request.approve'));
    expect(channelCards.map((m) => buttonValue(m, 'request.approve'))).toEqual([sandbox.id]);
    expect(fake.pending).toBe(0);
  });

  it('still drafts, from the offline drafter, when Bedrock is down', async () => {
    for (let i = 0; i < 3; i += 1) fake.enqueue(reply.unavailable());
    const { message } = await h.sender.message({ user: SLACK.ana, text: `${ASK} for 2 hours` });
    const preview = messageAt(await waitForThreadPost(h.fake, message.channel, message.ts, /draft\.submit/));
    expect(visibleText(preview)).toMatch(/was unreachable, so the offline drafter wrote this draft/);
    expect(visibleText(preview)).toContain('s3:GetObject');
  });
});
