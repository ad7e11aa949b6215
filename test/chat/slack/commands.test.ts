import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buttonValue, hasButton, SLACK, startWardenHarness, visibleText, waitForThreadPost, type WardenHarness } from '../../support/warden-harness.js';

let h: WardenHarness;

beforeEach(async () => {
  h = await startWardenHarness();
});

afterEach(async () => {
  await h.close();
});

async function lastResponse(pattern: RegExp, since: number): Promise<string> {
  const call = await h.fake.waitFor((c) => c.seq >= since && c.method === 'response_url' && pattern.test(JSON.stringify(c.args)), {
    description: `a command response matching ${pattern}`,
  });
  return JSON.stringify(call.args);
}

type ViewInput = { type: string; block_id: string; element: { action_id: string; initial_value?: string; initial_option?: { value: string } } };

/** The request form's state as Slack sends it: block id → action id ("value") → element state. */
function formValues(f: { account: string; service: string; level: string; resources: string; duration: string; justification: string }) {
  const select = (value: string) => ({ value: { type: 'static_select', selected_option: { value } } });
  return {
    account: select(f.account),
    service: select(f.service),
    access_level: select(f.level),
    resources: { value: f.resources },
    duration: { value: { type: 'number_input', value: f.duration } },
    justification: { value: f.justification },
  };
}

/** Opens `/access request` and returns the opened view. */
async function openRequestForm(user: string) {
  const since = h.fake.calls.length;
  await h.sender.command('/access', 'request', { user });
  const opened = await h.fake.waitFor((c) => c.seq >= since && c.method === 'views.open');
  return opened.response['view'] as { id: string; blocks: ViewInput[]; private_metadata: string };
}

