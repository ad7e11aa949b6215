import type { Activity, ConversationReference } from 'botbuilder';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import type { Store } from '../../store/store.js';

/*
 * Teams can only be written to with a conversation reference (service URL, conversation, bot) that
 * arrived with an earlier activity. These are kept in the Store's chat addresses, so any replica (or
 * a restarted bot) can post and update cards. Keys:
 *   conversation:<id>   every conversation the bot has seen: for thread posts and card updates
 *   user:<aad id>       a person's personal chat with the bot: for proactive DMs
 *   channel:<name>      a Teams channel known by the name the access rules use
 *   service             the last service URL, tenant and bot seen: to open a personal chat no one started
 *   session:<id>        which request conversation a personal chat is in (see sessions.ts)
 */

const AccountSchema = z.object({ id: z.string().min(1), name: z.string().optional(), aadObjectId: z.string().optional() });

export const StoredReferenceSchema = z.object({
  serviceUrl: z.string().url(),
  channelId: z.string().min(1),
  conversation: z.object({
    id: z.string().min(1),
    conversationType: z.string().optional(),
    tenantId: z.string().optional(),
    isGroup: z.boolean().optional(),
  }),
  bot: AccountSchema,
  user: AccountSchema.optional(),
});
export type StoredReference = z.infer<typeof StoredReferenceSchema>;

const ServiceSchema = z.object({ serviceUrl: z.string().url(), tenantId: z.string().optional(), bot: AccountSchema });
export type TeamsService = z.infer<typeof ServiceSchema>;

const SessionSchema = z.object({ threadTs: z.string().min(1) });

/** The parts of an incoming activity a reference is made of; parsed because the activity is input. */
const IncomingSchema = z.object({
  serviceUrl: z.string().url(),
  channelId: z.string().min(1),
  conversation: StoredReferenceSchema.shape.conversation,
  recipient: AccountSchema,
  from: AccountSchema,
  channelData: z.object({ tenant: z.object({ id: z.string() }).optional() }).passthrough().optional(),
});

export function tenantOf(activity: Pick<Activity, 'conversation' | 'channelData'>): string | undefined {
  const fromData = z.object({ tenant: z.object({ id: z.string() }) }).safeParse(activity.channelData);
  return (activity.conversation?.tenantId ?? (fromData.success ? fromData.data.tenant.id : undefined))?.toLowerCase();
}

/** A stored reference in the shape botbuilder's continueConversationAsync takes. */
export function toConversationReference(stored: StoredReference): ConversationReference {
  return {
    serviceUrl: stored.serviceUrl,
    channelId: stored.channelId,
    conversation: {
      id: stored.conversation.id,
      isGroup: stored.conversation.isGroup ?? false,
      conversationType: stored.conversation.conversationType ?? 'personal',
      name: '',
      ...(stored.conversation.tenantId ? { tenantId: stored.conversation.tenantId } : {}),
    },
    bot: { id: stored.bot.id, name: stored.bot.name ?? '' },
    ...(stored.user ? { user: { id: stored.user.id, name: stored.user.name ?? '', ...(stored.user.aadObjectId ? { aadObjectId: stored.user.aadObjectId } : {}) } } : {}),
  };
}

export class TeamsAddressBook {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** Remembers where an incoming activity came from. Called for every authenticated activity. */
  async remember(activity: Activity): Promise<StoredReference | undefined> {
    const parsed = IncomingSchema.safeParse(activity);
    if (!parsed.success) return undefined;
    const a = parsed.data;
    const tenantId = tenantOf(activity);
    const reference: StoredReference = {
      serviceUrl: a.serviceUrl,
      channelId: a.channelId,
      conversation: { ...a.conversation, ...(tenantId ? { tenantId } : {}) },
      bot: a.recipient,
      user: a.from,
    };
    const writes = [this.save(`conversation:${a.conversation.id}`, reference), this.save('service', { serviceUrl: a.serviceUrl, ...(tenantId ? { tenantId } : {}), bot: a.recipient })];
    // Only a personal chat is the person's private line; a channel is everyone's.
    if (a.conversation.conversationType === 'personal' && a.from.aadObjectId) writes.push(this.save(`user:${a.from.aadObjectId.toLowerCase()}`, reference));
    await Promise.all(writes);
    return reference;
  }

  conversation(id: string): Promise<StoredReference | undefined> {
    return this.load(`conversation:${id}`, StoredReferenceSchema);
  }

  user(aadObjectId: string): Promise<StoredReference | undefined> {
    return this.load(`user:${aadObjectId.toLowerCase()}`, StoredReferenceSchema);
  }

  channel(name: string): Promise<StoredReference | undefined> {
    return this.load(`channel:${name}`, StoredReferenceSchema);
  }

  service(): Promise<TeamsService | undefined> {
    return this.load('service', ServiceSchema);
  }

  async saveUser(aadObjectId: string, reference: StoredReference): Promise<void> {
    await Promise.all([this.save(`user:${aadObjectId.toLowerCase()}`, reference), this.save(`conversation:${reference.conversation.id}`, reference)]);
  }

  /** A channel thread is a conversation of its own (`<channel>;messageid=<root>`), reached like the channel. */
  async saveThread(threadConversationId: string, channel: StoredReference): Promise<void> {
    await this.save(`conversation:${threadConversationId}`, { ...channel, conversation: { ...channel.conversation, id: threadConversationId } });
  }

  async saveChannel(name: string, reference: StoredReference): Promise<void> {
    await this.save(`channel:${name}`, { ...reference, user: undefined });
  }

  async session(conversationId: string): Promise<string | undefined> {
    return (await this.load(`session:${conversationId}`, SessionSchema))?.threadTs;
  }

  async saveSession(conversationId: string, threadTs: string): Promise<void> {
    await this.save(`session:${conversationId}`, { threadTs });
  }

  private async save(key: string, reference: object): Promise<void> {
    // JSON round trip drops undefined members, which the store's schema would reject.
    const json = z.record(z.string(), z.unknown()).parse(JSON.parse(JSON.stringify(reference)));
    await this.store.saveChatAddress({ platform: 'teams', key, reference: json, updatedAt: this.clock.now().toISOString() });
  }

  private async load<S extends z.ZodType>(key: string, schema: S): Promise<z.infer<S> | undefined> {
    const address = await this.store.getChatAddress('teams', key);
    if (!address) return undefined;
    const parsed = schema.safeParse(address.reference);
    // A reference this version cannot read is as good as none: the next activity from there replaces it.
    return parsed.success ? parsed.data : undefined;
  }
}
