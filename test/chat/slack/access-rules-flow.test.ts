import { afterEach, describe, expect, it } from 'vitest';
import type { AccessRule, AccessRules } from '../../../src/config/schemas.js';
import { buildViewState } from '../../../src/playground/block-kit/index.js';
import type { FakeMessage, RecordedCall } from '../../../src/playground/fake-slack/index.js';
import {
  buttonValue,
  hasButton,
  SLACK,
  startWardenHarness,
  visibleText,
  waitForThreadPost,
  type WardenHarness,
} from '../../support/warden-harness.js';

let h: WardenHarness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

const SANDBOX_READ = 'I need read access to the billing-reports S3 bucket in sandbox to debug the export';

function rule(fields: Partial<AccessRule> & Pick<AccessRule, 'name' | 'accounts'>): AccessRule {
  return { requesters: { users: [], groups: [] }, approvers: { users: [], groups: ['payments-leads'] }, quorum: 1, notify: { mode: 'dm' }, ...fields };
}

/** The sample rules with `first` put before them, so it is the first to match. */
function withFirst(first: AccessRule): (rules: AccessRules) => AccessRules {
  return (rules) => ({ ...rules, rules: [first, ...rules.rules] });
}

function messageFrom(harness: WardenHarness, call: RecordedCall): FakeMessage {
  const message = harness.fake.message(String(call.response['channel']), String(call.response['ts']));
  if (!message) throw new Error('no such message');
  return message;
}

/** ana asks in a DM, says how long, and gets a draft preview (or the checks' refusal). */
async function draft(harness: WardenHarness, text: string, duration: string): Promise<{ channel: string; threadTs: string; reply: FakeMessage }> {
  const { message } = await harness.sender.message({ user: SLACK.ana, text });
  await waitForThreadPost(harness.fake, message.channel, message.ts, /how long/i);
  const since = harness.fake.calls.length;
  await harness.sender.message({ user: SLACK.ana, text: duration, threadTs: message.ts });
  const reply = await waitForThreadPost(harness.fake, message.channel, message.ts, /draft\.submit|cannot be submitted/, since);
  return { channel: message.channel, threadTs: message.ts, reply: messageFrom(harness, reply) };
}

async function submit(harness: WardenHarness, preview: FakeMessage, threadTs: string, expect: RegExp): Promise<string> {
  const requestId = buttonValue(preview, 'draft.submit');
  const since = harness.fake.calls.length;
  await harness.sender.blockAction({ user: SLACK.ana, actionId: 'draft.submit', value: requestId, message: { channel: preview.channel, ts: preview.ts } });
  await waitForThreadPost(harness.fake, preview.channel, threadTs, expect, since);
  return requestId;
}

function dmCards(harness: WardenHarness, user: string, requestId: string): FakeMessage[] {
  return harness.fake.messages(harness.fake.dmChannelOf(user)).filter((m) => visibleText(m).includes(requestId));
}

describe('access rules that match on environment, access level and risk', () => {
  it('refuses a request no rule covers, saying what did not match', async () => {
    h = await startWardenHarness({
      rules: (rules) => ({ ...rules, rules: rules.rules.map((r) => (r.name === 'payments-prod' ? { ...r, accessLevels: ['List', 'Read'] } : r)) }),
    });
    const { reply } = await draft(h, 'I need write access to the user-profiles table in payments-prod to backfill missing emails', '1 hour');
    const shown = visibleText(reply);
    expect(shown).toContain('cannot be submitted');
    // Writes the production SCPs deny are critical risk; the refusal names the level, account and rule.
    expect(shown).toContain('No access rule lets you request Write on payments-prod (prod, critical risk). Rule "payments-prod" allows List or Read only.');
    expect(hasButton(reply, 'draft.submit')).toBe(false);
    expect((await h.store.listRequestsByRequester('ana')).items).toEqual([]);
  });

  it('routes by environment: a dev-only rule sends a sandbox request to its own approvers', async () => {
    h = await startWardenHarness({ rules: withFirst(rule({ name: 'dev-by-dave', accounts: ['*'], environments: ['dev'], approvers: { users: ['dave'], groups: [] } })) });
    const { threadTs, reply } = await draft(h, SANDBOX_READ, '1 hour');
    const requestId = await submit(h, reply, threadTs, /Submitted/);
    const request = await h.store.getRequest(requestId);
    expect(request).toMatchObject({ state: 'pending_approval', approverIds: ['dave'] });
    expect(dmCards(h, SLACK.dave, requestId).some((m) => hasButton(m, 'request.approve'))).toBe(true);
  });
});

