import { z } from 'zod';
import { toSlackMessage } from '../conversations.js';
import type { FakeMessage } from '../types.js';
import { JsonObjectArraySchema, JsonObjectSchema, TsSchema } from '../schemas.js';
import type { SlackState } from '../state.js';
import { type MethodHandler, fail, ok, parseArgs } from './context.js';

const ContentShape = {
  text: z.string().optional(),
  blocks: JsonObjectArraySchema.optional(),
  attachments: JsonObjectArraySchema.optional(),
  metadata: JsonObjectSchema.optional(),
};
const CONTENT_ERRORS = { blocks: 'invalid_blocks', attachments: 'invalid_attachments', metadata: 'invalid_metadata' };

const PostMessageArgs = z.looseObject({
  channel: z.string().default(''),
  thread_ts: TsSchema.optional(),
  ...ContentShape,
});
const UpdateArgs = z.looseObject({ channel: z.string().default(''), ts: TsSchema.default(''), ...ContentShape });
const DeleteArgs = z.looseObject({ channel: z.string().default(''), ts: TsSchema.default('') });
const PostEphemeralArgs = PostMessageArgs.extend({ user: z.string().default('') });
const PermalinkArgs = z.looseObject({ channel: z.string().default(''), message_ts: TsSchema.default('') });

type Content = { text?: string; blocks?: unknown[]; attachments?: unknown[] };
/** Slack refuses a message with nothing to show; an empty blocks array does not count. */
const isEmpty = (c: Content): boolean => !c.text && !c.blocks?.length && !c.attachments?.length;

/** Only the app's own messages can be changed with a bot token. */
const isOwn = (state: SlackState, message: FakeMessage): boolean => message.bot_id === state.identity.botId;

const postMessage: MethodHandler = (args, state) => {
  const parsed = parseArgs(PostMessageArgs, args, CONTENT_ERRORS);
  if (!parsed.ok) return parsed.response;
  const { channel, thread_ts: threadTs, text, blocks, attachments, metadata } = parsed.data;
  if (channel === '') return fail('channel_not_found');
  if (isEmpty(parsed.data)) return fail('no_text');
  const message = state.postAsBot({
    channel: state.directory.resolveChannel(channel),
    text,
    blocks,
    attachments,
    metadata,
    threadTs,
  });
  return ok({ channel: message.channel, ts: message.ts, message: toSlackMessage(message) });
};

const update: MethodHandler = (args, state) => {
  const parsed = parseArgs(UpdateArgs, args, CONTENT_ERRORS);
  if (!parsed.ok) return parsed.response;
  const { channel, ts, text, blocks, attachments, metadata } = parsed.data;
  if (channel === '') return fail('channel_not_found');
  const existing = state.conversations.get(channel, ts);
  if (!existing) return fail('message_not_found');
  if (!isOwn(state, existing)) return fail('cant_update_message');
  if (text === undefined && blocks === undefined && attachments === undefined) return fail('no_text');
  const message = state.conversations.update(channel, ts, { text, blocks, attachments, metadata }, state.identity.botUserId);
  if (!message) return fail('message_not_found');
  return ok({ channel, ts, text: message.text, message: toSlackMessage(message) });
};

const remove: MethodHandler = (args, state) => {
  const parsed = parseArgs(DeleteArgs, args);
  if (!parsed.ok) return parsed.response;
  const { channel, ts } = parsed.data;
  if (channel === '') return fail('channel_not_found');
  const existing = state.conversations.get(channel, ts);
  if (!existing) return fail('message_not_found');
  if (!isOwn(state, existing)) return fail('cant_delete_message');
  state.conversations.delete(channel, ts);
  return ok({ channel, ts });
};

const postEphemeral: MethodHandler = (args, state) => {
  const parsed = parseArgs(PostEphemeralArgs, args, CONTENT_ERRORS);
  if (!parsed.ok) return parsed.response;
  const { channel, user, thread_ts: threadTs, text, blocks, attachments } = parsed.data;
  if (channel === '') return fail('channel_not_found');
  if (user === '') return fail('user_not_found');
  if (isEmpty(parsed.data)) return fail('no_text');
  const message = state.postEphemeralAsBot({
    channel: state.directory.resolveChannel(channel),
    visibleTo: user,
    text,
    blocks,
    attachments,
    threadTs,
  });
  return ok({ message_ts: message.ts });
};

const getPermalink: MethodHandler = (args, state) => {
  const parsed = parseArgs(PermalinkArgs, args);
  if (!parsed.ok) return parsed.response;
  const { channel, message_ts: ts } = parsed.data;
  if (channel === '') return fail('channel_not_found');
  if (!state.conversations.get(channel, ts)) return fail('message_not_found');
  const permalink = `https://${state.identity.teamDomain}.slack.com/archives/${channel}/p${ts.replace('.', '')}`;
  return ok({ channel, permalink });
};

export const chatMethods: Record<string, MethodHandler> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.delete': remove,
  'chat.postEphemeral': postEphemeral,
  'chat.getPermalink': getPermalink,
};
