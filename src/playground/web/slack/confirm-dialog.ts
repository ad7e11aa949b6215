import { renderConfirm, type RenderContext } from '../../block-kit/index.js';
import { closest, setHtml } from '../dom.js';

/**
 * Asks before a click is sent, as Slack does for an element with a `confirm` object. Resolves
 * true for the confirm button, false for deny, Escape or a click outside.
 */
export function askToConfirm(confirm: unknown, ctx: RenderContext): Promise<boolean> {
  const overlay = document.createElement('div');
  overlay.className = 'overlay overlay--confirm';
  setHtml(overlay, renderConfirm(confirm, ctx));
  document.body.append(overlay);
  overlay.querySelector<HTMLButtonElement>('[data-bk-confirm="confirm"]')?.focus();
  return new Promise((resolve) => {
    const finish = (answer: boolean) => {
      overlay.remove();
      document.removeEventListener('keydown', onKey);
      resolve(answer);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') finish(false);
    };
    document.addEventListener('keydown', onKey);
    overlay.addEventListener('click', (event) => {
      const button = closest(event.target, '[data-bk-confirm]');
      if (button) finish(button.getAttribute('data-bk-confirm') === 'confirm');
      else if (event.target === overlay) finish(false);
    });
  });
}
