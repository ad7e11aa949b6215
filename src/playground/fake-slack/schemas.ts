import { z } from 'zod';
import { type JsonObject, isJsonObject } from './json.js';

/**
 * Zod schemas for what the bot sends to the fake. Inbound values are already JSON (decoded from a
 * form or a JSON body), so object shapes are checked structurally and kept as JsonObject.
 */
export const JsonObjectSchema = z.custom<JsonObject>((value) => isJsonObject(value), 'expected an object');
export const JsonObjectArraySchema = z.array(JsonObjectSchema);

/** Form bodies carry booleans as "true"/"false"; JSON bodies as booleans. */
export const BoolishSchema = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
  .transform((value) => value === true || value === 'true' || value === '1');

/** A ts should be a string, but WebClient lets numbers through (it only warns), and so does Slack. */
export const TsSchema = z.union([z.string(), z.number()]).transform(String);

export const ViewPayloadSchema = z.looseObject({
  type: z.string().default('modal'),
  callback_id: z.string().optional(),
  private_metadata: z.string().optional(),
  external_id: z.string().optional(),
  title: JsonObjectSchema.optional(),
  submit: JsonObjectSchema.optional(),
  close: JsonObjectSchema.optional(),
  blocks: JsonObjectArraySchema.default([]),
  clear_on_close: BoolishSchema.optional(),
  notify_on_close: BoolishSchema.optional(),
});
export type ViewPayload = z.output<typeof ViewPayloadSchema>;

/** What a `respond()` (or a slash command's HTTP reply) may carry. */
export const ResponseMessageSchema = z.looseObject({
  text: z.string().optional(),
  blocks: JsonObjectArraySchema.optional(),
  attachments: JsonObjectArraySchema.optional(),
  response_type: z.enum(['ephemeral', 'in_channel']).optional(),
  replace_original: BoolishSchema.optional(),
  delete_original: BoolishSchema.optional(),
  thread_ts: TsSchema.optional(),
});
export type ResponseMessage = z.output<typeof ResponseMessageSchema>;

/** The body of a view_submission acknowledgement (Bolt's `ack({ response_action, … })`). */
export const ViewSubmissionAckSchema = z.looseObject({
  response_action: z.enum(['errors', 'update', 'push', 'clear']).optional(),
  view: ViewPayloadSchema.optional(),
  errors: z.record(z.string(), z.string()).optional(),
});
export type ViewSubmissionAck = z.output<typeof ViewSubmissionAckSchema>;

/** A required string argument, reported the way Slack words it. */
export const requiredString = (field: string) =>
  z.string({ error: `missing required field: ${field}` }).min(1, `missing required field: ${field}`);
