import { afterEach, describe, expect, it } from 'vitest';
import type { DraftResult } from '../../src/access/drafter.js';
import { draftsPerAccount } from '../../src/access/batch.js';
import type { PermissionDraft } from '../../src/access/types.js';
import { reply } from './support/fake-bedrock.js';
import { ASK, between, drafterSetup, GOOD_PROPOSAL, withActions, type DrafterSetup } from './support/drafter-setup.js';

let s: DrafterSetup;

afterEach(async () => {
  await s.close();
});

function expectDraft(result: DraftResult): PermissionDraft {
  if (result.kind !== 'draft') throw new Error(`expected a draft, got ${JSON.stringify(result)}`);
  return result.draft;
}

/** The text of the first user turn of request i: the conversation block. */
const userText = (i: number) => {
  const request = s.fake.requests[i];
  if (!request) throw new Error(`no request ${i}`);
  return String(request.body.messages[0]?.content[0]?.['text']);
};

/** The text of the last user turn of request i (a tool result in a repair turn). */
function lastUserTurn(i: number): string {
  const messages = s.fake.requests[i]?.body.messages ?? [];
  return JSON.stringify(messages.at(-1));
}

function actionsOf(draft: PermissionDraft): string[] {
  return draft.statements.flatMap((st) => st.actions);
}

