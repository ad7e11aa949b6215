import { z } from 'zod';
import { toSlackMessage } from '../conversations.js';
import { TsSchema } from '../schemas.js';
import { type MethodHandler, compact, fail, ok, parseArgs } from './context.js';

/** `users` is a comma-separated string in Slack's API; WebClient may also send a JSON array. */
const UsersSchema = z
  .union([z.string(), z.array(z.string())])
  .transform((users) => (Array.isArray(users) ? users : users.split(',')).map((u) => u.trim()).filter(Boolean));

const OpenArgs = z.looseObject({ users: UsersSchema.optional(), channel: z.string().optional() });
const ChannelArgs = z.looseObject({ channel: z.string().default('') });
const HistoryArgs = ChannelArgs.extend({ limit: z.coerce.number().int().positive().default(100) });
const RepliesArgs = ChannelArgs.extend({ ts: TsSchema.default('') });

const open: MethodHandler = (args, state) => {
  const parsed = parseArgs(OpenArgs, args);
  if (!parsed.ok) return parsed.response;
  const { users, channel } = parsed.data;
  if (channel) return ok({ channel: { id: channel }, no_op: true, already_open: true });
  if (!users?.length) return fail('users_list_not_supplied');
  if (users.some((user) => !/^[UW][A-Z0-9]+$/.test(user))) return fail('user_not_found');
  const { id, alreadyOpen } = state.directory.openConversation(users);
  return ok({ channel: { id }, ...(alreadyOpen && { no_op: true, already_open: true }) });
};

const info: MethodHandler = (args, state) => {
  const parsed = parseArgs(ChannelArgs, args);
  if (!parsed.ok) return parsed.response;
  const { channel } = parsed.data;
  if (channel === '') return fail('channel_not_found');
  const kind = state.directory.channelKind(channel);
  const dmUser = kind === 'im' ? channel.slice(1) : undefined;
  return ok({
    channel: compact({
      id: channel,
      name: kind === 'im' ? undefined : state.directory.channelName(channel),
      is_channel: kind === 'channel',
      is_group: kind === 'group',
      is_im: kind === 'im',
      is_mpim: kind === 'mpim',
      is_private: kind !== 'channel',
      user: dmUser,
    }),
  });
};

const history: MethodHandler = (args, state) => {
  const parsed = parseArgs(HistoryArgs, args);
  if (!parsed.ok) return parsed.response;
  const { channel, limit } = parsed.data;
  if (channel === '') return fail('channel_not_found');
  // History shows top-level messages (thread parents included, replies not), newest first.
  const messages = state.conversations
    .list(channel)
    .filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts)
    .reverse()
    .slice(0, limit)
    .map(toSlackMessage);
  return ok({ messages, has_more: false, response_metadata: { next_cursor: '' } });
};

const replies: MethodHandler = (args, state) => {
  const parsed = parseArgs(RepliesArgs, args);
  if (!parsed.ok) return parsed.response;
  const { channel, ts } = parsed.data;
  if (channel === '') return fail('channel_not_found');
  const parent = state.conversations.get(channel, ts);
  if (!parent) return fail('thread_not_found');
  const root = parent.thread_ts ?? parent.ts;
  const thread = state.conversations.list(channel).filter((m) => m.ts === root || m.thread_ts === root);
  return ok({ messages: thread.map(toSlackMessage), has_more: false, response_metadata: { next_cursor: '' } });
};

export const conversationMethods: Record<string, MethodHandler> = {
  'conversations.open': open,
  'conversations.info': info,
  'conversations.history': history,
  'conversations.replies': replies,
};
