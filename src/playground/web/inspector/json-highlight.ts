import { escapeHtml } from '../../block-kit/index.js';

const TOKEN = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

/**
 * Pretty-printed JSON with keys, strings, numbers and literals wrapped in spans for colour. Every
 * piece is escaped; the spans are the only markup added.
 */
export function highlightJson(pretty: string): string {
  let html = '';
  let last = 0;
  for (const match of pretty.matchAll(TOKEN)) {
    html += escapeHtml(pretty.slice(last, match.index));
    const [whole, string, colon, literal, number] = match;
    if (string !== undefined) {
      html += `<span class="json__${colon ? 'key' : 'string'}">${escapeHtml(string)}</span>${escapeHtml(colon ?? '')}`;
    } else if (literal !== undefined) {
      html += `<span class="json__literal">${literal}</span>`;
    } else if (number !== undefined) {
      html += `<span class="json__number">${escapeHtml(number)}</span>`;
    }
    last = match.index + whole.length;
  }
  return html + escapeHtml(pretty.slice(last));
}
