import { compareTs } from '../fake-slack/ids.js';
import type { FakeMessage, FakeSlackWebApi, FakeView } from '../fake-slack/index.js';
import type { Conversation, PageMessage, PageModal, SlackSnapshot } from '../api-types.js';

function toPageMessage(message: FakeMessage): PageMessage {
  const isReply = message.thread_ts !== undefined && message.thread_ts !== message.ts;
  return {
    ts: message.ts,
    threadTs: isReply ? (message.thread_ts ?? null) : null,
    user: message.user,
    bot: message.bot_id !== undefined,
    text: message.text,
    blocks: message.blocks ?? null,
    replyCount: message.reply_count ?? 0,
    latestReply: message.latest_reply ?? null,
    edited: message.edited !== undefined,
    ephemeral: message.ephemeralTo !== undefined,
    ...(message.files?.length ? { files: message.files.map((f) => (typeof f['name'] === 'string' ? f['name'] : 'file')) } : {}),
  };
}

/** The top of the user's modal stack: the modal no other open modal was pushed onto. */
function topModal(views: Iterable<FakeView>, user: string): FakeView | undefined {
  const modals = [...views].filter((view) => view.type === 'modal' && view.user === user);
  return modals.find((view) => !modals.some((other) => other.previous_view_id === view.id));
}

/**
 * What one workspace member sees: the channels, their DM with the bot, every message there
 * (ephemeral ones only if meant for them) and their open modal.
 */
export function slackSnapshot(fake: FakeSlackWebApi, as: string, botName: string): SlackSnapshot {
  const conversations: Conversation[] = [
    ...fake.channels().map((channel): Conversation => ({ id: channel.id, kind: 'channel', name: channel.name })),
    { id: fake.dmChannelOf(as), kind: 'im', name: botName },
  ];
  const ephemerals = fake.ephemerals(as);
  const messages: Record<string, PageMessage[]> = {};
  for (const conversation of conversations) {
    const visible = [...fake.messages(conversation.id), ...ephemerals.filter((m) => m.channel === conversation.id)];
    messages[conversation.id] = visible.sort((a, b) => compareTs(a.ts, b.ts)).map(toPageMessage);
  }
  const view = topModal(fake.views.values(), as);
  const modal: PageModal | null = view ? { id: view.id, hash: view.hash, view } : null;
  return { as, conversations, messages, modal };
}
