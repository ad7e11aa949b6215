import type { RenderContext } from './context.js';
import { dataAttrs, escapeAttr, escapeHtml, safeImageUrl } from './html.js';
import { bool, num, rec, records, str, type JsonRecord } from './json-read.js';
import { initialValues, optionsOf } from './options.js';
import { labelHtml, renderTextObject, textOf } from './text-object.js';

/** Where an element sits, which decides how the page reacts to it. */
export interface ElementPlace {
  blockId: string;
  /**
   * `action`: using it sends a block_actions payload at once (messages, actions blocks, accessories).
   * `input`: its value is read when the modal is submitted (input blocks).
   */
  mode: 'action' | 'input';
  /** The control's DOM id, which the input's label points at (input mode). */
  domId?: string;
}

/** The attributes the page's event handlers look for. */
function hooks(element: JsonRecord, place: ElementPlace): string {
  const type = str(element, 'type') ?? 'unknown';
  const actionId = str(element, 'action_id') ?? '';
  if (place.mode === 'input') {
    const id = place.domId ? ` id="${escapeAttr(place.domId)}"` : '';
    return `${id}${dataAttrs({ 'bk-control': type })}`;
  }
  return dataAttrs({ 'bk-action': type, 'block-id': place.blockId, 'action-id': actionId });
}

export function renderElement(element: JsonRecord, place: ElementPlace, ctx: RenderContext): string {
  const type = str(element, 'type');
  switch (type) {
    case 'button':
      return button(element, place);
    case 'overflow':
      return overflow(element, place);
    case 'static_select':
      return select(element, place, false);
    case 'multi_static_select':
      return select(element, place, true);
    case 'external_select':
    case 'multi_external_select':
      return externalSelect(element, place, type === 'multi_external_select');
    case 'plain_text_input':
      return textInput(element, place);
    case 'number_input':
      return numberInput(element, place);
    case 'email_text_input':
    case 'url_text_input':
      return typedInput(element, place, type === 'email_text_input' ? 'email' : 'url');
    case 'datepicker':
      return pickerInput(element, place, 'date', str(element, 'initial_date'));
    case 'timepicker':
      return pickerInput(element, place, 'time', str(element, 'initial_time'));
    case 'datetimepicker': {
      const initial = num(element, 'initial_date_time');
      return pickerInput(element, place, 'datetime-local', initial === undefined ? undefined : toDateTimeLocal(new Date(initial * 1000)));
    }
    case 'checkboxes':
    case 'radio_buttons':
      return choices(element, place, type === 'checkboxes' ? 'checkbox' : 'radio', ctx);
    case 'image':
      return imageElement(element);
    default:
      return unsupportedElement(type);
  }
}

export function unsupportedElement(type: string | undefined): string {
  return `<span class="bk-unsupported" role="note">Unsupported element <code>${escapeHtml(type ?? 'without a type')}</code></span>`;
}

function button(element: JsonRecord, place: ElementPlace): string {
  const style = str(element, 'style');
  const modifier = style === 'primary' || style === 'danger' ? ` bk-button--${style}` : '';
  const url = str(element, 'url');
  return `<button type="button" class="bk-button${modifier}"${hooks(element, place)}${url ? dataAttrs({ url }) : ''}>${labelHtml(element['text'])}</button>`;
}

/** A "⋯" menu; <details> opens and closes it without any script. */
function overflow(element: JsonRecord, place: ElementPlace): string {
  const items = optionsOf(element)
    .map(
      (option) =>
        `<button type="button" role="menuitem" class="bk-overflow__item"${hooks(element, place)}${dataAttrs({ 'option-value': option.value })}>${labelHtml(option.raw['text'])}</button>`,
    )
    .join('');
  return `<details class="bk-overflow"><summary class="bk-overflow__toggle" aria-label="More actions">⋯</summary><div class="bk-overflow__menu" role="menu">${items}</div></details>`;
}

function optionTag(raw: JsonRecord, selected: boolean): string {
  const value = str(raw, 'value') ?? '';
  return `<option value="${escapeAttr(value)}"${selected ? ' selected' : ''}>${labelHtml(raw['text'])}</option>`;
}

function select(element: JsonRecord, place: ElementPlace, multiple: boolean): string {
  const initial = initialValues(element);
  const direct = records(element, 'options').map((raw) => optionTag(raw, initial.has(str(raw, 'value') ?? '')));
  const groups = records(element, 'option_groups').map(
    (group) =>
      `<optgroup label="${escapeAttr(textOf(group['label']))}">${records(group, 'options')
        .map((raw) => optionTag(raw, initial.has(str(raw, 'value') ?? '')))
        .join('')}</optgroup>`,
  );
  const placeholder = textOf(element['placeholder']) || (multiple ? 'Select options' : 'Select an option');
  // In a message a menu has no label of its own; in a modal the input block's label names it.
  const name = place.mode === 'action' ? ` aria-label="${escapeAttr(placeholder)}"` : '';
  if (multiple) {
    const size = Math.min(6, Math.max(2, optionsOf(element).length));
    return `<select class="bk-select bk-select--multi" multiple size="${size}"${name}${hooks(element, place)}>${[...direct, ...groups].join('')}</select>`;
  }
  const empty = `<option value=""${initial.size === 0 ? ' selected' : ''}>${escapeHtml(placeholder)}</option>`;
  return `<select class="bk-select"${name}${hooks(element, place)}>${empty}${[...direct, ...groups].join('')}</select>`;
}

