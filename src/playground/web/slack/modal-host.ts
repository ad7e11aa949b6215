import { renderModal, validateInputs, type RenderContext } from '../../block-kit/index.js';
import type { PageModal } from '../../api-types.js';
import { api } from '../api-client.js';
import { closest, setHtml } from '../dom.js';
import { showToast } from '../toast.js';
import { ExternalSelects } from './external-select.js';
import { readInputs, showFieldErrors } from './form-values.js';

export interface ModalHostDeps {
  ctx(): RenderContext;
  actingAs(): string;
  /** The modal may have closed or changed: fetch the state again. */
  changed(): Promise<void>;
}

/**
 * Shows the acting person's open modal as a dialog. It is re-rendered only when the view itself
 * changes (another id, or a new hash after views.update), so live refreshes never wipe what the
 * person is typing.
 */
export class ModalHost {
  private shown: { id: string; hash: string; blocks: unknown } | null = null;

  constructor(
    private readonly overlay: HTMLElement,
    private readonly deps: ModalHostDeps,
  ) {
    overlay.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit();
    });
    overlay.addEventListener('click', (event) => {
      if (closest(event.target, '[data-bk-modal="close"]')) void this.close();
    });
    overlay.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') void this.close();
    });
    new ExternalSelects(overlay, { actingAs: () => deps.actingAs(), viewId: () => this.shown?.id });
  }

  show(modal: PageModal | null): void {
    if (!modal) {
      this.shown = null;
      this.overlay.hidden = true;
      setHtml(this.overlay, '');
      return;
    }
    if (this.shown?.id === modal.id && this.shown.hash === modal.hash) return;
    const view = modal.view;
    this.shown = { id: modal.id, hash: modal.hash, blocks: view !== null && typeof view === 'object' && 'blocks' in view ? view.blocks : [] };
    setHtml(this.overlay, renderModal(modal.view, this.deps.ctx()));
    this.overlay.hidden = false;
    this.overlay.querySelector<HTMLElement>('[data-bk-control]')?.focus();
  }

  private form(): HTMLFormElement | null {
    return this.overlay.querySelector('form[data-bk-modal-form]');
  }

  private async submit(): Promise<void> {
    const form = this.form();
    const shown = this.shown;
    if (!form || !shown || form.classList.contains('is-sending')) return;
    const values = readInputs(form);
    // A Slack client checks required fields and lengths itself before anything is sent.
    const local = validateInputs(shown.blocks, values);
    showFieldErrors(form, local);
    if (Object.keys(local).length > 0) return;
    form.classList.add('is-sending');
    try {
      const result = await api.submitView({ as: this.deps.actingAs(), viewId: shown.id, values });
      showFieldErrors(form, result.errors);
      await this.deps.changed();
    } catch (error) {
      showToast(error instanceof Error ? error.message : String(error));
    } finally {
      form.classList.remove('is-sending');
    }
  }

  private async close(): Promise<void> {
    if (!this.shown) return;
    try {
      await api.closeView({ as: this.deps.actingAs(), viewId: this.shown.id });
    } catch (error) {
      showToast(error instanceof Error ? error.message : String(error));
    }
    await this.deps.changed();
  }
}
