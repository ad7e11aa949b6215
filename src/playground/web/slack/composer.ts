import { required } from '../dom.js';
import { showToast } from '../toast.js';

/** A file chosen in the composer, read as text (policy files and scanner output are text). */
export interface ComposerFile {
  name: string;
  text: string;
}

/**
 * A message box: Enter sends, Shift+Enter adds a line. The text stays when sending fails, so
 * nothing typed is lost. A form with an `input[type=file]` can attach one file to the message.
 */
export function wireComposer(form: HTMLFormElement, send: (text: string, file?: ComposerFile) => Promise<void>): void {
  const box = required(form, 'textarea', HTMLTextAreaElement);
  const picker = form.querySelector('input[type="file"]');
  const attach = picker instanceof HTMLInputElement ? picker : undefined;
  const chosen = form.querySelector('[data-attached]');
  const showChosen = () => {
    if (chosen) chosen.textContent = attach?.files?.[0] ? `📎 ${attach.files[0].name}` : '';
  };
  attach?.addEventListener('change', showChosen);
  const submit = async () => {
    const text = box.value;
    const picked = attach?.files?.[0];
    if ((text.trim() === '' && !picked) || form.classList.contains('is-sending')) return;
    form.classList.add('is-sending');
    try {
      await send(text, picked ? { name: picked.name, text: await picked.text() } : undefined);
      box.value = '';
      if (attach) attach.value = '';
      showChosen();
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