describe('/access commands', () => {
  it('help lists the commands; an unknown subcommand points to help', async () => {
    let since = h.fake.calls.length;
    await h.sender.command('/access', 'help', { user: SLACK.ana });
    const help = await lastResponse(/access list/, since);
    for (const sub of ['request', 'status', 'cancel', 'release']) expect(help).toContain(`/access ${sub}`);
    since = h.fake.calls.length;
    await h.sender.command('/access', 'frobnicate', { user: SLACK.ana });
    expect(await lastResponse(/frobnicate/, since)).toMatch(/access help/);
  });

  it('help with a question answers from the asker’s own rules', async () => {
    const since = h.fake.calls.length;
    await h.sender.command('/access', 'help who approves my requests for payments-prod?', { user: SLACK.ana });
    const answer = await lastResponse(/payments-prod/, since);
    expect(answer).toMatch(/Ben Okafor/);
    expect(answer).toMatch(/Carla Diaz/);
  });

  it('status and cancel without an id, or with an unknown one, say what to do', async () => {
    let since = h.fake.calls.length;
    await h.sender.command('/access', 'status', { user: SLACK.ana });
    expect(await lastResponse(/Say which request/, since)).toContain('/access list');
    since = h.fake.calls.length;
    await h.sender.command('/access', 'cancel r-nothere', { user: SLACK.ana });
    expect(await lastResponse(/no request/, since)).toContain('r-nothere');
    // Responses are ephemeral: only the caller sees them.
    expect(h.fake.callsTo('response_url').every((c) => c.args['response_type'] !== 'in_channel')).toBe(true);
  });

  it('someone outside the org config is told how to get added', async () => {
    const since = h.fake.calls.length;
    await h.sender.command('/access', 'list', { user: 'U0NOBODY' });
    expect(await lastResponse(/not in Warden's org config/, since)).toContain('U0NOBODY');
  });

  it('the form drafts a request; list and status show it; others cannot see it', async () => {
    const view = await openRequestForm(SLACK.ana);
    expect(view.blocks.map((b) => b.block_id)).toEqual(['account', 'also_in', 'service', 'access_level', 'resources', 'duration', 'justification']);

    const invalid = await h.sender.viewSubmission({
      user: SLACK.ana,
      viewId: view.id,
      values: { account: { value: { type: 'static_select', selected_option: null } }, resources: { value: '' }, duration: { value: { type: 'number_input', value: '2' } }, justification: { value: '' } },
    });
    expect(JSON.stringify(invalid.body)).toMatch(/response_action.*errors/);

    const since = h.fake.calls.length;
    const ok = await h.sender.viewSubmission({
      user: SLACK.ana,
      viewId: view.id,
      values: formValues({ account: '111111111111', service: 'sqs', level: 'Read', resources: 'orders-queue', duration: '45', justification: 'Inspect stuck messages, INC-42' }),
    });
    expect(ok.status).toBe(200);
    const preview = await h.fake.waitFor((c) => c.seq >= since && c.method === 'chat.postMessage' && JSON.stringify(c.args).includes('draft.submit'));
    const text = JSON.stringify(preview.args);
    expect(text).toContain('arn:aws:sqs:eu-west-1:111111111111:orders-queue');
    expect(text).toMatch(/45 minutes/);
    const requestId = buttonValue(h.fake.message(String(preview.response['channel']), String(preview.response['ts'])), 'draft.submit');

    let s2 = h.fake.calls.length;
    await h.sender.command('/access', 'list', { user: SLACK.ana });
    expect(await lastResponse(new RegExp(requestId), s2)).toMatch(/Draft/);

    s2 = h.fake.calls.length;
    await h.sender.command('/access', `status ${requestId}`, { user: SLACK.ana });
    expect(await lastResponse(/Justification|Why/, s2)).toContain('INC-42');

    s2 = h.fake.calls.length;
    await h.sender.command('/access', `status ${requestId}`, { user: SLACK.dave });
    expect(await lastResponse(/no request/, s2)).not.toContain('INC-42');
  });

  it('Edit opens the form prefilled, and the edited draft replaces the old one', async () => {
    const { message } = await h.sender.message({ user: SLACK.ana, text: 'read the billing-reports bucket in payments-prod for 2 hours to debug the export' });
    const call = await waitForThreadPost(h.fake, message.channel, message.ts, /draft\.submit/);
    const preview = h.fake.message(String(call.response['channel']), String(call.response['ts']))!;
    const requestId = buttonValue(preview, 'draft.edit');

    // Someone else's click on Edit opens nothing.
    await h.sender.blockAction({ user: SLACK.ben, actionId: 'draft.edit', value: requestId, message: { channel: preview.channel, ts: preview.ts } });
    await h.fake.waitFor((c) => c.method === 'chat.postEphemeral' && c.args['user'] === SLACK.ben);
    expect(h.fake.callsTo('views.open')).toHaveLength(0);

    await h.sender.blockAction({ user: SLACK.ana, actionId: 'draft.edit', value: requestId, message: { channel: preview.channel, ts: preview.ts } });
    const opened = await h.fake.waitFor('views.open');
    const view = opened.response['view'] as { id: string; blocks: ViewInput[] };
    const byId = Object.fromEntries(view.blocks.map((b) => [b.block_id, b.element]));
    expect(byId['account']?.initial_option?.value).toBe('111111111111');
    expect(byId['service']?.initial_option?.value).toBe('s3');
    expect(byId['resources']?.initial_value).toContain('arn:aws:s3:::billing-reports');
    expect(byId['duration']?.initial_value).toBe('120');
    expect(byId['justification']?.initial_value).toMatch(/debug the export/);

    const since = h.fake.calls.length;
    await h.sender.viewSubmission({
      user: SLACK.ana,
      viewId: view.id,
      values: formValues({ account: '111111111111', service: 's3', level: 'Read', resources: 'billing-reports', duration: '30', justification: 'debug the export, shorter' }),
    });
    await waitForThreadPost(h.fake, message.channel, message.ts, /30 minutes/, since);
    const stored = await h.store.getRequest(requestId);
    expect(stored?.state).toBe('drafting');
    expect(stored?.draft.durationMinutes).toBe(30);
    // Both previews in the thread show the current draft.
    const previews = h.fake.thread(message.channel, message.ts).filter((m) => hasButton(m, 'draft.submit'));
    expect(previews.length).toBe(2);
    for (const p of previews) expect(visibleText(p)).toMatch(/30 minutes/);
  });

  it('an approvers channel gets one card when the rule says so', async () => {
    const { message } = await h.sender.message({ user: SLACK.ana, text: 'read the orders-queue SQS queue in sandbox for 1 hour to inspect stuck messages' });
    const call = await waitForThreadPost(h.fake, message.channel, message.ts, /draft\.submit/);
    const preview = h.fake.message(String(call.response['channel']), String(call.response['ts']))!;
    const requestId = buttonValue(preview, 'draft.submit');
    const since = h.fake.calls.length;
    await h.sender.blockAction({ user: SLACK.ana, actionId: 'draft.submit', value: requestId, message: { channel: preview.channel, ts: preview.ts } });
    const card = await h.fake.waitFor((c) => c.seq >= since && c.method === 'chat.postMessage' && JSON.stringify(c.args).includes('request.approve'));
    expect(card.args['channel']).toBe('#access-requests');
    expect(h.fake.callsTo('chat.postMessage').filter((c) => JSON.stringify(c.args).includes('request.approve'))).toHaveLength(1);
  });
});
