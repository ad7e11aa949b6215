import { renderBlocks } from './blocks.js';
import type { RenderContext } from './context.js';
import { dataAttrs, escapeHtml } from './html.js';
import { rec, str } from './json-read.js';
import { textOf } from './text-object.js';

/**
 * A modal (views.open / views.update) as a dialog: title, blocks (inputs become form controls,
 * with `ctx.errors` under their fields), and Close / Submit buttons named by the view.
 */
export function renderModal(view: unknown, ctx: RenderContext): string {
  const title = textOf(rec(view, 'title')) || 'Modal';
  const submit = textOf(rec(view, 'submit'));
  const close = textOf(rec(view, 'close')) || (submit ? 'Cancel' : 'Close');
  const blocks = view !== null && typeof view === 'object' && 'blocks' in view ? view.blocks : [];
  return [
    `<div class="bk-modal" role="dialog" aria-modal="true" aria-labelledby="bk-modal-title"${dataAttrs({ 'view-id': str(view, 'id') })}>`,
    '<form class="bk-modal__form" data-bk-modal-form novalidate>',
    '<header class="bk-modal__header">',
    `<h2 class="bk-modal__title" id="bk-modal-title">${escapeHtml(title)}</h2>`,
    '<button type="button" class="bk-modal__dismiss" data-bk-modal="close" aria-label="Close">×</button>',
    '</header>',
    `<div class="bk-modal__body">${renderBlocks(blocks, ctx)}</div>`,
    '<footer class="bk-modal__footer">',
    `<button type="button" class="bk-button" data-bk-modal="close">${escapeHtml(close)}</button>`,
    submit ? `<button type="submit" class="bk-button bk-button--primary" data-bk-modal="submit">${escapeHtml(submit)}</button>` : '',
    '</footer></form></div>',
  ].join('');
}
