import { required } from '../dom.js';
import { showToast } from '../toast.js';

/**
 * A message box: Enter sends, Shift+Enter adds a line. The text stays when sending fails, so
 * nothing typed is lost.
 */
export function wireComposer(form: HTMLFormElement, send: (text: string) => Promise<void>): void {
  const box = required(form, 'textarea', HTMLTextAreaElement);
  const submit = async () => {
    const text = box.value;
    if (text.trim() === '' || form.classList.contains('is-sending')) return;
    form.classList.add('is-sending');
    try {
      await send(text);
      box.value = '';
    } catch (error) {
      showToast(error instanceof Error ? error.message : String(error));
    } finally {
      form.classList.remove('is-sending');
      box.focus();
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void submit();
  });
  box.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void submit();
    }
  });
}
