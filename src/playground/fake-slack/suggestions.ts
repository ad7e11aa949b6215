import { z } from 'zod';
import type { Json, JsonObject } from './json.js';
import type { FakeView } from './types.js';

/**
 * What an app answers to block_suggestion, the way Slack reads it: `options`, or `option_groups`
 * of labelled options. Parsed strictly enough that a malformed answer (a label that is not a text
 * object, a missing value) fails here as it would fail to render in Slack.
 */
const PlainTextSchema = z.object({ type: z.literal('plain_text'), text: z.string().min(1).max(75) });
const OptionSchema = z.object({ text: PlainTextSchema, value: z.string().min(1).max(150), description: PlainTextSchema.optional() });
const OptionsAnswerSchema = z.union([
  z.object({ options: z.array(OptionSchema).max(100) }),
  z.object({ option_groups: z.array(z.object({ label: PlainTextSchema, options: z.array(OptionSchema).min(1).max(100) })).max(100) }),
]);

export interface SuggestedOption {
  text: string;
  value: string;
  description?: string;
}

/** The answer flattened for assertions and the page: ungrouped options come as one group labelled ''. */
export interface SuggestedOptions {
  groups: Array<{ label: string; options: SuggestedOption[] }>;
}

function flat(option: z.infer<typeof OptionSchema>): SuggestedOption {
  return { text: option.text.text, value: option.value, ...(option.description ? { description: option.description.text } : {}) };
}

/** Throws with the answer's problem when the app's reply is not something Slack could show. */
export function parseOptionsAnswer(body: Json): SuggestedOptions {
  const parsed = OptionsAnswerSchema.safeParse(body);
  if (!parsed.success) throw new Error(`fake-slack: the app's options answer is not valid: ${z.prettifyError(parsed.error)}\n${JSON.stringify(body)}`);
  const answer = parsed.data;
  if ('options' in answer) return { groups: answer.options.length > 0 ? [{ label: '', options: answer.options.map(flat) }] : [] };
  return { groups: answer.option_groups.map((g) => ({ label: g.label.text, options: g.options.map(flat) })) };
}

/** The block holding the view's external select with this action_id (inputs often share action_ids, the select type tells them apart). */
export function externalSelectBlockId(view: FakeView, actionId: string): string | undefined {
  for (const block of view.blocks) {
    const element = block.element;
    if (!isObject(element) || element.action_id !== actionId) continue;
    if (element.type === 'external_select' || element.type === 'multi_external_select') return typeof block.block_id === 'string' ? block.block_id : undefined;
  }
  return undefined;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
