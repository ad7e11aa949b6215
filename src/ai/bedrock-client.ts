/**
 * The Llm port over Amazon Bedrock's Converse API. Tools carry the structured output; the reply is
 * parsed with zod here, at the boundary, and only Warden's own shapes leave this file.
 */
import {
  BedrockRuntimeClient,
  ConverseCommand,
  type BedrockRuntimeClientConfig,
  type ContentBlock,
  type ConverseCommandInput,
  type Message,
  type Tool,
} from '@aws-sdk/client-bedrock-runtime';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import type { BedrockConfig } from './config.js';
import { LlmError, type Llm, type LlmContent, type LlmErrorKind, type LlmMessage, type LlmReply, type LlmRequest } from './llm.js';

/**
 * The SDK client with Warden's settings: region, the SDK's standard retry mode (exponential backoff
 * with jitter on throttling, 5xx and network errors) with `maxAttempts`, and a timeout per attempt.
 * The Bedrock Runtime client's default handler is HTTP/2; these options go to it, with the SDK's own
 * default of one stream per session kept. `overrides` is for tests and emulators (`endpoint`, static
 * `credentials`); without it the SDK's default credential chain and endpoint settings
 * (AWS_ENDPOINT_URL_BEDROCK_RUNTIME) apply.
 */
export function createBedrockRuntimeClient(config: BedrockConfig, overrides: Partial<BedrockRuntimeClientConfig> = {}): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    region: config.region,
    maxAttempts: config.maxAttempts,
    retryMode: 'standard',
    requestHandler: { requestTimeout: config.timeoutMs, disableConcurrentStreams: true },
    ...overrides,
  });
}

export interface BedrockLlmOptions {
  config: BedrockConfig;
  logger: Logger;
  /** Defaults to createBedrockRuntimeClient(config). */
  client?: BedrockRuntimeClient;
}

// The reply as far as Warden reads it. Block kinds Warden does not use (reasoning, citations…) are skipped.
const TextBlockSchema = z.object({ text: z.string() });
const ToolUseBlockSchema = z.object({ toolUse: z.object({ toolUseId: z.string().min(1), name: z.string().min(1), input: z.json() }) });
const ConverseReplySchema = z.object({
  output: z.object({ message: z.object({ role: z.literal('assistant'), content: z.array(z.unknown()) }) }),
  stopReason: z.string(),
  usage: z.object({ inputTokens: z.number(), outputTokens: z.number() }).optional(),
  metrics: z.object({ latencyMs: z.number() }).optional(),
});

export class BedrockLlm implements Llm {
  readonly modelId: string;
  private readonly client: BedrockRuntimeClient;

  constructor(private readonly options: BedrockLlmOptions) {
    this.modelId = options.config.modelId;
    this.client = options.client ?? createBedrockRuntimeClient(options.config);
  }

  async converse(request: LlmRequest): Promise<LlmReply> {
    const { config, logger } = this.options;
    const input = toConverseInput(config, request);
    const started = performance.now();
    // The per-attempt socket timeout alone would let retries multiply the wait; this bounds the whole call.
    const abortSignal = AbortSignal.timeout(config.timeoutMs);
    const base = { purpose: request.purpose, promptVersion: request.promptVersion, modelId: config.modelId };
    let raw: unknown;
    let attempts: number | undefined;
    try {
      const output = await this.client.send(new ConverseCommand(input), { abortSignal });
      attempts = output.$metadata.attempts;
      raw = output;
    } catch (error) {
      const latencyMs = Math.round(performance.now() - started);
      const kind = classify(error, abortSignal.aborted);
      // Error name and status only: an SDK message can quote the request, which holds the user's text.
      logger.error('bedrock converse failed', { ...base, latencyMs, kind, ...errorFacts(error) });
      throw new LlmError(kind, `Bedrock ${config.modelId} ${kind}`);
    }
    const latencyMs = Math.round(performance.now() - started);
    const parsed = ConverseReplySchema.safeParse(raw);
    if (!parsed.success) {
      logger.error('bedrock converse failed', { ...base, latencyMs, kind: 'bad-response', errorName: 'UnexpectedShape' });
      throw new LlmError('bad-response', `Bedrock ${config.modelId} bad-response`);
    }
    const reply: LlmReply = {
      content: parsed.data.output.message.content.flatMap(fromContentBlock),
      stopReason: parsed.data.stopReason,
      usage: { inputTokens: parsed.data.usage?.inputTokens ?? 0, outputTokens: parsed.data.usage?.outputTokens ?? 0 },
      latencyMs,
    };
    // Latency and tokens per call for cost and capacity; never the prompt or the reply, which hold user text.
    logger.info('bedrock converse', {
      ...base,
      latencyMs,
      modelLatencyMs: parsed.data.metrics?.latencyMs,
      inputTokens: reply.usage.inputTokens,
      outputTokens: reply.usage.outputTokens,
      stopReason: reply.stopReason,
      attempts,
    });
    return reply;
  }
}