describe('BedrockDrafter', () => {
  it('turns a clean tool-use reply into a checked draft with the model’s explanation', async () => {
    s = await drafterSetup();
    s.fake.enqueue(reply.toolUse('submit_draft', GOOD_PROPOSAL));
    const draft = expectDraft(await s.drafter.fromText({ messages: [ASK], requesterId: 'ana' }));

    expect(draft).toMatchObject({
      accountId: '111111111111',
      accountName: 'payments-prod',
      accessLevel: 'Read',
      durationMinutes: 120,
      justification: 'Debug the export job.',
      broad: false,
      statements: GOOD_PROPOSAL.statements,
    });
    expect(draft.notes[0]).toMatch(/^Drafted by Claude on Amazon Bedrock \(anthropic\.claude-test-v1:0\)\.$/);
    expect(draft.notes[1]).toBe(`AI explanation: ${GOOD_PROPOSAL.explanation}`);
    expect(await s.gate(draft)).toMatchObject({ ok: true });
    expect(s.fake.requests).toHaveLength(1);

    // The prompt carries catalog facts for the service mentioned, and the request only as data.
    const system = s.fake.requests[0]?.body.system?.[0]?.text ?? '';
    expect(system).toContain('payments-prod: id 111111111111, prod, region eu-west-1; the requester may ask for up to 240 minutes');
    expect(system).toContain('read objects [Read]: s3:GetObject on object (ObjectName=*)');
    expect(system).not.toContain('kms:Decrypt');
    expect(system).not.toContain('billing-reports');
    const conversation = between(userText(0), 'conversation');
    expect(conversation).toContain('billing-reports S3 bucket');
    expect(s.logger.lines.find((l) => l.message === 'ai draft')?.fields).toMatchObject({ outcome: 'draft', repairs: 0, promptVersion: 'drafting-v2' });
  });

  it('sends a hallucinated action back with a suggestion, and uses the repaired draft', async () => {
    s = await drafterSetup();
    s.fake.enqueue(reply.toolUse('submit_draft', withActions(['s3:ReadObject'])), reply.toolUse('submit_draft', GOOD_PROPOSAL));
    const draft = expectDraft(await s.drafter.fromText({ messages: [ASK], requesterId: 'ana' }));

    expect(actionsOf(draft)).toEqual(['s3:GetObject', 's3:ListBucket']);
    expect(draft.notes[0]).toMatch(/after 1 correction\(s\) from Warden's IAM checks/);
    expect(s.fake.requests).toHaveLength(2);
    const repair = lastUserTurn(1);
    expect(repair).toContain('toolResult');
    expect(repair).toContain('"status":"error"');
    expect(repair).toMatch(/s3:ReadObject is not an IAM action\. Did you mean s3:GetObject/);
    // The repair turn answers the model's own tool call.
    const assistant = s.fake.requests[1]?.body.messages[1];
    expect(assistant?.role).toBe('assistant');
    expect(JSON.stringify(assistant)).toContain('s3:ReadObject');
  });

  it('falls back to the offline drafter, with a note, when two repairs do not fix the draft', async () => {
    s = await drafterSetup();
    const bad = reply.toolUse('submit_draft', withActions(['s3:ReadObject']));
    s.fake.enqueue(bad, reply.toolUse('submit_draft', withActions(['s3:ReadObject'])), reply.toolUse('submit_draft', withActions(['s3:ReadObject'])));
    const draft = expectDraft(await s.drafter.fromText({ messages: [ASK], requesterId: 'ana' }));

    expect(s.fake.requests).toHaveLength(3);
    expect(s.fake.pending).toBe(0);
    expect(draft.notes[0]).toBe("Claude's draft still failed Warden's IAM checks after 2 correction(s), so the offline drafter wrote this draft.");
    expect(actionsOf(draft)).not.toContain('s3:ReadObject');
    expect(actionsOf(draft)).toContain('s3:GetObject');
    expect(await s.gate(draft)).toMatchObject({ ok: true });
    expect(s.logger.lines.find((l) => l.message === 'ai draft')?.fields).toMatchObject({ outcome: 'fallback', reason: 'unusable', repairs: 2 });
  });

  it('asks a question, then drafts from the whole thread including its own question', async () => {
    s = await drafterSetup();
    const first = 'I need read access to the billing-reports S3 bucket in payments-prod to debug the export job';
    s.fake.enqueue(reply.toolUse('ask_questions', { questions: ['For how long do you need it? The most for payments-prod is 4 hours.'] }));
    const asked = await s.drafter.fromText({ messages: [first], requesterId: 'ana' });
    expect(asked).toEqual({ kind: 'questions', questions: ['For how long do you need it? The most for payments-prod is 4 hours.'] });

    s.fake.enqueue(reply.toolUse('submit_draft', GOOD_PROPOSAL));
    const history = [
      { role: 'user' as const, text: first },
      { role: 'bot' as const, text: 'For how long do you need it? The most for payments-prod is 4 hours.' },
      { role: 'user' as const, text: '2 hours' },
    ];
    const draft = expectDraft(await s.drafter.fromText({ messages: [first, '2 hours'], history, requesterId: 'ana' }));
    expect(draft.durationMinutes).toBe(120);

    const conversation = JSON.parse(between(userText(1), 'conversation') ?? '{}') as { messages: { from: string; text: string }[] };
    expect(conversation.messages).toEqual([
      { from: 'requester', text: first },
      { from: 'warden', text: 'For how long do you need it? The most for payments-prod is 4 hours.' },
      { from: 'requester', text: '2 hours' },
    ]);
  });

  it('gets through a 429 with the SDK retries', async () => {
    s = await drafterSetup();
    s.fake.enqueue(reply.throttled(), reply.toolUse('submit_draft', GOOD_PROPOSAL));
    const draft = expectDraft(await s.drafter.fromText({ messages: [ASK], requesterId: 'ana' }));
    expect(draft.notes[0]).toMatch(/^Drafted by Claude/);
    expect(s.fake.requests).toHaveLength(2);
  });

  it('falls back with a note when the model does not answer in time', async () => {
    s = await drafterSetup({ config: { timeoutMs: 1000 } });
    s.fake.enqueue(reply.slow(5000, reply.toolUse('submit_draft', GOOD_PROPOSAL)));
    const started = Date.now();
    const draft = expectDraft(await s.drafter.fromText({ messages: [ASK], requesterId: 'ana' }));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(draft.notes[0]).toBe('Claude on Amazon Bedrock did not answer in time, so the offline drafter wrote this draft.');
    expect(actionsOf(draft)).toContain('s3:GetObject');
    expect(await s.gate(draft)).toMatchObject({ ok: true });
  });

  it('falls back with a note when the reply is malformed JSON', async () => {
    s = await drafterSetup();
    s.fake.enqueue(reply.malformed());
    const draft = expectDraft(await s.drafter.fromText({ messages: [ASK], requesterId: 'ana' }));
    expect(draft.notes[0]).toBe('Claude on Amazon Bedrock returned a reply Warden could not read, so the offline drafter wrote this draft.');
    expect(s.fake.requests).toHaveLength(1);
  });

  it('repairs tool input that does not fit the schema', async () => {
    s = await drafterSetup();
    const { explanation: _dropped, ...noExplanation } = GOOD_PROPOSAL;
    s.fake.enqueue(
      reply.toolUse('submit_draft', { ...noExplanation, durationMinutes: '2 hours' }),
      reply.toolUse('submit_draft', GOOD_PROPOSAL),
    );
    expectDraft(await s.drafter.fromText({ messages: [ASK], requesterId: 'ana' }));
    const repair = lastUserTurn(1);
    expect(repair).toMatch(/durationMinutes: /);
    expect(repair).toMatch(/explanation: /);
  });

  it('asks for a tool call when the model answers in prose', async () => {
    s = await drafterSetup();
    s.fake.enqueue(reply.text('Sure! Here is your policy: {"Effect":"Allow"}'), reply.toolUse('submit_draft', GOOD_PROPOSAL));
    expectDraft(await s.drafter.fromText({ messages: [ASK], requesterId: 'ana' }));
    expect(lastUserTurn(1)).toContain('Reply by calling submit_draft or ask_questions.');
  });

  it('holds the draft to the requester’s duration limit and to one account', async () => {
    s = await drafterSetup();
    s.fake.enqueue(
      reply.toolUse('submit_draft', {
        ...GOOD_PROPOSAL,
        durationMinutes: 600,
        statements: [{ actions: ['sqs:ReceiveMessage'], resources: ['arn:aws:sqs:us-east-1:222222222222:orders'] }],
      }),
      reply.toolUse('submit_draft', GOOD_PROPOSAL),
    );
    expectDraft(await s.drafter.fromText({ messages: [ASK], requesterId: 'ana' }));
    const repair = lastUserTurn(1);
    expect(repair).toContain('600 minutes is longer than the 240 minutes this requester may ask for in payments-prod');
    expect(repair).toContain('arn:aws:sqs:us-east-1:222222222222:orders is in account 222222222222, not payments-prod (111111111111)');
  });

  it('drafts the same access in a further account the model names, with that account’s own ARNs', async () => {
    s = await drafterSetup();
    const table = (region: string, account: string) => `arn:aws:dynamodb:${region}:${account}:table/user-profiles`;
    s.fake.enqueue(
      reply.toolUse('submit_draft', {
        ...GOOD_PROPOSAL,
        accessLevel: 'Read',
        statements: [{ actions: ['dynamodb:GetItem', 'dynamodb:Query'], resources: [table('eu-west-1', '111111111111')] }],
        durationMinutes: 60,
        alsoInAccounts: ['sandbox', 'payments-prod'],
      }),
    );
    const draft = expectDraft(
      await s.drafter.fromText({ messages: ['read the user-profiles table in payments-prod and sandbox for 1 hour to debug the export'], requesterId: 'ana' }),
    );
    expect(draft).toMatchObject({ accountId: '111111111111', accountName: 'payments-prod', statements: [{ resources: [table('eu-west-1', '111111111111')] }] });
    // The shape the offline drafter gives: each further account with its own id and region in the ARNs.
    expect(draft.alsoIn).toEqual([
      { accountId: '222222222222', accountName: 'sandbox', statements: [{ actions: ['dynamodb:GetItem', 'dynamodb:Query'], resources: [table('us-east-1', '222222222222')] }] },
    ]);
    expect(draft.notes).toContain('Accounts: payments-prod (111111111111), sandbox (222222222222): one request per account, each to its own approvers.');
    // The tool schema offers the list; every account's draft still passes the deterministic gate on its own.
    const tool = s.fake.requests[0]?.body.toolConfig?.tools.find((t) => t.toolSpec.name === 'submit_draft');
    expect(JSON.stringify(tool?.toolSpec.inputSchema.json)).toContain('alsoInAccounts');
    expect(s.fake.requests[0]?.body.system?.[0]?.text).toContain('alsoInAccounts');
    for (const one of draftsPerAccount(draft)) expect(await s.gate(one)).toMatchObject({ ok: true });
  });

  it('sends an unknown further account back in a repair turn that names the accounts Warden manages', async () => {
    s = await drafterSetup();
    s.fake.enqueue(
      reply.toolUse('submit_draft', { ...GOOD_PROPOSAL, alsoInAccounts: ['staging'] }),
      reply.toolUse('submit_draft', { ...GOOD_PROPOSAL, alsoInAccounts: ['222222222222'] }),
    );
    const draft = expectDraft(await s.drafter.fromText({ messages: [`${ASK} and in staging`], requesterId: 'ana' }));
    expect(s.fake.requests).toHaveLength(2);
    const repair = lastUserTurn(1);
    expect(repair).toContain('"status":"error"');
    expect(repair).toContain('alsoInAccounts: \\"staging\\" is not an account Warden manages; use the names or ids of: payments-prod (111111111111), sandbox (222222222222)');
    expect(draft.notes[0]).toMatch(/after 1 correction\(s\)/);
    expect(draft.alsoIn).toEqual([{ accountId: '222222222222', accountName: 'sandbox', statements: GOOD_PROPOSAL.statements }]);
  });

  it('tightens an inflated access level to what the actions need', async () => {
    s = await drafterSetup();
    s.fake.enqueue(reply.toolUse('submit_draft', { ...GOOD_PROPOSAL, accessLevel: 'Write' }));
    const draft = expectDraft(await s.drafter.fromText({ messages: [ASK], requesterId: 'ana' }));
    expect(draft.accessLevel).toBe('Read');
  });

  it('drafts across services when the task needs it (logs and the queue a job reads from)', async () => {
    s = await drafterSetup();
    const text =
      'the thing that exports invoices keeps failing, I need to look at its logs in /aws/lambda/invoice-export and the queue it reads from, invoice-jobs, in payments-prod for 2 hours';
    s.fake.enqueue(
      reply.toolUse('submit_draft', {
        accountId: '111111111111',
        accessLevel: 'Read',
        statements: [
          { actions: ['logs:DescribeLogStreams', 'logs:FilterLogEvents'], resources: ['arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/invoice-export'] },
          { actions: ['logs:GetLogEvents'], resources: ['arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/invoice-export:log-stream:*'] },
          { actions: ['sqs:GetQueueAttributes', 'sqs:ReceiveMessage'], resources: ['arn:aws:sqs:eu-west-1:111111111111:invoice-jobs'] },
        ],
        durationMinutes: 120,
        justification: 'The invoice export keeps failing.',
        explanation: 'Read the export function’s logs and peek at its queue without deleting messages.',
      }),
    );
    const draft = expectDraft(await s.drafter.fromText({ messages: [text], requesterId: 'ana' }));
    expect(await s.gate(draft)).toMatchObject({ ok: true });
    const system = s.fake.requests[0]?.body.system?.[0]?.text ?? '';
    expect(system).toContain('read log events [Read]');
    expect(system).toContain('receive messages without deleting them [Read]');
  });

  it('opens the circuit after repeated failures, uses the offline drafter during the cool-down, then tries again', async () => {
    s = await drafterSetup({ config: { maxAttempts: 1 }, breaker: { failureThreshold: 2, cooldownMs: 60_000 } });
    s.fake.enqueue(reply.unavailable(), reply.unavailable());
    for (let i = 0; i < 2; i += 1) {
      const draft = expectDraft(await s.drafter.fromText({ messages: [ASK], requesterId: 'ana' }));
      expect(draft.notes[0]).toMatch(/was unreachable, so the offline drafter wrote this draft/);
    }
    expect(s.breaker.state()).toBe('open');

    const paused = expectDraft(await s.drafter.fromText({ messages: [ASK], requesterId: 'ana' }));
    expect(paused.notes[0]).toBe('Claude on Amazon Bedrock is paused after repeated failures, so the offline drafter wrote this draft.');
    expect(s.fake.requests).toHaveLength(2);

    s.clock.advanceMinutes(2);
    expect(s.breaker.state()).toBe('half-open');
    s.fake.enqueue(reply.toolUse('submit_draft', GOOD_PROPOSAL));
    const back = expectDraft(await s.drafter.fromText({ messages: [ASK], requesterId: 'ana' }));
    expect(back.notes[0]).toMatch(/^Drafted by Claude/);
    expect(s.breaker.state()).toBe('closed');
  });

  it('leaves the modal and unusable input to the offline drafter without calling the model', async () => {
    s = await drafterSetup();
    const fields = await s.drafter.fromFields({
      requesterId: 'ana',
      account: 'payments-prod',
      service: 's3',
      accessLevel: 'Read',
      resources: ['billing-reports'],
      durationMinutes: 60,
      justification: 'debug',
    });
    expect(fields.kind).toBe('draft');
    expect(await s.drafter.fromText({ messages: ['   '], requesterId: 'ana' })).toMatchObject({ kind: 'error' });
    expect(await s.drafter.fromText({ messages: ['x'.repeat(5000)], requesterId: 'ana' })).toMatchObject({ kind: 'error' });
    expect(s.fake.requests).toHaveLength(0);
  });

  it('never logs the requester’s words', async () => {
    s = await drafterSetup();
    s.fake.enqueue(reply.toolUse('submit_draft', withActions(['s3:ReadObject'])), reply.toolUse('submit_draft', GOOD_PROPOSAL));
    await s.drafter.fromText({ messages: [ASK], requesterId: 'ana' });
    const logged = JSON.stringify(s.logger.lines);
    expect(logged).not.toContain('billing-reports');
    expect(logged).not.toContain('export job');
    expect(s.logger.lines.filter((l) => l.message === 'bedrock converse').map((l) => l.fields?.['purpose'])).toEqual(['draft', 'draft-repair']);
  });
});
