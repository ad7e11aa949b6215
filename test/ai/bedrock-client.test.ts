import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { draftingTools } from '../../src/ai/draft-schema.js';
import { LlmError, type LlmRequest } from '../../src/ai/llm.js';
import { memoryLogger } from '../../src/logger.js';
import { FakeBedrock, fakeLlm, reply, TEST_MODEL_ID } from './support/fake-bedrock.js';

const SECRET_TEXT = 'please read the billing-reports bucket, ticket PAY-1234';

function request(overrides: Partial<LlmRequest> = {}): LlmRequest {
  return {
    purpose: 'draft',
    promptVersion: 'drafting-v1',
    system: 'You are a test.',
    messages: [{ role: 'user', content: [{ type: 'text', text: SECRET_TEXT }] }],
    tools: draftingTools(),
    toolChoice: 'any',
    ...overrides,
  };
}

let fake: FakeBedrock;
let logger: ReturnType<typeof memoryLogger>;

beforeEach(async () => {
  fake = await FakeBedrock.start();
  logger = memoryLogger();
});

afterEach(async () => {
  await fake.close();
});

describe('BedrockLlm against a local Converse endpoint', () => {
  it('sends a signed Converse request with the tools as JSON Schema and reads the tool call', async () => {
    const llm = fakeLlm(fake, logger, { maxTokens: 777, temperature: 0.2 });
    fake.enqueue(reply.toolUse('ask_questions', { questions: ['For how long?'] }));
    const result = await llm.converse(request());

    expect(result.stopReason).toBe('tool_use');
    expect(result.content).toEqual([{ type: 'toolUse', toolUseId: expect.any(String), name: 'ask_questions', input: { questions: ['For how long?'] } }]);
    expect(result.usage).toEqual({ inputTokens: 900, outputTokens: 120 });

    const [sent] = fake.requests;
    expect(sent?.modelId).toBe(TEST_MODEL_ID);
    expect(String(sent?.headers['authorization'])).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTESTTESTTEST\/\d{8}\/us-east-1\/bedrock\/aws4_request/);
    expect(sent?.body.system).toEqual([{ text: 'You are a test.' }]);
    expect(sent?.body.inferenceConfig).toEqual({ maxTokens: 777, temperature: 0.2 });
    expect(sent?.body.toolConfig?.toolChoice).toEqual({ any: {} });
    const submit = sent?.body.toolConfig?.tools.find((t) => t.toolSpec.name === 'submit_draft');
    const schema = submit?.toolSpec.inputSchema.json;
    expect(schema?.['$schema']).toBeUndefined();
    expect(schema?.['type']).toBe('object');
    expect(schema?.['required']).toEqual(expect.arrayContaining(['accountId', 'accessLevel', 'statements', 'durationMinutes', 'justification', 'explanation']));
    // Fields Warden fills itself are not the model's to choose.
    expect(Object.keys(schema?.['properties'] as object)).not.toContain('notes');
    expect(Object.keys(schema?.['properties'] as object)).not.toContain('broad');
  });

  it('logs latency and token usage per call, never the prompt or the user text', async () => {
    const llm = fakeLlm(fake, logger);
    fake.enqueue(reply.toolUse('ask_questions', { questions: ['Which bucket?'] }, { inputTokens: 1234, outputTokens: 56 }));
    await llm.converse(request());
    const line = logger.lines.find((l) => l.message === 'bedrock converse');
    expect(line?.level).toBe('info');
    expect(line?.fields).toMatchObject({ purpose: 'draft', promptVersion: 'drafting-v1', modelId: TEST_MODEL_ID, inputTokens: 1234, outputTokens: 56, stopReason: 'tool_use', attempts: 1 });
    expect(line?.fields?.['latencyMs']).toEqual(expect.any(Number));
    expect(JSON.stringify(logger.lines)).not.toContain('billing-reports');
    expect(JSON.stringify(logger.lines)).not.toContain('You are a test');
  });

  it('retries a 429 with the SDK retry strategy and then succeeds', async () => {
    const llm = fakeLlm(fake, logger);
    fake.enqueue(reply.throttled(), reply.toolUse('ask_questions', { questions: ['Which account?'] }));
    const result = await llm.converse(request());
    expect(result.content[0]).toMatchObject({ type: 'toolUse', name: 'ask_questions' });
    expect(fake.requests).toHaveLength(2);
    expect(logger.lines.find((l) => l.message === 'bedrock converse')?.fields?.['attempts']).toBe(2);
  });

  it('gives up as "throttled" when every attempt is throttled', async () => {
    const llm = fakeLlm(fake, logger, { maxAttempts: 2 });
    fake.enqueue(reply.throttled(), reply.throttled());
    await expect(llm.converse(request())).rejects.toMatchObject({ name: 'LlmError', kind: 'throttled' });
    expect(fake.requests).toHaveLength(2);
    const failed = logger.lines.find((l) => l.message === 'bedrock converse failed');
    expect(failed).toMatchObject({ level: 'error', fields: { kind: 'throttled', status: 429 } });
  });

  it('stops at the timeout budget, retries included', async () => {
    const llm = fakeLlm(fake, logger, { timeoutMs: 1000 });
    fake.enqueue(reply.slow(5000, reply.text('late')), reply.slow(5000, reply.text('late')), reply.slow(5000, reply.text('late')));
    const started = Date.now();
    const error = await llm.converse(request()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('reports a reply that is not JSON as bad-response', async () => {
    const llm = fakeLlm(fake, logger);
    fake.enqueue(reply.malformed());
    await expect(llm.converse(request())).rejects.toMatchObject({ kind: 'bad-response' });
    expect(fake.requests).toHaveLength(1);
  });

  it('reports access denied as rejected (a config problem), without retrying', async () => {
    const llm = fakeLlm(fake, logger);
    fake.enqueue(reply.accessDenied());
    await expect(llm.converse(request())).rejects.toMatchObject({ kind: 'rejected' });
    expect(fake.requests).toHaveLength(1);
  });

  it('reports a closed port as unavailable', async () => {
    const dead = await FakeBedrock.start();
    await dead.close();
    const llm = fakeLlm(dead, logger, { maxAttempts: 1 });
    await expect(llm.converse(request())).rejects.toMatchObject({ kind: 'unavailable' });
  });

  it('sends tool results back in a repair turn', async () => {
    const llm = fakeLlm(fake, logger);
    fake.enqueue(reply.text('ok'));
    await llm.converse(
      request({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'hi' }] },
          { role: 'assistant', content: [{ type: 'toolUse', toolUseId: 't1', name: 'submit_draft', input: { accountId: '1' } }] },
          { role: 'user', content: [{ type: 'toolResult', toolUseId: 't1', status: 'error', text: 'accountId: too short' }] },
        ],
      }),
    );
    expect(fake.requests[0]?.body.messages).toEqual([
      { role: 'user', content: [{ text: 'hi' }] },
      { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'submit_draft', input: { accountId: '1' } } }] },
      { role: 'user', content: [{ toolResult: { toolUseId: 't1', status: 'error', content: [{ text: 'accountId: too short' }] } }] },
    ]);
  });
});