function toConverseInput(config: BedrockConfig, request: LlmRequest): ConverseCommandInput {
  const input: ConverseCommandInput = {
    modelId: config.modelId,
    system: [{ text: request.system }, ...(request.cacheSystem ? [{ cachePoint: { type: 'default' as const } }] : [])],
    messages: request.messages.map(toMessage),
    inferenceConfig: { maxTokens: config.maxTokens, temperature: config.temperature },
  };
  if (request.tools && request.tools.length > 0) {
    const tools: Tool[] = request.tools.map((t) => ({ toolSpec: { name: t.name, description: t.description, inputSchema: { json: t.inputSchema } } }));
    input.toolConfig = { tools, toolChoice: request.toolChoice === 'any' ? { any: {} } : { auto: {} } };
  }
  return input;
}

function toMessage(message: LlmMessage): Message {
  return { role: message.role, content: message.content.map(toContentBlock) };
}

function toContentBlock(content: LlmContent): ContentBlock {
  switch (content.type) {
    case 'text':
      return { text: content.text };
    case 'toolUse':
      return { toolUse: { toolUseId: content.toolUseId, name: content.name, input: content.input } };
    case 'toolResult':
      return { toolResult: { toolUseId: content.toolUseId, status: content.status, content: [{ text: content.text }] } };
  }
}

function fromContentBlock(block: unknown): LlmContent[] {
  const toolUse = ToolUseBlockSchema.safeParse(block);
  if (toolUse.success) return [{ type: 'toolUse', ...toolUse.data.toolUse }];
  const text = TextBlockSchema.safeParse(block);
  if (text.success) return [{ type: 'text', text: text.data.text }];
  return [];
}

const ErrorFactsSchema = z.object({
  name: z.string().optional(),
  code: z.string().optional(),
  $metadata: z.object({ httpStatusCode: z.number().optional(), attempts: z.number().optional() }).optional(),
});

function errorFacts(error: unknown): { errorName: string; status?: number; attempts?: number; code?: string } {
  const facts = ErrorFactsSchema.safeParse(error);
  const name = error instanceof Error ? error.name : 'unknown';
  if (!facts.success) return { errorName: name };
  const { code, $metadata } = facts.data;
  return {
    errorName: facts.data.name ?? name,
    ...(code ? { code } : {}),
    ...($metadata?.httpStatusCode !== undefined ? { status: $metadata.httpStatusCode } : {}),
    ...($metadata?.attempts !== undefined ? { attempts: $metadata.attempts } : {}),
  };
}

const TIMEOUT_NAMES = new Set(['AbortError', 'TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'ModelTimeoutException']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ETIMEDOUT']);

function classify(error: unknown, budgetSpent: boolean): LlmErrorKind {
  if (budgetSpent) return 'timeout';
  const { errorName, status, code } = errorFacts(error);
  if (errorName === 'ThrottlingException' || status === 429) return 'throttled';
  if (TIMEOUT_NAMES.has(errorName) || status === 408) return 'timeout';
  if (code !== undefined && NETWORK_CODES.has(code)) return 'unavailable';
  if (status !== undefined && status >= 500) return 'unavailable';
  // A 2xx that failed to deserialize: the body was not the Converse shape.
  if (status !== undefined && status < 300) return 'bad-response';
  if (errorName === 'SyntaxError') return 'bad-response';
  if (status !== undefined && status >= 400) return 'rejected';
  return 'unavailable';
}
