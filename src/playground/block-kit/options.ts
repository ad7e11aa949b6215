import { isRecord, records, rec, str, type JsonRecord } from './json-read.js';

/** One choice of a select, overflow, checkbox or radio element. */
export interface BlockOption {
  value: string;
  /** The option object exactly as the bot sent it, which Slack echoes back in payloads. */
  raw: JsonRecord;
}

/** Options of an element, flattening `option_groups`; options without a value are skipped. */
export function optionsOf(element: unknown): BlockOption[] {
  const direct = records(element, 'options');
  const grouped = records(element, 'option_groups').flatMap((group) => records(group, 'options'));
  return [...direct, ...grouped].flatMap((raw) => {
    const value = str(raw, 'value');
    return value === undefined ? [] : [{ value, raw }];
  });
}

export function findOption(element: unknown, value: string): BlockOption | undefined {
  return optionsOf(element).find((option) => option.value === value);
}

/** Values of `initial_option` / `initial_options`, to preselect them. */
export function initialValues(element: unknown): Set<string> {
  const values = new Set<string>();
  const single = str(rec(element, 'initial_option'), 'value');
  if (single !== undefined) values.add(single);
  for (const option of records(element, 'initial_options')) {
    const value = str(option, 'value');
    if (value !== undefined) values.add(value);
  }
  return values;
}

export function hasOptions(element: unknown): boolean {
  return isRecord(element) && optionsOf(element).length > 0;
}
