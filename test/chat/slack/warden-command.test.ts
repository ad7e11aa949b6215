import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SLACK, startWardenHarness, type WardenHarness } from '../../support/warden-harness.js';

let h: WardenHarness;

beforeEach(async () => {
  h = await startWardenHarness();
});

afterEach(async () => {
  await h.close();
});

async function response(pattern: RegExp, since: number): Promise<string> {
  const call = await h.fake.waitFor((c) => c.seq >= since && c.method === 'response_url' && pattern.test(JSON.stringify(c.args)), {
    description: `a command response matching ${pattern}`,
  });
  return JSON.stringify(call.args);
}

async function command(user: string, text: string, expected: RegExp): Promise<string> {
  const since = h.fake.calls.length;
  await h.sender.command('/warden', text, { user });
  return response(expected, since);
}

type PolicyView = { id: string; blocks: { block_id: string; element: { initial_value?: string } }[] };

/** Opens `/warden <target> set` as `user` and returns the modal with its prefilled text. */
async function openEditor(user: string, target: 'guardrails' | 'rules'): Promise<{ view: PolicyView; text: string }> {
  const since = h.fake.calls.length;
  await h.sender.command('/warden', `${target} set`, { user });
  const opened = await h.fake.waitFor((c) => c.seq >= since && c.method === 'views.open');
  const view = opened.response['view'] as PolicyView;
  return { view, text: view.blocks.find((b) => b.block_id === 'policy')?.element.initial_value ?? '' };
}

function submit(user: string, view: PolicyView, text: string) {
  return h.sender.viewSubmission({ user, viewId: view.id, values: { policy: { value: text } } });
}

/** Ana's request for an SQS queue through the form; returns what the bot answered in her thread. */
async function requestQueueRead(): Promise<string> {
  let since = h.fake.calls.length;
  await h.sender.command('/access', 'request', { user: SLACK.ana });
  const opened = await h.fake.waitFor((c) => c.seq >= since && c.method === 'views.open');
  const view = opened.response['view'] as { id: string };
  const select = (value: string) => ({ value: { type: 'static_select', selected_option: { value } } });
  since = h.fake.calls.length;
  await h.sender.viewSubmission({
    user: SLACK.ana,
    viewId: view.id,
    values: {
      account: select('111111111111'),
      service: select('sqs'),
      access_level: select('Read'),
      resources: { value: 'orders-queue' },
      duration: { value: { type: 'number_input', value: '45' } },
      justification: { value: 'Inspect stuck messages, INC-42' },
    },
  });
  const answer = await h.fake.waitFor(
    (c) => c.seq >= since && c.method === 'chat.postMessage' && /draft\.submit|cannot be submitted/.test(JSON.stringify(c.args)),
    { description: 'the draft preview or its refusal' },
  );
  return JSON.stringify(answer.args);
}

const FREEZE_SQS = 'deniedActions:\n  - actions: ["sqs:*"]\n    reason: "queues are frozen during the migration"\n    wayOut: "ask in #platform"\n';

