import type { z } from 'zod';
import type { SlackArgs } from '../body.js';
import type { Json, JsonObject } from '../json.js';
import type { SlackState } from '../state.js';

export type MethodHandler = (args: SlackArgs, state: SlackState) => JsonObject;

export const ok = (fields: JsonObject = {}): JsonObject => ({ ok: true, ...fields });

/** Slack's error shape; `messages` mirrors response_metadata.messages for invalid arguments. */
export function fail(error: string, messages?: string[]): JsonObject {
  return messages?.length ? { ok: false, error, response_metadata: { messages } } : { ok: false, error };
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; response: JsonObject };

/**
 * Validates a method's arguments. A failing field maps to the error Slack gives for it (e.g.
 * `blocks` → invalid_blocks); anything else is invalid_arguments with Slack-style messages.
 */
export function parseArgs<S extends z.ZodType>(
  schema: S,
  args: SlackArgs,
  errorByField: Record<string, string> = {},
): Parsed<z.output<S>> {
  const result = schema.safeParse(args);
  if (result.success) return { ok: true, data: result.data };
  const [first] = result.error.issues;
  const field = first?.path[0];
  const mapped = typeof field === 'string' ? errorByField[field] : undefined;
  if (mapped) return { ok: false, response: fail(mapped) };
  const messages = result.error.issues.map(
    (issue) => `[ERROR] ${issue.message} [json-pointer:/${issue.path.map(String).join('/')}]`,
  );
  return { ok: false, response: fail('invalid_arguments', messages) };
}

/** Drops undefined fields so a response only carries what Slack would send. */
export function compact(fields: Record<string, Json | undefined>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) out[key] = value;
  return out;
}
