import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { JsonObject } from '../fake-slack/json.js';
import type {
  ConversationKind,
  FakeAttachment,
  FakeConversation,
  FakeTeamsAccount,
  FakeTeamsChannelInput,
  FakeTeamsMessage,
  FakeTeamsUser,
  FakeTeamsUserInput,
} from './types.js';

// Teams message ids are epoch milliseconds; a counter from a fixed base keeps them unique and ordered.
const MESSAGE_ID_BASE = 1_700_000_000_000;

const opaque = (length: number) => randomBytes(length).toString('base64url').replace(/[-_]/g, 'x');

/** The fake's model of a Teams tenant: people, conversations and their messages. */
export class TeamsState {
  private readonly usersByAad = new Map<string, FakeTeamsUser>();
  private readonly usersById = new Map<string, FakeTeamsUser>();
  private readonly conversations = new Map<string, FakeConversation>();
  private readonly messages = new Map<string, FakeTeamsMessage[]>();
  private readonly channels = new Map<string, { id: string; name: string }>();
  private nextMessage = 0;

  constructor(
    readonly tenantId: string,
    readonly bot: FakeTeamsAccount,
    private readonly clock: Clock,
    users: FakeTeamsUserInput[],
    channels: FakeTeamsChannelInput[],
  ) {
    for (const user of users) this.addUser(user);
    for (const channel of channels) {
      const id = channel.id ?? `19:${channel.name.replace(/[^a-z0-9]/gi, '')}${opaque(6)}@thread.tacv2`;
      this.channels.set(channel.name.replace(/^#/, ''), { id, name: channel.name.replace(/^#/, '') });
    }
  }

  addUser(input: FakeTeamsUserInput): FakeTeamsUser {
    const aad = input.aadObjectId.toLowerCase();
    const existing = this.usersByAad.get(aad);
    if (existing) return existing;
    const user: FakeTeamsUser = { ...input, aadObjectId: aad, id: `29:1${opaque(24)}` };
    this.usersByAad.set(aad, user);
    this.usersById.set(user.id, user);
    return user;
  }

  user(aadOrTeamsId: string): FakeTeamsUser | undefined {
    return this.usersByAad.get(aadOrTeamsId.toLowerCase()) ?? this.usersById.get(aadOrTeamsId);
  }

  /** Everyone in the tenant: the fake team's roster. */
  allUsers(): FakeTeamsUser[] {
    return [...this.usersByAad.values()];
  }

  requireUser(aad: string): FakeTeamsUser {
    const user = this.user(aad);
    if (!user) throw new Error(`fake-teams: no user with Entra ID object id ${aad}; pass it in options.users.`);
    return user;
  }

  account(user: FakeTeamsUser): FakeTeamsAccount {
    return { id: user.id, name: user.name, aadObjectId: user.aadObjectId, role: 'user' };
  }

  /** The one personal chat between a person and the bot, created on first use. */
  personalConversation(aad: string): FakeConversation {
    const user = this.requireUser(aad);
    for (const conversation of this.conversations.values()) {
      if (conversation.kind === 'personal' && conversation.members[0] === user.aadObjectId) return conversation;
    }
    return this.addConversation({ id: `a:1${opaque(30)}`, kind: 'personal', tenantId: this.tenantId, members: [user.aadObjectId] });
  }

  channel(nameOrId: string): { id: string; name: string } {
    const name = nameOrId.replace(/^#/, '');
    const known = this.channels.get(name) ?? [...this.channels.values()].find((c) => c.id === nameOrId);
    if (known) return known;
    const created = { id: `19:${name.replace(/[^a-z0-9]/gi, '')}${opaque(6)}@thread.tacv2`, name };
    this.channels.set(name, created);
    return created;
  }

  /** A channel thread is its own conversation, `<channel>;messageid=<root message id>`. */
  threadConversation(channelNameOrId: string, rootId: string): FakeConversation {
    const channel = this.channel(channelNameOrId);
    const id = `${channel.id};messageid=${rootId}`;
    return this.conversations.get(id) ?? this.addConversation({ id, kind: 'channel', tenantId: this.tenantId, members: [], channelId: channel.id, channelName: channel.name });
  }

  conversation(id: string): FakeConversation | undefined {
    return this.conversations.get(id);
  }

  allConversations(): FakeConversation[] {
    return [...this.conversations.values()];
  }

  nextMessageId(): string {
    return String(MESSAGE_ID_BASE + ++this.nextMessage);
  }

  addMessage(
    conversation: FakeConversation,
    input: { id?: string; from: FakeTeamsAccount; text?: string; summary?: string; attachments?: FakeAttachment[]; replyToId?: string },
  ): FakeTeamsMessage {
    const message: FakeTeamsMessage = {
      id: input.id ?? this.nextMessageId(),
      conversationId: conversation.id,
      from: input.from,
      ...(input.text !== undefined ? { text: input.text } : {}),
      ...(input.summary !== undefined ? { summary: input.summary } : {}),
      attachments: input.attachments ?? [],
      ...(input.replyToId ? { replyToId: input.replyToId } : {}),
      createdAt: this.clock.now().toISOString(),
      history: [],
      userViews: {},
    };
    this.messages.get(conversation.id)?.push(message);
    return message;
  }

  updateMessage(message: FakeTeamsMessage, update: { text?: string; summary?: string; attachments: FakeAttachment[] }): void {
    const at = this.clock.now().toISOString();
    message.history.push({ ...(message.text !== undefined ? { text: message.text } : {}), attachments: message.attachments, replacedAt: at });
    if (update.text !== undefined) message.text = update.text;
    else delete message.text;
    if (update.summary !== undefined) message.summary = update.summary;
    message.attachments = update.attachments;
    message.updatedAt = at;
    message.userViews = {};
  }

  setUserView(message: FakeTeamsMessage, aad: string, card: JsonObject): void {
    message.userViews[aad.toLowerCase()] = card;
  }

  messagesIn(conversationId: string): FakeTeamsMessage[] {
    return (this.messages.get(conversationId) ?? []).filter((m) => !m.deleted);
  }

  message(conversationId: string, id: string): FakeTeamsMessage | undefined {
    return this.messages.get(conversationId)?.find((m) => m.id === id);
  }

  findMessage(id: string): FakeTeamsMessage | undefined {
    for (const list of this.messages.values()) {
      const found = list.find((m) => m.id === id);
      if (found) return found;
    }
    return undefined;
  }

  private addConversation(conversation: FakeConversation & { kind: ConversationKind }): FakeConversation {
    this.conversations.set(conversation.id, conversation);
    this.messages.set(conversation.id, []);
    return conversation;
  }
}
