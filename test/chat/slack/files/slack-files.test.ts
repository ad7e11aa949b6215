import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileTooLargeError, readText } from '../../../../src/chat/files/download.js';
import { SlackFiles } from '../../../../src/chat/slack/files/slack-files.js';
import { FakeSlackWebApi } from '../../../../src/playground/fake-slack/index.js';

const BOT_TOKEN = 'xoxb-files-test';
const USER = 'U0ANA';
let fake: FakeSlackWebApi;

beforeEach(async () => {
  fake = await FakeSlackWebApi.start({ botToken: BOT_TOKEN, users: [{ id: USER, name: 'ana' }], channels: [{ id: 'C0GENERAL', name: 'general' }] });
});

afterEach(async () => {
  await fake.close();
});

function files(token = BOT_TOKEN): SlackFiles {
  return new SlackFiles(new WebClient(token, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } }));
}

/** A file the user put and shared in their DM, as an upload there leaves it. */
function sharedFile(content: string, channel = fake.dmChannelOf(USER)): string {
  const file = fake.putFile({ user: USER, name: 'guardrails.yaml', content });
  fake.postUserMessage({ user: USER, channel, text: 'guardrails set', files: [file.id] });
  return file.id;
}

describe('SlackFiles', () => {
  it('reads a shared file’s metadata and content with the bot token', async () => {
    const id = sharedFile('# comment\ndeniedActions: []\n');
    const dm = fake.dmChannelOf(USER);
    const info = await files().info(id, { channel: dm, maxBytes: 1024 });
    expect(info).toMatchObject({ id, name: 'guardrails.yaml', size: 28, sharedIn: [dm] });
    expect(await readText(await files().open(info, 1024))).toBe('# comment\ndeniedActions: []\n');
    expect(fake.callsTo('file_download').map((c) => c.args)).toEqual([{ file: id, authorized: true }]);
  });

  it('the download is refused without the bot token, and the error names the status', async () => {
    const id = sharedFile('text');
    const info = await files().info(id, { maxBytes: 1024 });
    await expect(files('xoxb-someone-else').open(info, 1024)).rejects.toThrow(/Downloading `guardrails\.yaml` failed \(HTTP 403\)/);
    // Nor is the token sent anywhere but Slack's own file host.
    await expect(files().open({ ...info, urlPrivateDownload: 'http://127.0.0.2:9/files-pri/T-F1/download/x' }, 1024)).rejects.toThrow(/not stored by Slack/);
    const raw = await fetch(info.urlPrivateDownload);
    expect(raw.status).toBe(403);
    expect(fake.callsTo('file_download').map((c) => c.args['authorized'])).toEqual([false, false]);
  });

  it('a file not shared with Warden, a deleted one, or one shared elsewhere is refused with what to do', async () => {
    const unshared = fake.putFile({ user: USER, name: 'secret.yaml', content: 'x' });
    await expect(files().info(unshared.id, { maxBytes: 1024 })).rejects.toThrow(/it is not shared with Warden.*Upload it again/);
    const deleted = sharedFile('x');
    fake.deleteFile(deleted);
    await expect(files().info(deleted, { maxBytes: 1024 })).rejects.toThrow(/it was deleted/);
    const elsewhere = sharedFile('x', 'C0GENERAL');
    await expect(files().info(elsewhere, { channel: fake.dmChannelOf(USER), maxBytes: 1024 })).rejects.toThrow(/not shared in this conversation/);
  });

  it('a file over the cap is refused from its size, and a stream that grows past it stops', async () => {
    const id = sharedFile('x'.repeat(2048));
    await expect(files().info(id, { maxBytes: 1024 })).rejects.toBeInstanceOf(FileTooLargeError);
    const info = await files().info(id, { maxBytes: 4096 });
    // Metadata can be stale: the download's own length is checked too.
    await expect(files().open({ ...info, size: 10 }, 1024)).rejects.toThrow(/larger than 1 KB/);
  });
});
