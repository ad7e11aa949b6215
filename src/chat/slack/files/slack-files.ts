import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { UserFacingError } from '../../../access/errors.js';
import { downloadFile, FileTooLargeError } from '../../files/download.js';

/** What Warden needs of a shared file, from files.info. */
export interface SharedFile {
  id: string;
  name: string;
  size: number;
  urlPrivateDownload: string;
  /** Conversations it is shared in (public channels, private channels and MPIMs, DMs). */
  sharedIn: string[];
}

const FileInfoSchema = z.object({
  ok: z.literal(true),
  file: z.object({
    id: z.string(),
    name: z.string().optional(),
    title: z.string().optional(),
    size: z.number().int().nonnegative(),
    mode: z.string().optional(),
    url_private_download: z.url().optional(),
    channels: z.array(z.string()).default([]),
    groups: z.array(z.string()).default([]),
    ims: z.array(z.string()).default([]),
  }),
});

/**
 * Whether a download URL is Slack's own: the bot token goes only to Slack's file host (or to the
 * host of the Web API the client talks to, the fake in tests and the playground).
 */
function isSlackFileHost(url: string, apiUrl: string): boolean {
  try {
    const target = new URL(url);
    if (target.origin === new URL(apiUrl).origin) return true;
    return target.protocol === 'https:' && (target.hostname === 'files.slack.com' || target.hostname.endsWith('.slack.com'));
  } catch {
    return false;
  }
}

/** The Slack error code of a failed Web API call (WebClient throws with `data.error`). */
function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: unknown } | null)?.data;
  const parsed = z.object({ error: z.string() }).safeParse(data);
  return parsed.success ? parsed.data.error : undefined;
}

/**
 * Files people share with Warden in Slack: metadata through files.info (the Bolt app's WebClient),
 * content from url_private_download with the bot token as a bearer token. The token goes in that
 * header only; it is never logged or shown.
 */
export class SlackFiles {
  constructor(
    private readonly client: WebClient,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** The file, if Warden can read it from `channel` and it is at most `maxBytes`. */
  async info(fileId: string, options: { channel?: string; maxBytes: number }): Promise<SharedFile> {
    let raw: unknown;
    try {
      raw = await this.client.files.info({ file: fileId });
    } catch (error) {
      const code = slackErrorCode(error);
      if (code === 'file_not_found' || code === 'file_deleted') {
        throw new UserFacingError(`I cannot find that file (${code === 'file_deleted' ? 'it was deleted' : 'it is not shared with Warden'}). Upload it again in a DM with me, or in a channel I am in.`);
      }
      if (code === 'missing_scope' || code === 'not_allowed_token_type') {
        throw new UserFacingError('Warden is not allowed to read files in this workspace (the app lacks the `files:read` scope). Ask the platform team to reinstall it.');
      }
      throw error;
    }
    const parsed = FileInfoSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`files.info answered in an unexpected shape: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const file = parsed.data.file;
    const name = file.name ?? file.title ?? file.id;
    const sharedIn = [...file.channels, ...file.groups, ...file.ims];
    if (options.channel !== undefined && !sharedIn.includes(options.channel)) {
      throw new UserFacingError(`\`${name}\` is not shared in this conversation, so I cannot read it here. Upload it here, or in a DM with me.`);
    }
    if (!file.url_private_download || (file.mode !== undefined && file.mode !== 'hosted')) {
      throw new UserFacingError(`\`${name}\` is not a file I can download (a link or a Slack post). Upload the file itself.`);
    }
    if (file.size > options.maxBytes) throw new FileTooLargeError(name, options.maxBytes);
    return { id: file.id, name, size: file.size, urlPrivateDownload: file.url_private_download, sharedIn };
  }

  /** The content as a stream of chunks, stopped with FileTooLargeError past `maxBytes`. */
  async open(file: SharedFile, maxBytes: number): Promise<AsyncIterable<Buffer>> {
    const token = this.client.token;
    if (!token) throw new Error('The Slack client has no bot token to download files with.');
    if (!isSlackFileHost(file.urlPrivateDownload, this.client.slackApiUrl)) {
      throw new UserFacingError(`\`${file.name}\` is not stored by Slack, so I will not download it with Warden's Slack token.`);
    }
    return downloadFile({ url: file.urlPrivateDownload, name: file.name, headers: { Authorization: `Bearer ${token}` }, maxBytes, fetch: this.fetchImpl });
  }
}
