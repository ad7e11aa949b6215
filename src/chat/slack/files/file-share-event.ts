import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { UserFacingError } from '../../../access/errors.js';
import { notice } from '../../cards/request-cards.js';
import { parseFileCommand, type FileCommand } from '../../files/file-command.js';
import { renderBlocks } from '../blocks.js';

/** A `message` event with subtype `file_share`: someone shared files with words beside them. */
export interface FileShare {
  user: string;
  channel: string;
  /** Where answers go: the thread the upload is in, or a new thread under it. */
  threadTs: string;
  isDm: boolean;
  text: string;
  fileIds: string[];
  command: FileCommand | undefined;
}

const FileShareSchema = z.object({
  subtype: z.literal('file_share'),
  user: z.string(),
  channel: z.string(),
  channel_type: z.string().optional(),
  ts: z.string(),
  thread_ts: z.string().optional(),
  text: z.string().default(''),
  files: z.array(z.object({ id: z.string() })).default([]),
});

/** The upload, parsed; undefined for anything else (other subtypes, bot posts). */
export function fileShareOf(message: unknown): FileShare | undefined {
  const parsed = FileShareSchema.safeParse(message);
  if (!parsed.success) return undefined;
  const m = parsed.data;
  return {
    user: m.user,
    channel: m.channel,
    threadTs: m.thread_ts ?? m.ts,
    isDm: m.channel_type === 'im',
    text: m.text,
    fileIds: m.files.map((f) => f.id),
    command: parseFileCommand(m.text),
  };
}

/** The one file a command works on: more than one is ambiguous, so it is refused rather than guessed. */
export function onlyFile(share: FileShare): string {
  const [first, ...others] = share.fileIds;
  if (!first) throw new UserFacingError('I see no file with that message. Attach the file to the message itself.');
  if (others.length > 0) throw new UserFacingError(`You shared ${share.fileIds.length} files; send one file per message so it is clear which one to use.`);
  return first;
}

/** Answers in the upload's thread, visible to everyone there (a DM: only the uploader and Warden). */
export async function replyInThread(client: WebClient, share: FileShare, text: string): Promise<void> {
  const { blocks, text: fallback } = renderBlocks(notice(text));
  await client.chat.postMessage({ channel: share.channel, thread_ts: share.threadTs, text: fallback, blocks });
}
