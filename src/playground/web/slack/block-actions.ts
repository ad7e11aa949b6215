import { findElement, type RawInputValue, type RenderContext } from '../../block-kit/index.js';
import type { BlockActionRequest } from '../../server/api-schemas.js';
import { api } from '../api-client.js';
import { closest } from '../dom.js';
import { showToast } from '../toast.js';
import { askToConfirm } from './confirm-dialog.js';

export type ActionTarget = BlockActionRequest['target'];

export interface BlockActionDeps {
  ctx(): RenderContext;
  actingAs(): string;
  /** The blocks of the message or modal an element was used in, as the page last fetched them. */
  blocksOf(target: ActionTarget): unknown;
  changed(): Promise<void>;
}

/** The message or open modal an interactive element sits in. */
function targetOf(control: HTMLElement): ActionTarget | undefined {
  const modal = closest(control, '[data-view-id]');
  const viewId = modal?.getAttribute('data-view-id');
  if (viewId) return { kind: 'view', viewId };
  const message = closest(control, '[data-ts][data-channel]');
  const channel = message?.getAttribute('data-channel');
  const ts = message?.getAttribute('data-ts');
  return channel && ts ? { kind: 'message', channel, ts } : undefined;
}

function selectionOf(control: HTMLElement): RawInputValue | undefined {
  const option = control.getAttribute('data-option-value');
  if (option !== null) return option;
  if (control instanceof HTMLSelectElement) return control.multiple ? [...control.selectedOptions].map((o) => o.value) : control.value || null;
  if (control instanceof HTMLInputElement) return control.value || null;
  return undefined;
}

/**
 * Buttons, overflow menus, selects and pickers in messages and modals: each use becomes a
 * block_actions payload, after the element's confirm dialog when it has one.
 */
export function wireBlockActions(root: HTMLElement, deps: BlockActionDeps): void {
  const use = async (control: HTMLElement) => {
    const target = targetOf(control);
    const actionId = control.getAttribute('data-action-id');
    const blockId = control.getAttribute('data-block-id') ?? undefined;
    if (!target || !actionId) return;
    const found = findElement(deps.blocksOf(target), actionId, blockId);
    if (found && 'confirm' in found.element && !(await askToConfirm(found.element['confirm'], deps.ctx()))) return;
    const url = control.getAttribute('data-url');
    // A link button opens its page and still tells the app, as in Slack.
    if (url) window.open(url, '_blank', 'noopener,noreferrer');
    const selection = selectionOf(control);
    control.classList.add('is-busy');
    try {
      await api.blockAction({ as: deps.actingAs(), actionId, ...(blockId && { blockId }), target, ...(selection !== undefined && { selection }) });
      await deps.changed();
    } catch (error) {
      showToast(error instanceof Error ? error.message : String(error));
    } finally {
      control.classList.remove('is-busy');
    }
  };

  root.addEventListener('click', (event) => {
    const control = closest(event.target, 'button[data-bk-action]');
    if (!control || control.classList.contains('is-busy')) return;
    control.closest('details')?.removeAttribute('open');
    void use(control);
  });
  root.addEventListener('change', (event) => {
    const control = closest(event.target, 'select[data-bk-action], input[data-bk-action]');
    if (control) void use(control);
  });
}
