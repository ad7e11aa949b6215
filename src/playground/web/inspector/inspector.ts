import { api } from '../api-client.js';
import { closest, required, setHtml } from '../dom.js';
import { showToast } from '../toast.js';
import { renderAuditPanel } from './audit-panel.js';
import { renderAwsPanel } from './aws-panel.js';

const SKELETON = `
<div class="inspector__tabs" role="tablist" aria-label="What Warden did">
  <button type="button" role="tab" class="inspector__tab" data-inspector-tab="aws" aria-selected="true">AWS (dry run) <span class="inspector__count" data-count="aws">0</span></button>
  <button type="button" role="tab" class="inspector__tab" data-inspector-tab="audit" aria-selected="false">Audit <span class="inspector__count" data-count="audit">0</span></button>
</div>
<section class="inspector__panel" role="tabpanel" data-inspector-panel="aws" aria-label="AWS (dry run)"></section>
<section class="inspector__panel" role="tabpanel" data-inspector-panel="audit" aria-label="Audit" hidden></section>`;

/**
 * The side panel: what the dry-run granter would have called in AWS, and the audit log. Shared
 * by every platform tab, since both come from Warden's store, not from the chat.
 */
export class Inspector {
  private loading: Promise<void> | undefined;
  private again = false;
  private readonly rendered = new Map<string, string>();

  constructor(private readonly root: HTMLElement) {
    setHtml(root, SKELETON);
    root.addEventListener('click', (event) => {
      const tab = closest(event.target, '[data-inspector-tab]');
      if (tab) this.show(tab.getAttribute('data-inspector-tab') ?? 'aws');
    });
  }

  show(name: string): void {
    for (const tab of this.root.querySelectorAll('[data-inspector-tab]')) tab.setAttribute('aria-selected', String(tab.getAttribute('data-inspector-tab') === name));
    for (const panel of this.root.querySelectorAll<HTMLElement>('[data-inspector-panel]')) panel.hidden = panel.getAttribute('data-inspector-panel') !== name;
  }

  refresh(): Promise<void> {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = (async () => {
      do {
        this.again = false;
        try {
          const [calls, events] = await Promise.all([api.awsCalls(), api.audit()]);
          this.update('aws', renderAwsPanel(calls), calls.length);
          this.update('audit', renderAuditPanel(events), events.length);
        } catch (error) {
          showToast(`Could not load the audit log: ${error instanceof Error ? error.message : String(error)}`);
        }
      } while (this.again);
      this.loading = undefined;
    })();
    return this.loading;
  }

  /** Re-renders a panel only when it changed, so open or closed details stay as the reader left them. */
  private update(name: 'aws' | 'audit', html: string, count: number): void {
    const panel = required(this.root, `[data-inspector-panel="${name}"]`, HTMLElement);
    if (this.rendered.get(name) !== html) {
      this.rendered.set(name, html);
      setHtml(panel, html);
    }
    required(this.root, `[data-count="${name}"]`, HTMLElement).textContent = String(count);
  }
}