/**
 * An external select: a search box and the matches the app returns for what is typed (the page
 * asks the app through a block_suggestion, as Slack does). Matches chosen stay listed, selected,
 * when the search changes. Initial options are shown selected.
 */
function externalSelect(element: JsonRecord, place: ElementPlace, multiple: boolean): string {
  const placeholder = textOf(element['placeholder']) || 'Type to search';
  const minQuery = num(element, 'min_query_length') ?? 3;
  const initial = [...(multiple ? records(element, 'initial_options') : []), ...(rec(element, 'initial_option') ? [rec(element, 'initial_option')!] : [])];
  const chosen = initial.map((raw) => optionTag(raw, true)).join('');
  const query = `<input class="bk-text bk-external__query" type="search" placeholder="${escapeAttr(placeholder)}" aria-label="${escapeAttr(placeholder)}"${dataAttrs({ 'bk-external-query': String(minQuery) })}>`;
  const results = `<select class="bk-select bk-select--multi bk-external__results"${multiple ? ' multiple' : ''} size="6" aria-label="Matches" data-bk-external-results="">${chosen}</select>`;
  return `<div class="bk-external"${hooks(element, place)}${dataAttrs({ 'bk-external-multiple': String(multiple) })}>${query}${results}</div>`;
}

function placeholderAttr(element: JsonRecord): string {
  const placeholder = textOf(element['placeholder']);
  return placeholder ? ` placeholder="${escapeAttr(placeholder)}"` : '';
}

function textInput(element: JsonRecord, place: ElementPlace): string {
  const initial = str(element, 'initial_value') ?? '';
  const min = num(element, 'min_length');
  const max = num(element, 'max_length');
  const limits = `${min !== undefined ? ` minlength="${min}"` : ''}${max !== undefined ? ` maxlength="${max}"` : ''}`;
  if (bool(element, 'multiline')) {
    return `<textarea class="bk-textarea" rows="4"${placeholderAttr(element)}${limits}${hooks(element, place)}>${escapeHtml(initial)}</textarea>`;
  }
  return `<input class="bk-text" type="text" value="${escapeAttr(initial)}"${placeholderAttr(element)}${limits}${hooks(element, place)}>`;
}

function typedInput(element: JsonRecord, place: ElementPlace, type: 'email' | 'url'): string {
  const initial = str(element, 'initial_value') ?? '';
  return `<input class="bk-text" type="${type}" value="${escapeAttr(initial)}"${placeholderAttr(element)}${hooks(element, place)}>`;
}

function numberInput(element: JsonRecord, place: ElementPlace): string {
  const initial = str(element, 'initial_value') ?? '';
  const min = str(element, 'min_value');
  const max = str(element, 'max_value');
  const step = bool(element, 'is_decimal_allowed') ? 'any' : '1';
  const range = `${min !== undefined ? ` min="${escapeAttr(min)}"` : ''}${max !== undefined ? ` max="${escapeAttr(max)}"` : ''}`;
  return `<input class="bk-text bk-number" type="number" inputmode="decimal" step="${step}" value="${escapeAttr(initial)}"${range}${placeholderAttr(element)}${hooks(element, place)}>`;
}

function pickerInput(element: JsonRecord, place: ElementPlace, type: 'date' | 'time' | 'datetime-local', initial: string | undefined): string {
  return `<input class="bk-text bk-picker" type="${type}" value="${escapeAttr(initial ?? '')}"${hooks(element, place)}>`;
}

function choices(element: JsonRecord, place: ElementPlace, type: 'checkbox' | 'radio', ctx: RenderContext): string {
  const initial = initialValues(element);
  const name = `${place.domId ?? place.blockId}:${str(element, 'action_id') ?? ''}`;
  const items = optionsOf(element)
    .map((option) => {
      const description = rec(option.raw, 'description');
      const hint = description ? `<span class="bk-choice__hint">${escapeHtml(textOf(description))}</span>` : '';
      return `<label class="bk-choice"><input type="${type}" name="${escapeAttr(name)}" value="${escapeAttr(option.value)}"${initial.has(option.value) ? ' checked' : ''}><span>${labelOf(option.raw, ctx)}</span>${hint}</label>`;
    })
    .join('');
  // A <label for> cannot name a group of inputs; aria-labelledby can.
  const labelled = place.mode === 'input' && place.domId ? ` aria-labelledby="${escapeAttr(place.domId)}-label"` : '';
  return `<div class="bk-choices" role="${type === 'radio' ? 'radiogroup' : 'group'}"${labelled}${hooks(element, place)}>${items}</div>`;
}

/** Checkbox and radio labels may be mrkdwn; other option texts are plain. */
function labelOf(raw: JsonRecord, ctx: RenderContext): string {
  const text = rec(raw, 'text');
  return str(text, 'type') === 'mrkdwn' ? renderTextObject(text, ctx) : labelHtml(text);
}

export function imageElement(element: JsonRecord): string {
  const url = safeImageUrl(str(element, 'image_url') ?? '');
  const alt = str(element, 'alt_text') ?? '';
  if (!url) return `<span class="bk-unsupported" role="img" aria-label="${escapeAttr(alt)}">🖼 ${escapeHtml(alt || 'image')}</span>`;
  return `<img class="bk-img-element" src="${escapeAttr(url)}" alt="${escapeAttr(alt)}" loading="lazy" referrerpolicy="no-referrer">`;
}

/** The value a `datetime-local` input shows for a moment, in the page's own time zone. */
export function toDateTimeLocal(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
