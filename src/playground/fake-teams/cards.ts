import { z } from 'zod';
import { isJsonObject, type Json, type JsonObject } from '../fake-slack/json.js';
import type { FakeTeamsMessage } from './types.js';

/** Reading Adaptive Cards the bot sent, as a Teams client would: for the sender, tests and the page. */

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

export function adaptiveCardOf(message: FakeTeamsMessage | undefined): JsonObject | undefined {
  const content = message?.attachments.find((a) => a.contentType === ADAPTIVE_CARD)?.content;
  return isJsonObject(content) ? content : undefined;
}

const ExecuteSchema = z.object({
  type: z.literal('Action.Execute'),
  title: z.string().optional(),
  verb: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type ExecuteActionJson = z.infer<typeof ExecuteSchema>;

const RefreshSchema = z.object({
  action: ExecuteSchema,
  userIds: z.array(z.string()).optional(),
});

export function refreshOf(card: JsonObject | undefined): z.infer<typeof RefreshSchema> | undefined {
  const parsed = RefreshSchema.safeParse(card?.['refresh']);
  return parsed.success ? parsed.data : undefined;
}

function children(node: JsonObject): Json[] {
  const out: Json[] = [];
  for (const key of ['body', 'items', 'actions', 'columns', 'card'] as const) {
    const value = node[key];
    if (Array.isArray(value)) out.push(...value);
    else if (value !== undefined && isJsonObject(value)) out.push(value);
  }
  return out;
}

function walk(node: Json, visit: (node: JsonObject) => void): void {
  if (!isJsonObject(node)) return;
  visit(node);
  for (const child of children(node)) walk(child, visit);
}

/** Every Action.Execute button of a card, including those inside Action.ShowCard (a deny reason, a form). */
export function executeActions(card: JsonObject | undefined): ExecuteActionJson[] {
  const found: ExecuteActionJson[] = [];
  if (!card) return found;
  walk(card, (node) => {
    const parsed = ExecuteSchema.safeParse(node);
    if (parsed.success) found.push(parsed.data);
  });
  return found;
}

/** Everything a card shows in words (TextBlocks and facts), for "the user sees X" assertions. */
export function cardText(card: JsonObject | undefined): string {
  const lines: string[] = [];
  if (!card) return '';
  walk(card, (node) => {
    if (node['type'] === 'TextBlock' && typeof node['text'] === 'string') lines.push(node['text']);
    if (node['type'] === 'FactSet' && Array.isArray(node['facts'])) {
      for (const fact of node['facts']) {
        if (isJsonObject(fact)) lines.push(`${String(fact['title'])}: ${String(fact['value'])}`);
      }
    }
    if ((node['type'] === 'Action.Execute' || node['type'] === 'Action.ShowCard') && typeof node['title'] === 'string') lines.push(`[${node['title']}]`);
  });
  return lines.join('\n');
}
