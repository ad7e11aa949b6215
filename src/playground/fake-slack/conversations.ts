import type { Emitter } from './emitter.js';
import { type TsGenerator, compareTs } from './ids.js';
import type { JsonObject } from './json.js';
import type { FakeMessage, MessageChange } from './types.js';

export interface NewMessage {
  channel: string;
  user: string;
  team: string;
  text: string;
  botId?: string;
  appId?: string;
  blocks?: JsonObject[];
  attachments?: JsonObject[];
  metadata?: JsonObject;
  threadTs?: string;
  /** Files shared with the message, as Slack's file objects. */
  files?: JsonObject[];
}

export interface MessagePatch {
  text?: string;
  blocks?: JsonObject[];
  attachments?: JsonObject[];
  metadata?: JsonObject;
}

const copy = (message: FakeMessage): FakeMessage => structuredClone(message);

function setOrRemove(message: FakeMessage, key: 'blocks' | 'attachments', value: JsonObject[]): void {
  if (value.length > 0) message[key] = value;
  else delete message[key];
}

/**
 * The conversation model: channel messages (with threads) and ephemeral messages, as a Slack client
 * would currently show them. Every change is emitted so the playground page can follow along.
 */
export class Conversations {
  private readonly byChannel = new Map<string, Map<string, FakeMessage>>();
  private readonly ephemeralByTs = new Map<string, FakeMessage>();

  constructor(
    private readonly ts: TsGenerator,
    private readonly events: Emitter<{ message: MessageChange }>,
  ) {}

  post(input: NewMessage): FakeMessage {
    const threadTs = input.threadTs === undefined ? undefined : this.threadRoot(input.channel, input.threadTs);
    const message = this.build({ ...input, ...(threadTs !== undefined && { threadTs }) });
    this.channelMap(input.channel).set(message.ts, message);
    this.events.emit('message', { kind: 'posted', message: copy(message) });
    if (threadTs !== undefined) this.countReply(input.channel, threadTs, message.ts);
    return copy(message);
  }

  get(channel: string, ts: string): FakeMessage | undefined {
    const message = this.byChannel.get(channel)?.get(ts);
    return message && copy(message);
  }

  /** Replaces content in place, keeping the previous version in `history` (chat.update). */
  update(channel: string, ts: string, patch: MessagePatch, editor: string): FakeMessage | undefined {
    const message = this.byChannel.get(channel)?.get(ts);
    if (!message) return undefined;
    const at = this.ts.next();
    this.applyPatch(message, patch, at);
    message.edited = { user: editor, ts: at };
    this.events.emit('message', { kind: 'updated', message: copy(message) });
    return copy(message);
  }

  delete(channel: string, ts: string): FakeMessage | undefined {
    const messages = this.byChannel.get(channel);
    const message = messages?.get(ts);
    if (!messages || !message) return undefined;
    messages.delete(ts);
    this.events.emit('message', { kind: 'deleted', message: copy(message) });
    return copy(message);
  }

  /** Current messages of a channel, oldest first, thread replies included (they carry thread_ts). */
  list(channel: string): FakeMessage[] {
    return [...(this.byChannel.get(channel)?.values() ?? [])].sort((a, b) => compareTs(a.ts, b.ts)).map(copy);
  }

  postEphemeral(input: NewMessage & { visibleTo: string }): FakeMessage {
    const message: FakeMessage = { ...this.build(input), ephemeralTo: input.visibleTo };
    this.ephemeralByTs.set(message.ts, message);
    this.events.emit('message', { kind: 'posted', message: copy(message) });
    return copy(message);
  }

  getEphemeral(ts: string): FakeMessage | undefined {
    const message = this.ephemeralByTs.get(ts);
    return message && copy(message);
  }

  updateEphemeral(ts: string, patch: MessagePatch): FakeMessage | undefined {
    const message = this.ephemeralByTs.get(ts);
    if (!message) return undefined;
    this.applyPatch(message, patch, this.ts.next());
    this.events.emit('message', { kind: 'updated', message: copy(message) });
    return copy(message);
  }

  deleteEphemeral(ts: string): FakeMessage | undefined {
    const message = this.ephemeralByTs.get(ts);
    if (!message) return undefined;
    this.ephemeralByTs.delete(ts);
    this.events.emit('message', { kind: 'deleted', message: copy(message) });
    return copy(message);
  }

  ephemerals(user?: string): FakeMessage[] {
    return [...this.ephemeralByTs.values()]
      .filter((message) => user === undefined || message.ephemeralTo === user)
      .sort((a, b) => compareTs(a.ts, b.ts))
      .map(copy);
  }

  clear(): void {
    this.byChannel.clear();
    this.ephemeralByTs.clear();
  }

  private build(input: NewMessage): FakeMessage {
    return {
      type: 'message',
      channel: input.channel,
      ts: this.ts.next(),
      user: input.user,
      team: input.team,
      text: input.text,
      history: [],
      ...(input.threadTs !== undefined && { thread_ts: input.threadTs }),
      ...(input.botId !== undefined && { bot_id: input.botId }),
      ...(input.appId !== undefined && { app_id: input.appId }),
      ...(input.blocks !== undefined && { blocks: input.blocks }),
      ...(input.attachments !== undefined && { attachments: input.attachments }),
      ...(input.metadata !== undefined && { metadata: input.metadata }),
      ...(input.files !== undefined && { files: input.files, upload: true }),
    };
  }

  private applyPatch(message: FakeMessage, patch: MessagePatch, at: string): void {
    message.history.push({
      text: message.text,
      ...(message.blocks !== undefined && { blocks: message.blocks }),
      ...(message.attachments !== undefined && { attachments: message.attachments }),
      replacedAt: at,
    });
    // As chat.update documents: a field left out keeps its previous value; an empty array removes
    // the blocks or attachments.
    if (patch.text !== undefined) message.text = patch.text;
    if (patch.blocks !== undefined) setOrRemove(message, 'blocks', patch.blocks);
    if (patch.attachments !== undefined) setOrRemove(message, 'attachments', patch.attachments);
    if (patch.metadata !== undefined) message.metadata = patch.metadata;
  }

  /** A reply to a reply belongs to the parent's thread, as in Slack. */
  private threadRoot(channel: string, threadTs: string): string {
    return this.byChannel.get(channel)?.get(threadTs)?.thread_ts ?? threadTs;
  }

  private countReply(channel: string, threadTs: string, replyTs: string): void {
    const parent = this.byChannel.get(channel)?.get(threadTs);
    if (!parent) return;
    parent.thread_ts = parent.ts;
    parent.reply_count = (parent.reply_count ?? 0) + 1;
    parent.latest_reply = replyTs;
    this.events.emit('message', { kind: 'updated', message: copy(parent) });
  }

  private channelMap(channel: string): Map<string, FakeMessage> {
    let messages = this.byChannel.get(channel);
    if (!messages) {
      messages = new Map();
      this.byChannel.set(channel, messages);
    }
    return messages;
  }
}

/** The message as Slack's API returns it (without the fake's channel, history and visibility bookkeeping). */
export function toSlackMessage(message: FakeMessage): JsonObject {
  const { channel: _channel, history: _history, ephemeralTo: _ephemeralTo, ...slack } = structuredClone(message);
  return slack as JsonObject;
}
