import { expect, it } from 'vitest';
import { describeInChromium, startBrowserPlayground } from './support/browser-playground.js';
import { channelPane, openConversation, PEOPLE, waitForMessage } from './support/flows.js';

describeInChromium('the Slack tab’s attach-file control in Chromium', { warnWhenSkipped: false }, (browser) => {
  it('attaches a file to a DM: the message shows it and Warden answers the upload', async () => {
    const session = await startBrowserPlayground(browser(), { as: PEOPLE.dave });
    try {
      const { page } = session;
      await openConversation(page, 'Warden');
      const form = page.locator('form[data-composer="channel"]');
      await form.locator('input[type="file"]').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": "world"}') });
      expect(await form.locator('[data-attached]').textContent()).toBe('📎 notes.json');
      await form.locator('textarea').fill('what can you do with this');
      await form.locator('textarea').press('Enter');
      await page.locator('form[data-composer="channel"]:not(.is-sending) textarea').waitFor();

      const upload = await waitForMessage(channelPane(page), /what can you do with this/);
      // Sent: the attachment is cleared with the text.
      expect(await form.locator('[data-attached]').textContent()).toBe('');
      expect(await upload.locator('.msg__file').textContent()).toContain('notes.json');
      await upload.getByRole('button', { name: /1 reply/ }).click();
      await waitForMessage(page.locator('.slack__thread'), /can't tell what to do with that file/);
      expect(session.pageErrors).toEqual([]);
    } finally {
      await session.close();
    }
  }, 90_000);
});
