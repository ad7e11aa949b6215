import type { RenderContext } from './context.js';
import { imageElement, renderElement, unsupportedElement } from './elements.js';
import { dataAttrs, domToken, escapeAttr, escapeHtml, safeImageUrl } from './html.js';
import { bool, isRecord, rec, records, str, type JsonRecord } from './json-read.js';
import { renderPlainText } from './mrkdwn.js';
import { renderTextObject, textOf } from './text-object.js';

/**
 * Block Kit blocks → HTML, as pure functions over the JSON the bot posted. A block that is unknown
 * or malformed shows as a labelled placeholder; rendering never throws.
 */
export function renderBlocks(blocks: unknown, ctx: RenderContext): string {
  if (!Array.isArray(blocks)) return '';
  return blocks.map((block, index) => renderBlock(block, index, ctx)).join('');
}

/** Slack gives a block posted without a block_id a generated one; a positional id is stable here. */
export function blockIdOf(block: unknown, index: number): string {
  return str(block, 'block_id') ?? `block-${index}`;
}

export function renderBlock(block: unknown, index: number, ctx: RenderContext): string {
  if (!isRecord(block)) return unsupportedBlock('not an object');
  const type = str(block, 'type');
  const blockId = blockIdOf(block, index);
  try {
    const body = renderBody(block, type, blockId, ctx);
    if (body === undefined) return unsupportedBlock(type ?? 'without a type');
    return `<div class="bk-block bk-${escapeAttr(type ?? '')}"${dataAttrs({ 'block-id': blockId })}>${body}</div>`;
  } catch {
    // Shapes the renderer does not expect must not take the whole conversation down with them.
    return unsupportedBlock(type ?? 'without a type');
  }
}

function renderBody(block: JsonRecord, type: string | undefined, blockId: string, ctx: RenderContext): string | undefined {
  switch (type) {
    case 'header':
      return `<h3 class="bk-header__text">${renderPlainText(textOf(block['text']))}</h3>`;
    case 'section':
      return section(block, blockId, ctx);
    case 'context':
      return context(block, ctx);
    case 'divider':
      return '<hr class="bk-divider__rule">';
    case 'image':
      return image(block);
    case 'actions':
      return `<div class="bk-actions__row">${records(block, 'elements')
        .map((element) => renderElement(element, { blockId, mode: 'action' }, ctx))
        .join('')}</div>`;
    case 'input':
      return input(block, blockId, ctx);
    default:
      return undefined;
  }
}

function unsupportedBlock(type: string): string {
  return `<div class="bk-block bk-unsupported-block" role="note">Unsupported block <code>${escapeHtml(type)}</code></div>`;
}

function section(block: JsonRecord, blockId: string, ctx: RenderContext): string {
  const text = rec(block, 'text');
  const fields = records(block, 'fields');
  const accessory = rec(block, 'accessory');
  const body = [
    text ? `<div class="bk-section__text">${renderTextObject(text, ctx)}</div>` : '',
    fields.length > 0 ? `<div class="bk-fields">${fields.map((f) => `<div class="bk-field">${renderTextObject(f, ctx)}</div>`).join('')}</div>` : '',
  ].join('');
  const side = accessory
    ? `<div class="bk-section__accessory">${str(accessory, 'type') === 'image' ? imageElement(accessory) : renderElement(accessory, { blockId, mode: 'action' }, ctx)}</div>`
    : '';
  return `<div class="bk-section__body">${body}</div>${side}`;
}

function context(block: JsonRecord, ctx: RenderContext): string {
  const items = records(block, 'elements').map((element) => {
    const type = str(element, 'type');
    if (type === 'image') return imageElement(element);
    if (type === 'mrkdwn' || type === 'plain_text') return `<span class="bk-context__text">${renderTextObject(element, ctx)}</span>`;
    return unsupportedElement(type);
  });
  return `<div class="bk-context__row">${items.join('')}</div>`;
}

function image(block: JsonRecord): string {
  const url = safeImageUrl(str(block, 'image_url') ?? '');
  const alt = str(block, 'alt_text') ?? '';
  const title = textOf(block['title']);
  const caption = title ? `<figcaption class="bk-image__title">${escapeHtml(title)}</figcaption>` : '';
  const picture = url
    ? `<img class="bk-image__img" src="${escapeAttr(url)}" alt="${escapeAttr(alt)}" loading="lazy" referrerpolicy="no-referrer">`
    : `<div class="bk-unsupported" role="img" aria-label="${escapeAttr(alt)}">🖼 ${escapeHtml(alt || 'image')}</div>`;
  return `<figure class="bk-image__figure">${caption}${picture}</figure>`;
}

/** An input block: label, control, hint and the validation message Slack shows under the field. */
function input(block: JsonRecord, blockId: string, ctx: RenderContext): string {
  const element = rec(block, 'element');
  const elementType = str(element, 'type') ?? 'unknown';
  const actionId = str(element, 'action_id') ?? '';
  const domId = `bk-input-${domToken(blockId)}-${domToken(actionId)}`;
  const optional = bool(block, 'optional') ? ' <span class="bk-input__optional">(optional)</span>' : '';
  const label = `<label class="bk-input__label" id="${escapeAttr(domId)}-label" for="${escapeAttr(domId)}">${escapeHtml(textOf(block['label']))}${optional}</label>`;
  const control = element ? renderElement(element, { blockId, mode: 'input', domId }, ctx) : unsupportedElement(undefined);
  const hint = block['hint'] ? `<p class="bk-input__hint">${escapeHtml(textOf(block['hint']))}</p>` : '';
  const error = ctx.errors?.[blockId];
  const errorHtml = error ? `<p class="bk-input__error" role="alert">${escapeHtml(error)}</p>` : '';
  const attrs = dataAttrs({ 'bk-input': elementType, 'block-id': blockId, 'action-id': actionId });
  return `<div class="bk-input__field${error ? ' bk-input__field--invalid' : ''}"${attrs}>${label}${control}${hint}${errorHtml}</div>`;
}
