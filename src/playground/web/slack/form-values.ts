import type { RawInputs, RawInputValue } from '../../block-kit/index.js';

/** What one rendered control holds, in the shape block-kit/view-state.ts expects. */
function readControl(control: Element): RawInputValue {
  // An external select: what is chosen is in its list of matches, not in its search box.
  const matches = control.querySelector('select[data-bk-external-results]');
  if (matches instanceof HTMLSelectElement) {
    const chosen = [...matches.selectedOptions].map((o) => o.value);
    return matches.multiple ? chosen : (chosen[0] ?? null);
  }
  if (control instanceof HTMLSelectElement) {
    if (control.multiple) return [...control.selectedOptions].map((o) => o.value);
    return control.value === '' ? null : control.value;
  }
  if (control instanceof HTMLInputElement && control.type === 'datetime-local') {
    // Slack sends Unix seconds; the browser knows the person's time zone, so it converts here.
    const time = control.value ? new Date(control.value).getTime() : NaN;
    return Number.isNaN(time) ? null : String(Math.floor(time / 1000));
  }
  if (control instanceof HTMLInputElement || control instanceof HTMLTextAreaElement) return control.value;
  const choices = [...control.querySelectorAll('input')].filter((input) => input.checked).map((input) => input.value);
  if (control.getAttribute('data-bk-control') === 'radio_buttons') return choices[0] ?? null;
  return choices;
}

/** The values of a modal's input blocks, by block id and action id, as Slack's view state keys them. */
export function readInputs(form: ParentNode): RawInputs {
  const values: Record<string, Record<string, RawInputValue>> = {};
  for (const field of form.querySelectorAll('[data-bk-input]')) {
    const blockId = field.getAttribute('data-block-id') ?? '';
    const actionId = field.getAttribute('data-action-id') ?? '';
    const control = field.querySelector('[data-bk-control]');
    if (!control) continue;
    values[blockId] = { ...values[blockId], [actionId]: readControl(control) };
  }
  return values;
}

/** Shows (or clears) the message under each field, without touching what the person typed. */
export function showFieldErrors(form: ParentNode, errors: Readonly<Record<string, string>>): void {
  for (const field of form.querySelectorAll('[data-bk-input]')) {
    const message = errors[field.getAttribute('data-block-id') ?? ''];
    field.querySelector('.bk-input__error')?.remove();
    field.classList.toggle('bk-input__field--invalid', message !== undefined);
    if (message === undefined) continue;
    const error = document.createElement('p');
    error.className = 'bk-input__error';
    error.setAttribute('role', 'alert');
    error.textContent = message;
    field.append(error);
  }
}
