import type { RenderContext } from './context.js';
import { escapeHtml } from './html.js';
import { rec, str } from './json-read.js';
import { renderTextObject, textOf } from './text-object.js';

/**
 * The dialog Slack shows before sending a click on an element with a `confirm` object. The page
 * wires its two buttons (`data-bk-confirm="confirm"` / `"deny"`).
 */
export function renderConfirm(confirm: unknown, ctx: RenderContext): string {
  const title = textOf(rec(confirm, 'title')) || 'Are you sure?';
  const yes = textOf(rec(confirm, 'confirm')) || 'Yes';
  const no = textOf(rec(confirm, 'deny')) || 'Cancel';
  const style = str(confirm, 'style') === 'danger' ? 'danger' : 'primary';
  return [
    '<div class="bk-confirm" role="alertdialog" aria-modal="true" aria-labelledby="bk-confirm-title">',
    `<h2 class="bk-confirm__title" id="bk-confirm-title">${escapeHtml(title)}</h2>`,
    `<div class="bk-confirm__text">${renderTextObject(rec(confirm, 'text'), ctx)}</div>`,
    '<div class="bk-confirm__buttons">',
    `<button type="button" class="bk-button" data-bk-confirm="deny">${escapeHtml(no)}</button>`,
    `<button type="button" class="bk-button bk-button--${style}" data-bk-confirm="confirm">${escapeHtml(yes)}</button>`,
    '</div></div>',
  ].join('');
}
