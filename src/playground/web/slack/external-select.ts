import type { SuggestResult } from '../../api-types.js';
import { api } from '../api-client.js';
import { closest, element } from '../dom.js';
import { showToast } from '../toast.js';
import { readInputs } from './form-values.js';

/** Slack waits for a pause in typing before it asks the app; so does the page. */
const TYPING_PAUSE_MS = 250;

export interface ExternalSelectDeps {
  actingAs(): string;
  /** The open modal's view id, if any. */
  viewId(): string | undefined;
}

/**
 * External selects in the open modal: typed text goes to the app as a block_suggestion (through
 * the playground server and the fake Slack), and its options replace the list of matches. Matches
 * already chosen stay, so a second search adds to the first.
 */
export class ExternalSelects {
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Only the answer to the latest search is shown. */
  private latest = 0;

  constructor(
    root: HTMLElement,
    private readonly deps: ExternalSelectDeps,
  ) {
    root.addEventListener('input', (event) => {
      const query = closest(event.target, '[data-bk-external-query]');
      if (!(query instanceof HTMLInputElement)) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.search(query), TYPING_PAUSE_MS);
    });
  }

  private async search(query: HTMLInputElement): Promise<void> {
    const field = query.closest('[data-bk-input]');
    const matches = query.parentElement?.querySelector('select[data-bk-external-results]');
    const form = query.closest('form');
    const viewId = this.deps.viewId();
    if (!field || !(matches instanceof HTMLSelectElement) || !form || !viewId) return;
    const search = ++this.latest;
    const minimum = Number(query.getAttribute('data-bk-external-query') ?? '1');
    if (query.value.trim().length < minimum) {
      showMatches(matches, []);
      return;
    }
    try {
      const answer = await api.suggest({
        as: this.deps.actingAs(),
        viewId,
        blockId: field.getAttribute('data-block-id') ?? '',
        actionId: field.getAttribute('data-action-id') ?? '',
        value: query.value,
        values: readInputs(form),
      });
      if (search === this.latest) showMatches(matches, answer.groups);
    } catch (error) {
      showToast(error instanceof Error ? error.message : String(error));
    }
  }
}

/** The chosen options first, still chosen, then the new matches by group. */
function showMatches(matches: HTMLSelectElement, groups: SuggestResult['groups']): void {
  const chosen = [...matches.selectedOptions].map((o) => ({ value: o.value, text: o.textContent ?? o.value }));
  const kept = new Set(chosen.map((c) => c.value));
  const nodes: Element[] = chosen.map((c) => {
    const option = element('option', { value: c.value }, c.text);
    option.selected = true;
    return option;
  });
  for (const group of groups) {
    const options = group.options
      .filter((o) => !kept.has(o.value))
      .map((o) => element('option', { value: o.value, ...(o.description ? { title: o.description } : {}) }, o.text));
    if (options.length === 0) continue;
    if (group.label === '') nodes.push(...options);
    else {
      const optgroup = element('optgroup', { label: group.label });
      optgroup.append(...options);
      nodes.push(optgroup);
    }
  }
  if (nodes.length === 0) nodes.push(element('option', { disabled: '' }, 'No matches'));
  matches.replaceChildren(...nodes);
}
