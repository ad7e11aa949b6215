/**
 * A local stand-in for the Bedrock Runtime Converse endpoint (restJson1: POST /model/{modelId}/converse,
 * JSON in and out, errors named by the x-amzn-errortype header). Each test scripts the replies in
 * order; the real SDK client talks to it through its `endpoint` setting.
 *
 * It speaks HTTP/2 (cleartext, prior knowledge) because the Bedrock Runtime client's default request
 * handler is HTTP/2; the client under test keeps its production handler.
 */
import { createServer, type Http2Server, type Http2ServerRequest, type Http2ServerResponse, type Http2Session, type IncomingHttpHeaders } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { BedrockLlm, createBedrockRuntimeClient } from '../../../src/ai/bedrock-client.js';
import type { BedrockConfig } from '../../../src/ai/config.js';
import type { Logger } from '../../../src/chat/slack/context.js';

/** What the client sent, as the server received it. */
export interface ReceivedRequest {
  modelId: string;
  headers: IncomingHttpHeaders;
  body: ConverseBody;
}

/** The parts of a Converse request the tests look at. */
export interface ConverseBody {
  system?: { text?: string }[];
  messages: { role: string; content: Record<string, unknown>[] }[];
  inferenceConfig?: { maxTokens?: number; temperature?: number };
  toolConfig?: { tools: { toolSpec: { name: string; description: string; inputSchema: { json: Record<string, unknown> } } }[]; toolChoice?: Record<string, unknown> };
}

export interface ScriptedReply {
  status: number;
  headers?: Record<string, string>;
  /** Sent as JSON unless `raw` is given. */
  json?: unknown;
  raw?: string;
  /** Wait this long before answering (a slow model). */
  delayMs?: number;
}

let toolUseCounter = 0;

/** Builders for the replies Bedrock gives. */
export const reply = {
  toolUse(name: string, input: unknown, usage = { inputTokens: 900, outputTokens: 120 }): ScriptedReply {
    toolUseCounter += 1;
    return {
      status: 200,
      json: {
        output: { message: { role: 'assistant', content: [{ toolUse: { toolUseId: `tooluse_${toolUseCounter}`, name, input } }] } },
        stopReason: 'tool_use',
        usage: { ...usage, totalTokens: usage.inputTokens + usage.outputTokens },
        metrics: { latencyMs: 420 },
      },
    };
  },
  text(text: string): ScriptedReply {
    return {
      status: 200,
      json: {
        output: { message: { role: 'assistant', content: [{ text }] } },
        stopReason: 'end_turn',
        usage: { inputTokens: 800, outputTokens: 30, totalTokens: 830 },
        metrics: { latencyMs: 300 },
      },
    };
  },
  throttled(): ScriptedReply {
    return {
      status: 429,
      headers: { 'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/' },
      json: { message: 'Too many requests, please wait before trying again.' },
    };
  },
  unavailable(): ScriptedReply {
    return { status: 503, headers: { 'x-amzn-errortype': 'ServiceUnavailableException' }, json: { message: 'Service unavailable.' } };
  },
  accessDenied(): ScriptedReply {
    return { status: 403, headers: { 'x-amzn-errortype': 'AccessDeniedException' }, json: { message: 'You don’t have access to the model with the specified model ID.' } };
  },
  malformed(): ScriptedReply {
    return { status: 200, raw: '{"output": {"message": {"role": "assistant", "content": [{"toolUse": {"toolUseId": "x", "name": "submit_draft", "input": {"accountId": ' };
  },
  slow(delayMs: number, inner: ScriptedReply): ScriptedReply {
    return { ...inner, delayMs };
  },
};

export class FakeBedrock {
  readonly requests: ReceivedRequest[] = [];
  private readonly script: ScriptedReply[] = [];
  /** Requests that arrived with nothing scripted: a test that expects none asserts this stays empty. */
  readonly unscripted: ReceivedRequest[] = [];

  private readonly sessions = new Set<Http2Session>();

  private constructor(
    private readonly server: Http2Server,
    readonly url: string,
  ) {
    server.on('session', (session) => {
      this.sessions.add(session);
      session.on('close', () => this.sessions.delete(session));
    });
  }

  static async start(): Promise<FakeBedrock> {
    let fake: FakeBedrock | undefined;
    const server = createServer((req, res) => void fake?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as AddressInfo;
    fake = new FakeBedrock(server, `http://127.0.0.1:${port}`);
    return fake;
  }

  enqueue(...replies: ScriptedReply[]): void {
    this.script.push(...replies);
  }

  get pending(): number {
    return this.script.length;
  }

  /** The user-visible text of every message of a request, joined. */
  static textOf(request: ReceivedRequest): string {
    return request.body.messages
      .flatMap((m) => m.content)
      .map((c) => JSON.stringify(c))
      .join('\n');
  }

  private async handle(req: Http2ServerRequest, res: Http2ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const match = /^\/model\/([^/]+)\/converse$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) {
      res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'UnknownOperationException' });
      res.end(JSON.stringify({ message: `No route ${req.method} ${req.url}` }));
      return;
    }
    const received: ReceivedRequest = {
      modelId: decodeURIComponent(match[1] ?? ''),
      headers: req.headers,
      body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as ConverseBody,
    };
    this.requests.push(received);
    const next = this.script.shift();
    if (!next) {
      this.unscripted.push(received);
      res.writeHead(500, { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalServerException' });
      res.end(JSON.stringify({ message: 'nothing scripted' }));
      return;
    }
    if (next.delayMs) await new Promise((resolve) => setTimeout(resolve, next.delayMs));
    // The client may have given up (timeout); writing then is harmless but pointless.
    if (res.stream.destroyed || res.stream.closed) return;
    res.writeHead(next.status, { 'content-type': 'application/json', 'x-amzn-requestid': `req-${this.requests.length}`, ...next.headers });
    res.end(next.raw ?? JSON.stringify(next.json ?? {}));
  }

  async close(): Promise<void> {
    for (const session of this.sessions) session.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export const TEST_MODEL_ID = 'anthropic.claude-test-v1:0';

export function testBedrockConfig(overrides: Partial<BedrockConfig> = {}): BedrockConfig {
  return { modelId: TEST_MODEL_ID, region: 'us-east-1', maxTokens: 1024, temperature: 0, timeoutMs: 3000, maxAttempts: 3, ...overrides };
}

/** The real SDK client pointed at the fake, with dummy static credentials (requests are still SigV4-signed). */
export function fakeClient(fake: FakeBedrock, config: BedrockConfig): BedrockRuntimeClient {
  return createBedrockRuntimeClient(config, {
    endpoint: fake.url,
    credentials: { accessKeyId: 'AKIDTESTTESTTEST', secretAccessKey: 'test-secret' },
  });
}

export function fakeLlm(fake: FakeBedrock, logger: Logger, overrides: Partial<BedrockConfig> = {}): BedrockLlm {
  const config = testBedrockConfig(overrides);
  return new BedrockLlm({ config, logger, client: fakeClient(fake, config) });
}
