import type { RenderContext } from './context.js';
import { escapeHtml } from './html.js';
import { isRecord, str } from './json-read.js';
import { renderMrkdwn, renderPlainText } from './mrkdwn.js';

/** A Block Kit text object (`plain_text` or `mrkdwn`) as HTML; anything else renders as nothing. */
export function renderTextObject(value: unknown, ctx: RenderContext): string {
  if (!isRecord(value)) return '';
  const text = str(value, 'text') ?? '';
  return str(value, 'type') === 'mrkdwn' ? renderMrkdwn(text, ctx) : renderPlainText(text);
}

/** The raw words of a text object, for labels, options and attributes (escape before use). */
export function textOf(value: unknown): string {
  return str(value, 'text') ?? '';
}

/** Escaped one-line text of a text object, for button labels and option names. */
export function labelHtml(value: unknown): string {
  return escapeHtml(textOf(value));
}
