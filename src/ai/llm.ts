/**
 * The Llm port: what the drafter and the help assistant need from a chat model, in Warden's own
 * terms. The Bedrock adapter (bedrock-client.ts) is the only code that knows the SDK's shapes.
 */

/** A JSON value, as tool schemas and tool inputs are. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type LlmContent =
  | { type: 'text'; text: string }
  /** The model called a tool; `input` is any JSON and untrusted until parsed with the tool's schema. */
  | { type: 'toolUse'; toolUseId: string; name: string; input: JsonValue }
  /** Our answer to a tool call: how repair turns tell the model what was wrong. */
  | { type: 'toolResult'; toolUseId: string; status: 'success' | 'error'; text: string };

export interface LlmMessage {
  role: 'user' | 'assistant';
  content: LlmContent[];
}

export interface LlmTool {
  name: string;
  description: string;
  /** JSON Schema of the tool's input (generated from a zod schema). */
  inputSchema: JsonObject;
}

export interface LlmRequest {
  /** What the call is for, logged with its latency and tokens: "draft", "draft-repair", "help". */
  purpose: string;
  /** Which prompt file produced `system`, logged so a change in behaviour can be traced to a prompt. */
  promptVersion: string;
  system: string;
  /** Ask the provider to cache the system prompt (a large, fixed prefix such as a catalog). */
  cacheSystem?: boolean;
  messages: LlmMessage[];
  tools?: LlmTool[];
  /** "any": the reply must call one of the tools, which makes the tools a structured-output contract. */
  toolChoice?: 'any' | 'auto';
}

export interface LlmUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface LlmReply {
  content: LlmContent[];
  /** e.g. "tool_use", "end_turn", "max_tokens". */
  stopReason: string;
  usage: LlmUsage;
  latencyMs: number;
}

export type LlmErrorKind =
  /** Throttled even after the SDK's retries. */
  | 'throttled'
  /** No answer within the configured budget. */
  | 'timeout'
  /** 5xx, connection refused or reset: the service or the network is down. */
  | 'unavailable'
  /** The reply could not be read (not JSON, not the Converse shape). */
  | 'bad-response'
  /** 4xx other than throttling: access denied, unknown model, invalid request. A config problem. */
  | 'rejected';

/** A model call that produced nothing usable. Messages never contain the prompt or the user's text. */
export class LlmError extends Error {
  constructor(
    readonly kind: LlmErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'LlmError';
  }
}

export interface Llm {
  /** For notes and logs. */
  readonly modelId: string;
  /** Throws LlmError when the model cannot be used; never returns a partial reply. */
  converse(request: LlmRequest): Promise<LlmReply>;
}

/** How a failed call reads in a note to the requester. */
export function describeLlmError(kind: LlmErrorKind): string {
  switch (kind) {
    case 'throttled':
      return 'was busy (throttled)';
    case 'timeout':
      return 'did not answer in time';
    case 'unavailable':
      return 'was unreachable';
    case 'bad-response':
      return 'returned a reply Warden could not read';
    case 'rejected':
      return 'refused the call (check the model id and permissions)';
  }
}