describe('auto-approval', () => {
  const quickReads = rule({
    name: 'quick-reads',
    accounts: ['*'],
    environments: ['dev', 'sandbox'],
    accessLevels: ['List', 'Read'],
    maxRisk: 'low',
    autoApprove: true,
    requesters: { users: [], groups: ['engineers'] },
    maxDurationMinutes: 60,
  });

  it('grants a low-risk read without a click, audits auto_approved and informs the approvers with a card without buttons', async () => {
    h = await startWardenHarness({ rules: withFirst(quickReads) });
    const { channel, threadTs, reply } = await draft(h, SANDBOX_READ, '1 hour');
    const requestId = await submit(h, reply, threadTs, /approved automatically under rule "quick-reads"/);
    await waitForThreadPost(h.fake, channel, threadTs, /is active until/);

    const request = await h.store.getRequest(requestId);
    expect(request?.state).toBe('active');
    expect(request?.grant?.expiresAt).toBe('2026-11-23T11:00:00.000Z');
    const events = await h.store.listAudit({ requestId });
    const auto = events.find((e) => e.type === 'auto_approved');
    expect(auto).toMatchObject({ actorId: 'warden', detail: { from: 'pending_approval', to: 'approved', rule: 'quick-reads', risk: 'low' } });
    expect(events.some((e) => e.type === 'request.approved')).toBe(false);
    expect(events.filter((e) => e.type === 'aws.call').map((e) => e.detail['operation'])).toContain('PutRolePolicy');

    for (const approver of [SLACK.ben, SLACK.carla]) {
      const cards = dmCards(h, approver, requestId);
      expect(cards).toHaveLength(1);
      expect(visibleText(cards[0])).toMatch(/approved automatically/);
      expect(visibleText(cards[0])).toContain('quick-reads');
      expect(visibleText(cards[0])).toContain('Ana Lima');
      expect(hasButton(cards[0], 'request.approve')).toBe(false);
      expect(hasButton(cards[0], 'request.deny')).toBe(false);
    }
    // The requester's preview shows who approved: Warden, under a rule, not a person.
    expect(visibleText(h.fake.message(reply.channel, reply.ts))).toMatch(/Approved by Warden \(automatically, under an access rule\)/);
  });

  it('still asks a human when the rule would auto-approve Write in production', async () => {
    // Built in code, past the config check that would refuse it: the submit path must hold the line itself.
    h = await startWardenHarness({ rules: withFirst(rule({ name: 'too-generous', accounts: ['*'], autoApprove: true })) });
    const { threadTs, reply } = await draft(h, 'I need write access to the user-profiles table in payments-prod to backfill missing emails for ticket PAY-123', '1 hour');
    const requestId = await submit(h, reply, threadTs, /Submitted/);
    const submitted = h.fake.thread(reply.channel, threadTs).map((m) => visibleText(m)).join('\n');
    expect(submitted).toMatch(/Not approved automatically: rule "too-generous" auto-approves, but not a critical-risk request/);

    expect((await h.store.getRequest(requestId))?.state).toBe('pending_approval');
    expect((await h.store.listAudit({ requestId })).some((e) => e.type === 'auto_approved')).toBe(false);
    expect(dmCards(h, SLACK.ben, requestId).some((m) => hasButton(m, 'request.approve'))).toBe(true);
  });

  it('still asks a human for a high-risk draft outside production', async () => {
    // Rebooting an instance in sandbox is a write the sandbox SCPs deny: critical risk.
    h = await startWardenHarness({
      rules: withFirst(rule({ name: 'sandbox-writes', accounts: ['sandbox'], accessLevels: ['Read', 'Write'], autoApprove: true })),
    });
    const { threadTs, reply } = await draft(h, 'reboot instance i-0abc123def4567890 in sandbox, it is stuck and blocks the test run', '15 minutes');
    const requestId = await submit(h, reply, threadTs, /Submitted/);
    const request = await h.store.getRequest(requestId);
    expect(request?.state).toBe('pending_approval');
    expect(request?.risk.level).toBe('critical');
    expect((await h.store.listAudit({ requestId })).some((e) => e.type === 'auto_approved')).toBe(false);
  });
});