describe('/warden guardrails', () => {
  it('shows the guardrails in force to anyone', async () => {
    const shown = await command(SLACK.ana, 'guardrails', /in force/);
    expect(shown).toMatch(/from the file Warden started with/);
    expect(shown).toContain('iam:*');
    expect(shown).toMatch(/max 480 min/);
  });

  it('an admin applies valid guardrails: the next request sees them, the audit log says who and what', async () => {
    expect(await requestQueueRead()).toContain('draft.submit');

    const { view, text } = await openEditor(SLACK.dave, 'guardrails');
    expect(text).toContain('deniedActions:');
    const ack = await submit(SLACK.dave, view, text.replace('deniedActions:\n', FREEZE_SQS));
    expect(JSON.stringify(ack.body ?? '')).not.toMatch(/errors/);
    await h.fake.waitFor((c) => c.method === 'chat.postEphemeral' && /Guardrails version 1 applied: changed deniedActions/.test(JSON.stringify(c.args)));

    const refused = await requestQueueRead();
    expect(refused).toMatch(/cannot be submitted/);
    expect(refused).toMatch(/frozen during the migration/);

    const audit = (await h.store.listAudit()).filter((e) => e.type === 'policy.changed');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: 'dave', requestId: null, detail: { kind: 'guardrails', version: 1, previousVersion: 0, sections: ['deniedActions'] } });
    expect(await command(SLACK.ana, 'guardrails', /in force/)).toMatch(/version 1, applied by dave/);

    // A restarted replica reads the version from the store, not the file.
    await h.restart();
    expect(await command(SLACK.ana, 'guardrails', /in force/)).toMatch(/version 1, applied by dave/);
    expect(await command(SLACK.ana, 'guardrails', /in force/)).toContain('sqs:*');
  });

  it('an invalid file is refused under the field, naming the field and line, and nothing changes', async () => {
    const { view, text } = await openEditor(SLACK.dave, 'guardrails');
    const broken = text.replace('maxMinutes: 480', 'maxMinutes: lots');
    const ack = await submit(SLACK.dave, view, broken);
    const body = JSON.stringify(ack.body);
    expect(body).toMatch(/response_action.*errors/);
    expect(body).toMatch(/"policy":"line \d+: durations\.maxMinutes: /);
    expect(await h.store.getLatestPolicyVersion('guardrails')).toBeUndefined();
    expect((await h.store.listAudit()).filter((e) => e.type.startsWith('policy.'))).toHaveLength(0);
    expect(await requestQueueRead()).toContain('draft.submit');
  });

  it('a non-admin is refused, on the command and on a forged submission', async () => {
    const refused = await command(SLACK.ana, 'guardrails set', /admins/);
    expect(refused).toMatch(/Only Warden admins can change the guardrails/);
    expect(h.fake.callsTo('views.open')).toHaveLength(0);
    expect(await command(SLACK.ana, 'guardrails rollback', /admins/)).toMatch(/Only Warden admins/);

    const { view, text } = await openEditor(SLACK.dave, 'guardrails');
    const forged = await submit(SLACK.ana, view, text.replace('deniedActions:\n', FREEZE_SQS));
    expect(JSON.stringify(forged.body)).toMatch(/Only Warden admins/);
    expect(await h.store.getLatestPolicyVersion('guardrails')).toBeUndefined();
  });

  it('rollback goes back to the previous version, and is audited', async () => {
    expect(await command(SLACK.dave, 'guardrails rollback', /Nothing to roll back/)).toBeTruthy();
    const { view, text } = await openEditor(SLACK.dave, 'guardrails');
    await submit(SLACK.dave, view, text.replace('deniedActions:\n', FREEZE_SQS));
    await h.fake.waitFor((c) => c.method === 'chat.postEphemeral' && /version 1 applied/.test(JSON.stringify(c.args)));
    expect(await requestQueueRead()).toMatch(/cannot be submitted/);

    expect(await command(SLACK.dave, 'guardrails rollback', /version 2 applied/)).toMatch(/back to version 0/);
    expect(await requestQueueRead()).toContain('draft.submit');
    const rolledBack = (await h.store.listAudit()).filter((e) => e.type === 'policy.rolled_back');
    expect(rolledBack).toHaveLength(1);
    expect(rolledBack[0]).toMatchObject({ actorId: 'dave', detail: { kind: 'guardrails', version: 2, restores: 0 } });
  });
});

describe('/warden rules', () => {
  it('shows the rules; an admin adds an admin, who can then act; rollback removes them again', async () => {
    expect(await command(SLACK.ana, 'rules', /in force/)).toMatch(/Admins:\*? @platform/);
    expect(await command(SLACK.ana, 'guardrails set', /admins/)).toMatch(/Only Warden admins/);

    const { view, text } = await openEditor(SLACK.dave, 'rules');
    expect(text).toMatch(/admins:\n {2}groups: \[platform\]/);
    await submit(SLACK.dave, view, text.replace('groups: [platform]\n', 'groups: [platform]\n  users: [ana]\n'));
    await h.fake.waitFor((c) => c.method === 'chat.postEphemeral' && /Access rules version 1 applied: changed admins/.test(JSON.stringify(c.args)));
    await openEditor(SLACK.ana, 'guardrails');

    await command(SLACK.dave, 'rules rollback', /version 2 applied/);
    expect(await command(SLACK.ana, 'guardrails set', /admins/)).toMatch(/Only Warden admins/);
  });

  it('refuses rules naming an unknown admin, under the field', async () => {
    const { view, text } = await openEditor(SLACK.dave, 'rules');
    const ack = await submit(SLACK.dave, view, text.replace('groups: [platform]\n', 'groups: [platfrom]\n'));
    expect(JSON.stringify(ack.body)).toMatch(/line \d+: admins\.groups\[0\]: unknown group \\"platfrom\\"; did you mean \\"platform\\"/);
    expect(await h.store.getLatestPolicyVersion('access-rules')).toBeUndefined();
  });
});
