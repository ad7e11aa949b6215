import { dmChannelIdOf, mpimChannelIdOf } from './ids.js';
import type { JsonObject } from './json.js';
import type { FakeChannelInput, FakeUserInput } from './types.js';

export interface DirectoryConfig {
  teamId: string;
  botUserId: string;
  botId: string;
  botName: string;
  users: readonly FakeUserInput[];
  channels: readonly FakeChannelInput[];
}

/** Workspace members and channel names, which the fake and the payloads it helps build share. */
export class Directory {
  private readonly users = new Map<string, FakeUserInput>();
  private readonly channels = new Map<string, string>();
  private readonly opened = new Set<string>();

  constructor(private readonly config: DirectoryConfig) {
    for (const user of config.users) this.addUser(user);
    for (const channel of config.channels) this.addChannel(channel);
  }

  addUser(user: FakeUserInput): void {
    this.users.set(user.id, { ...user });
  }

  addChannel(channel: FakeChannelInput): void {
    this.channels.set(channel.id, channel.name);
  }

  user(id: string): FakeUserInput | undefined {
    const user = this.users.get(id);
    return user && { ...user };
  }

  listUsers(): FakeUserInput[] {
    return [...this.users.values()].map((user) => ({ ...user }));
  }

  userByEmail(email: string): FakeUserInput | undefined {
    const wanted = email.toLowerCase();
    return this.listUsers().find((user) => user.email?.toLowerCase() === wanted);
  }

  /** The user object of users.info; the bot user is a member too, as in Slack. */
  slackUser(id: string): JsonObject | undefined {
    if (id === this.config.botUserId) {
      return {
        id,
        team_id: this.config.teamId,
        name: this.config.botName,
        real_name: this.config.botName,
        is_bot: true,
        deleted: false,
        profile: { bot_id: this.config.botId, display_name: this.config.botName, real_name: this.config.botName },
      };
    }
    const user = this.users.get(id);
    if (!user) return undefined;
    const realName = user.realName ?? user.name;
    return {
      id: user.id,
      team_id: this.config.teamId,
      name: user.name,
      real_name: realName,
      is_bot: false,
      is_admin: user.isAdmin ?? false,
      is_email_confirmed: user.emailConfirmed ?? user.email !== undefined,
      deleted: false,
      profile: {
        real_name: realName,
        display_name: user.name,
        ...(user.email !== undefined && { email: user.email }),
      },
    };
  }

  /** "username" in interactive payloads and "user_name" in slash commands. */
  userName(id: string): string {
    return this.users.get(id)?.name ?? id.toLowerCase();
  }

  /** Slack sends "directmessage" as a DM's channel_name in slash commands. */
  channelName(id: string): string {
    const known = this.channels.get(id);
    if (known !== undefined) return known;
    if (id.startsWith('D')) return 'directmessage';
    if (id.startsWith('G')) return 'privategroup';
    return id.toLowerCase();
  }

  dmChannelOf(userId: string): string {
    return dmChannelIdOf(userId);
  }

  /**
   * conversations.open: one user → their IM; several → a multi-person DM. Slack tells the caller
   * whether it was already open, so opens are remembered (until reset).
   */
  openConversation(userIds: readonly string[]): { id: string; alreadyOpen: boolean } {
    const [first] = userIds;
    const id = userIds.length === 1 && first !== undefined ? dmChannelIdOf(first) : mpimChannelIdOf(userIds);
    const alreadyOpen = this.opened.has(id);
    this.opened.add(id);
    return { id, alreadyOpen };
  }

  forgetOpenConversations(): void {
    this.opened.clear();
  }

  /** Channels the workspace was configured with, in the order they were added. */
  listChannels(): FakeChannelInput[] {
    return [...this.channels].map(([id, name]) => ({ id, name }));
  }

  /**
   * chat.postMessage to a user id posts into the bot's DM with that user, and to a known channel
   * name ("#access-requests") into that channel, answering with its id, as Slack does.
   */
  resolveChannel(channel: string): string {
    if (/^[UW][A-Z0-9]+$/.test(channel)) return dmChannelIdOf(channel);
    const name = channel.startsWith('#') ? channel.slice(1) : undefined;
    const known = name === undefined ? undefined : [...this.channels].find(([, n]) => n === name)?.[0];
    return known ?? channel;
  }

  channelKind(id: string): 'im' | 'mpim' | 'group' | 'channel' {
    if (id.startsWith('D')) return 'im';
    if (id.startsWith('G')) return this.channels.has(id) ? 'group' : 'mpim';
    return 'channel';
  }
}