describe('one ask, several accounts', () => {
  it('makes one request per account, each routed to its own approvers and decided on its own', async () => {
    h = await startWardenHarness();
    const { channel, threadTs, reply } = await draft(h, 'I need read access to the billing-reports S3 bucket in payments-prod and sandbox to debug the export', '2 hours');
    const preview = visibleText(reply);
    expect(preview).toContain('payments-prod (111111111111)');
    expect(preview).toMatch(/Also in sandbox\*? \(222222222222\), as its own request/);

    const firstId = await submit(h, reply, threadTs, /Submitted 2 requests, one per account/);
    const requests = (await h.store.listRequestsByRequester('ana')).items;
    expect(requests).toHaveLength(2);
    const prod = requests.find((r) => r.draft.accountName === 'payments-prod')!;
    const sandbox = requests.find((r) => r.draft.accountName === 'sandbox')!;
    expect(prod.id).toBe(firstId);
    expect([prod.batchId, sandbox.batchId]).toEqual([firstId, firstId]);
    expect(prod.draft.alsoIn).toBeUndefined();
    // Each has its own rule's approvers, and its own checks (the production account's MFA condition, SCPs).
    expect(prod).toMatchObject({ state: 'pending_approval', approverIds: ['ben', 'carla'] });
    expect(sandbox).toMatchObject({ state: 'pending_approval', approverIds: ['dave', 'ben', 'carla'] });
    expect(JSON.stringify(prod.review?.conditions)).toContain('aws:MultiFactorAuthPresent');
    expect(JSON.stringify(sandbox.review?.conditions ?? [])).not.toContain('aws:MultiFactorAuthPresent');

    // One reply lists both, with each one's state.
    const listed = h.fake.thread(channel, threadTs).map((m) => m.text).find((t) => /Submitted 2 requests/.test(t ?? ''));
    expect(listed).toContain(`\`${prod.id}\` payments-prod: Waiting for 1 approval from Ben Okafor, Carla Diaz.`);
    expect(listed).toContain(`\`${sandbox.id}\` sandbox: Waiting for 1 approval from Dave Kim, Ben Okafor, Carla Diaz.`);

    // Ben gets the production card in his DM; the sandbox card goes to the sandbox rule's channel only.
    const bensCards = h.fake.messages(h.fake.dmChannelOf(SLACK.ben)).filter((m) => hasButton(m, 'request.approve'));
    expect(bensCards.map((m) => buttonValue(m, 'request.approve'))).toEqual([prod.id]);
    const channelCards = h.fake.messages('C0ACCESS').filter((m) => hasButton(m, 'request.approve'));
    expect(channelCards.map((m) => buttonValue(m, 'request.approve'))).toEqual([sandbox.id]);

    const since = h.fake.calls.length;
    await h.sender.blockAction({ user: SLACK.ben, actionId: 'request.approve', value: prod.id, message: { channel: bensCards[0]!.channel, ts: bensCards[0]!.ts } });
    await waitForThreadPost(h.fake, channel, threadTs, new RegExp(`Access for .${prod.id}. is active until`), since);
    expect((await h.store.getRequest(prod.id))?.state).toBe('active');
    // Approving one account's request does not approve the other.
    expect((await h.store.getRequest(sandbox.id))?.state).toBe('pending_approval');
    expect(hasButton(h.fake.message(channelCards[0]!.channel, channelCards[0]!.ts), 'request.approve')).toBe(true);
  });

  it('Edit keeps every account of the draft, and lets the requester change them', async () => {
    h = await startWardenHarness();
    const harness = h;
    const { channel, threadTs, reply } = await draft(h, 'write items to the user-profiles table in payments-prod and sandbox to backfill missing emails', '1 hour');
    const requestId = buttonValue(reply, 'draft.edit');
    const table = (region: string, account: string) => `arn:aws:dynamodb:${region}:${account}:table/user-profiles`;

    type ViewBlock = { block_id: string; element: { initial_option?: { value: string }; initial_options?: { value: string }[]; initial_value?: string } };
    const openEdit = async () => {
      const since = harness.fake.calls.length;
      await harness.sender.blockAction({ user: SLACK.ana, actionId: 'draft.edit', value: requestId, message: { channel: reply.channel, ts: reply.ts } });
      const opened = await harness.fake.waitFor((c) => c.seq >= since && c.method === 'views.open');
      return opened.response['view'] as { id: string; blocks: ViewBlock[] };
    };
    /** Submits the form as the person left it, with `changes` on top. */
    const redraft = async (view: { id: string; blocks: ViewBlock[] }, changes: Record<string, { value: string | string[] }>, shows: RegExp) => {
      const byId = Object.fromEntries(view.blocks.map((b) => [b.block_id, b.element]));
      const asLeft: Record<string, { value: string | string[] }> = {
        account: { value: byId['account']?.initial_option?.value ?? '' },
        also_in: { value: (byId['also_in']?.initial_options ?? []).map((o) => o.value) },
        service: { value: byId['service']?.initial_option?.value ?? '' },
        access_level: { value: byId['access_level']?.initial_option?.value ?? '' },
        resources: { value: byId['resources']?.initial_value ?? '' },
        duration: { value: byId['duration']?.initial_value ?? '' },
        justification: { value: byId['justification']?.initial_value ?? '' },
      };
      const since = harness.fake.calls.length;
      await harness.sender.viewSubmission({ user: SLACK.ana, viewId: view.id, values: buildViewState(view.blocks, { ...asLeft, ...changes }) });
      await waitForThreadPost(harness.fake, channel, threadTs, shows, since);
      const stored = await harness.store.getRequest(requestId);
      expect(stored?.state).toBe('drafting');
      return stored!.draft;
    };

    // The form opens with both accounts chosen: the draft's account, and the other under "Also in".
    const view = await openEdit();
    const byId = Object.fromEntries(view.blocks.map((b) => [b.block_id, b.element]));
    expect(byId['account']?.initial_option?.value).toBe('111111111111');
    expect(byId['also_in']?.initial_options?.map((o) => o.value)).toEqual(['222222222222']);
    expect(byId['resources']?.initial_value).toBe(table('eu-west-1', '111111111111'));

    // A shorter duration, nothing else changed: both accounts stay, each with its own ARNs.
    const edited = await redraft(view, { duration: { value: '30' } }, /30 minutes/);
    expect(edited).toMatchObject({ accountName: 'payments-prod', durationMinutes: 30, statements: [{ resources: [table('eu-west-1', '111111111111')] }] });
    expect(edited.alsoIn).toEqual([{ accountId: '222222222222', accountName: 'sandbox', statements: [{ actions: edited.statements[0]!.actions, resources: [table('us-east-1', '222222222222')] }] }]);
    const preview = h.fake.thread(channel, threadTs).filter((m) => hasButton(m, 'draft.submit')).at(-1);
    expect(visibleText(preview)).toMatch(/Also in sandbox\*? \(222222222222\), as its own request/);

    // Taking sandbox out of "Also in" leaves a single-account draft.
    const single = await redraft(await openEdit(), { also_in: { value: [] }, duration: { value: '45' } }, /45 minutes/);
    expect(single.alsoIn).toBeUndefined();
    expect(single.accountName).toBe('payments-prod');

    // Put back, it submits as two requests, one per account.
    const both = await redraft(await openEdit(), { also_in: { value: ['222222222222'] } }, /Also in sandbox/);
    expect(both.alsoIn?.map((a) => a.accountName)).toEqual(['sandbox']);
    const latest = h.fake.thread(channel, threadTs).filter((m) => hasButton(m, 'draft.submit')).at(-1)!;
    await submit(h, latest, threadTs, /Submitted 2 requests, one per account/);
    const requests = (await h.store.listRequestsByRequester('ana')).items;
    expect(requests.map((r) => r.draft.accountName).sort()).toEqual(['payments-prod', 'sandbox']);
  });

  it('auto-approves the account whose rule allows it and sends the other to its approvers', async () => {
    h = await startWardenHarness({
      rules: withFirst(rule({ name: 'quick-reads', accounts: ['*'], environments: ['dev'], accessLevels: ['List', 'Read'], maxRisk: 'low', autoApprove: true })),
    });
    const { channel, threadTs, reply } = await draft(h, 'I need read access to the billing-reports S3 bucket in payments-prod and sandbox to debug the export', '1 hour');
    await submit(h, reply, threadTs, /Submitted 2 requests/);
    const requests = (await h.store.listRequestsByRequester('ana')).items;
    const prod = requests.find((r) => r.draft.accountName === 'payments-prod')!;
    const sandbox = requests.find((r) => r.draft.accountName === 'sandbox')!;
    await waitForThreadPost(h.fake, channel, threadTs, new RegExp(`Access for .${sandbox.id}. is active until`));
    const listed = h.fake.thread(channel, threadTs).map((m) => m.text).find((t) => /Submitted 2 requests/.test(t ?? ''));
    expect(listed).toContain(`\`${sandbox.id}\` sandbox: ✅ approved automatically under rule "quick-reads"`);
    expect((await h.store.getRequest(sandbox.id))?.state).toBe('active');
    expect((await h.store.getRequest(prod.id))?.state).toBe('pending_approval');
  });
});
