import { element } from './dom.js';

/** A short message at the bottom of the page, e.g. when the server refused something. */
export function showToast(message: string, kind: 'error' | 'info' = 'error'): void {
  let host = document.querySelector('.toasts');
  if (!host) {
    host = element('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' });
    document.body.append(host);
  }
  const toast = element('div', { class: `toast toast--${kind}` }, message);
  host.append(toast);
  setTimeout(() => toast.remove(), 6000);
}
