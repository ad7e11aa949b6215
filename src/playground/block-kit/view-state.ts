import type { Json, JsonObject } from '../fake-slack/json.js';
import { blockIdOf } from './blocks.js';
import { bool, isRecord, num, rec, str, type JsonRecord } from './json-read.js';
import { findOption } from './options.js';
import { textOf } from './text-object.js';

/**
 * What the page reads from a form control: a string (text, number, date, a select's value; a
 * datetimepicker's value as Unix seconds, converted in the browser's time zone), a list (multi
 * select, checkboxes), or null (nothing chosen).
 */
export type RawInputValue = string | string[] | null;
/** By block_id, then action_id, as Slack keys `view.state.values`. */
export type RawInputs = Readonly<Record<string, Readonly<Record<string, RawInputValue>>>>;

export type StateEntry = { type: string } & JsonObject;
export type ViewStateValues = Record<string, Record<string, StateEntry>>;

export interface InputField {
  blockId: string;
  actionId: string;
  type: string;
  element: JsonRecord;
  optional: boolean;
  label: string;
}

/** The input blocks of a view, with their block ids as the page names them. */
export function inputFields(blocks: unknown): InputField[] {
  if (!Array.isArray(blocks)) return [];
  return blocks.flatMap((block, index) => {
    const element = rec(block, 'element');
    const type = str(element, 'type');
    if (str(block, 'type') !== 'input' || !element || !type) return [];
    return [{ blockId: blockIdOf(block, index), actionId: str(element, 'action_id') ?? '', type, element, optional: bool(block, 'optional'), label: textOf(rec(block, 'label')) }];
  });
}

const listOf = (raw: RawInputValue | undefined): string[] => (Array.isArray(raw) ? raw : typeof raw === 'string' && raw !== '' ? [raw] : []);
const oneOf = (raw: RawInputValue | undefined): string | null => (typeof raw === 'string' && raw !== '' ? raw : Array.isArray(raw) && raw[0] ? raw[0] : null);

/** Only plain JSON survives: the option objects Slack echoes back are copied from the bot's JSON. */
export function toJson(value: unknown): Json {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map(toJson);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, toJson(v)]));
  return null;
}

const optionJson = (element: JsonRecord, value: string): Json | undefined => {
  const option = findOption(element, value);
  return option ? toJson(option.raw) : undefined;
};

const externalOption = (value: string): JsonObject => ({ text: { type: 'plain_text', text: value }, value });

/**
 * The state entry Slack sends for one element, from what the user entered: `value` for text and
 * numbers, `selected_option(s)` echoing the option objects, `selected_date(_time)`/`selected_time`.
 */
export function stateEntry(type: string, element: JsonRecord, raw: RawInputValue | undefined): StateEntry {
  switch (type) {
    case 'static_select':
    case 'radio_buttons': {
      const value = oneOf(raw);
      return { type, selected_option: (value === null ? undefined : optionJson(element, value)) ?? null };
    }
    case 'multi_static_select':
    case 'checkboxes':
      return { type, selected_options: listOf(raw).flatMap((value) => optionJson(element, value) ?? []) };
    // The options came from the app, not the view: Slack echoes them; the page knows their values only.
    case 'external_select': {
      const value = oneOf(raw);
      return { type, selected_option: value === null ? null : externalOption(value) };
    }
    case 'multi_external_select':
      return { type, selected_options: listOf(raw).map(externalOption) };
    case 'datepicker':
      return { type, selected_date: oneOf(raw) };
    case 'timepicker':
      return { type, selected_time: oneOf(raw) };
    case 'datetimepicker': {
      const seconds = Number(oneOf(raw));
      return { type, selected_date_time: oneOf(raw) !== null && Number.isFinite(seconds) ? Math.trunc(seconds) : null };
    }
    default:
      // plain_text_input, number_input, email_text_input, url_text_input: Slack sends null when empty.
      return { type, value: oneOf(raw) };
  }
}

/** `view.state.values` for a submission: every input block of the view, filled from `raw`. */
export function buildViewState(blocks: unknown, raw: RawInputs): ViewStateValues {
  const values: ViewStateValues = {};
  for (const field of inputFields(blocks)) {
    const entry = stateEntry(field.type, field.element, raw[field.blockId]?.[field.actionId]);
    values[field.blockId] = { ...values[field.blockId], [field.actionId]: entry };
  }
  return values;
}

/**
 * The checks a Slack client makes before it sends a submission (required fields, lengths, number
 * ranges), with an error per block id. The bot's own `response_action: errors` come on top.
 */
export function validateInputs(blocks: unknown, raw: RawInputs): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const field of inputFields(blocks)) {
    const message = checkField(field, raw[field.blockId]?.[field.actionId]);
    if (message) errors[field.blockId] = message;
  }
  return errors;
}

/** Inputs the page renders as controls; one it cannot show cannot be filled in, so it is not checked. */
const FILLABLE = new Set([
  'plain_text_input', 'number_input', 'email_text_input', 'url_text_input', 'static_select', 'multi_static_select',
  'datepicker', 'timepicker', 'datetimepicker', 'checkboxes', 'radio_buttons', 'external_select', 'multi_external_select',
]);

function checkField(field: InputField, raw: RawInputValue | undefined): string | undefined {
  if (!FILLABLE.has(field.type)) return undefined;
  const values = listOf(raw);
  const text = typeof raw === 'string' ? raw : '';
  if (values.length === 0 || (typeof raw === 'string' && raw.trim() === '')) {
    return field.optional ? undefined : 'Please complete this required field.';
  }
  const { element } = field;
  switch (field.type) {
    case 'plain_text_input': {
      const min = num(element, 'min_length');
      const max = num(element, 'max_length');
      if (min !== undefined && text.length < min) return `Please enter at least ${min} characters.`;
      if (max !== undefined && text.length > max) return `Please enter no more than ${max} characters.`;
      return undefined;
    }
    case 'number_input': {
      const value = Number(text);
      if (!Number.isFinite(value)) return 'Please enter a number.';
      if (!bool(element, 'is_decimal_allowed') && !Number.isInteger(value)) return 'Please enter a whole number.';
      const min = num(element, 'min_value');
      const max = num(element, 'max_value');
      if (min !== undefined && value < min) return `Please enter a number of at least ${min}.`;
      if (max !== undefined && value > max) return `Please enter a number of at most ${max}.`;
      return undefined;
    }
    case 'email_text_input':
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text) ? undefined : 'Please enter an email address.';
    case 'url_text_input':
      return /^https?:\/\/\S+$/i.test(text) ? undefined : 'Please enter a URL.';
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes': {
      const max = num(element, 'max_selected_items');
      return max !== undefined && values.length > max ? `Please choose no more than ${max}.` : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The fields a block_actions payload's action carries for a choice made in a menu, picker or
 * choice list (a button click carries none: its value is the element's own).
 */
export function actionSelection(element: JsonRecord, raw: RawInputValue): JsonObject {
  const type = str(element, 'type') ?? 'button';
  if (type === 'button') return {};
  if (type === 'overflow') {
    const value = oneOf(raw);
    return { type, selected_option: (value === null ? undefined : optionJson(element, value)) ?? null };
  }
  const { type: _type, ...fields } = stateEntry(type, element, raw);
  return { type, ...fields };
}
