import type { Activity, CloudAdapter, TurnContext } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import type { Directory } from '../../access/directory.js';
import type { MessageRef, Store } from '../../store/store.js';
import type { Card } from '../cards/model.js';
import type { ChatTarget, Notifier } from '../notifier.js';
import { cardRequestId, renderAdaptiveCard, type AdaptiveCard } from './adaptive.js';
import { toConversationReference, type StoredReference, type TeamsAddressBook } from './addresses.js';
import { refreshFor, viewOfPostedCard } from './views.js';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** A message activity carrying one Adaptive Card; `summary` is what notifications and the chat list show. */
export function cardMessage(card: AdaptiveCard, summary: string): Partial<Activity> {
  return { type: 'message', summary, attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card }] };
}

export interface TeamsNotifierOptions {
  adapter: CloudAdapter;
  /** The bot's Microsoft App ID ('' when anonymous). */
  appId: string;
  /** Audience of the bot's outgoing tokens; needed to open a conversation no one started. */
  audience: string;
  addresses: TeamsAddressBook;
  directory: Directory;
  store: Store;
}

/**
 * The Notifier port over the Bot Connector. Every send is proactive (continueConversationAsync on a
 * stored reference) rather than a reply within a turn, so the same code serves replies, DMs to
 * approvers, work finished after the HTTP response, and any replica.
 */
export class TeamsNotifier implements Notifier {
  constructor(private readonly options: TeamsNotifierOptions) {}

  async post(target: ChatTarget, card: Card, purpose: MessageRef['purpose'] = 'draft'): Promise<MessageRef> {
    const message = cardMessage(await this.render(card, purpose), card.fallback);
    if (target.kind === 'user') return this.postToUser(target.userId, message, purpose);
    const reference = await this.referenceFor(target);
    const id = await this.withConnector(reference, async (client) => (await client.conversations.sendToConversation(reference.conversation.id, message)).id);
    return this.ref(reference.conversation.id, id, purpose);
  }

  async update(ref: MessageRef, card: Card): Promise<void> {
    const reference = await this.options.addresses.conversation(ref.channel);
    if (!reference) throw new Error(`Warden has no reference for Teams conversation ${ref.channel}, so it cannot update message ${ref.ts}.`);
    const message = { ...cardMessage(await this.render(card, ref.purpose), card.fallback), id: ref.ts };
    await this.withConnector(reference, (client) => client.conversations.updateActivity(ref.channel, ref.ts, message));
  }

  /** Replaces a message's card with one already rendered (the clicked card, for everyone). */
  async replaceCard(conversationId: string, activityId: string, card: AdaptiveCard, summary: string): Promise<void> {
    const reference = await this.options.addresses.conversation(conversationId);
    if (!reference) return;
    await this.withConnector(reference, (client) => client.conversations.updateActivity(conversationId, activityId, { ...cardMessage(card, summary), id: activityId }));
  }

  /** Sends into a conversation the bot has seen; returns the new message's id. */
  async send(conversationId: string, card: AdaptiveCard, summary: string): Promise<string> {
    const reference = await this.options.addresses.conversation(conversationId);
    if (!reference) throw new Error(`Warden has no reference for Teams conversation ${conversationId}.`);
    return this.withConnector(reference, async (client) => (await client.conversations.sendToConversation(conversationId, cardMessage(card, summary))).id);
  }

  /**
   * Teams has no ephemeral messages: what only one person should read goes to their personal chat
   * with the bot when there is one, else into the conversation they wrote in. Returns where it went.
   */
  async sendPrivately(aadObjectId: string | undefined, fallbackConversationId: string, card: AdaptiveCard, summary: string): Promise<string> {
    const personal = aadObjectId ? await this.options.addresses.user(aadObjectId) : undefined;
    const conversationId = personal?.conversation.id ?? fallbackConversationId;
    await this.send(conversationId, card, summary);
    return conversationId;
  }

  async canReachUser(userId: string): Promise<boolean> {
    const aad = this.options.directory.user(userId)?.aadObjectId;
    if (!aad) return false;
    return (await this.options.addresses.user(aad)) !== undefined || (await this.options.addresses.service()) !== undefined;
  }

  async knowsChannel(channel: string): Promise<boolean> {
    return (await this.channelReference(channel)) !== undefined;
  }

  /**
   * A channel an access rule names: by the name Teams told the bot ("#name" or "name"), by the
   * channel's id (learnt when Warden is mentioned there), or by a conversation id the bot has seen.
   */
  private async channelReference(channel: string): Promise<StoredReference | undefined> {
    const { addresses } = this.options;
    const name = channel.replace(/^#/, '');
    return (await addresses.channel(channel)) ?? (await addresses.channel(`#${name}`)) ?? (await addresses.conversation(channel));
  }

  /**
   * A card about a request is sent without buttons and with a `refresh` naming the people who may
   * act; their clients then fetch their own view with the buttons (see views.ts).
   */
  private async render(card: Card, purpose: MessageRef['purpose'] | undefined): Promise<AdaptiveCard> {
    const requestId = cardRequestId(card);
    const request = requestId ? await this.options.store.getRequest(requestId) : undefined;
    if (!request) return renderAdaptiveCard(card);
    const refresh = refreshFor(request, viewOfPostedCard(card, purpose), this.options.directory);
    return renderAdaptiveCard(card, { showAction: () => false, ...(refresh ? { refresh } : {}) });
  }

  private async referenceFor(target: Exclude<ChatTarget, { kind: 'user' }>): Promise<StoredReference> {
    if (target.kind === 'thread') {
      const reference = await this.options.addresses.conversation(target.origin.channel);
      if (!reference) throw new Error(`Warden has no reference for Teams conversation ${target.origin.channel}.`);
      return reference;
    }
    const reference = await this.channelReference(target.channel);
    if (!reference) throw new Error(`Warden does not know a Teams channel named ${target.channel}: mention Warden there once, or post it to Slack.`);
    return reference;
  }

  private async postToUser(userId: string, message: Partial<Activity>, purpose: MessageRef['purpose']): Promise<MessageRef> {
    const aad = this.options.directory.user(userId)?.aadObjectId;
    if (!aad) throw new Error(`${userId} has no aadObjectId in the org config, so they cannot be messaged on Teams.`);
    const known = await this.options.addresses.user(aad);
    if (known) {
      const id = await this.withConnector(known, async (client) => (await client.conversations.sendToConversation(known.conversation.id, message)).id);
      return this.ref(known.conversation.id, id, purpose);
    }
    return this.openPersonalChat(aad, message, purpose);
  }

  /**
   * Opens the person's personal chat with the bot (Teams accepts the Entra ID object id as the
   * member when the app is installed for them) and remembers it, so later messages and updates reuse it.
   */
  private async openPersonalChat(aad: string, message: Partial<Activity>, purpose: MessageRef['purpose']): Promise<MessageRef> {
    const service = await this.options.addresses.service();
    if (!service) throw new Error('Warden has not heard from Teams yet, so it cannot open a chat with anyone: install the app or message the bot first.');
    let posted: MessageRef | undefined;
    await this.options.adapter.createConversationAsync(
      this.options.appId,
      'msteams',
      service.serviceUrl,
      this.options.audience,
      {
        isGroup: false,
        bot: { id: service.bot.id, name: service.bot.name ?? '' },
        members: [{ id: aad, name: '' }],
        ...(service.tenantId ? { tenantId: service.tenantId } : {}),
        channelData: service.tenantId ? { tenant: { id: service.tenantId } } : {},
      },
      async (context) => {
        const conversationId = context.activity.conversation.id;
        const reference: StoredReference = {
          serviceUrl: service.serviceUrl,
          channelId: 'msteams',
          conversation: { id: conversationId, conversationType: 'personal', ...(service.tenantId ? { tenantId: service.tenantId } : {}) },
          bot: service.bot,
          user: { id: aad, aadObjectId: aad },
        };
        await this.options.addresses.saveUser(aad, reference);
        const response = await connectorOf(context).conversations.sendToConversation(conversationId, message);
        posted = this.ref(conversationId, response.id, purpose);
      },
    );
    if (!posted) throw new Error('Teams did not open a chat.');
    return posted;
  }

  private async withConnector<T>(reference: StoredReference, work: (client: ConnectorClient) => Promise<T>): Promise<T> {
    let result: { value: T } | undefined;
    await this.options.adapter.continueConversationAsync(this.options.appId, toConversationReference(reference), async (context) => {
      result = { value: await work(connectorOf(context)) };
    });
    if (!result) throw new Error('botbuilder did not run the continuation.');
    return result.value;
  }

  private ref(conversationId: string, id: string | undefined, purpose: MessageRef['purpose']): MessageRef {
    if (!id) throw new Error(`Teams did not return a message id for a post to ${conversationId}.`);
    return { platform: 'teams', channel: conversationId, ts: id, purpose };
  }
}

/**
 * The Bot Connector client botbuilder made for this turn. Sending through it directly, rather than
 * context.sendActivity, avoids turning a proactive message into a reply to the synthetic
 * continuation activity's random id.
 */
export function connectorOf(context: TurnContext): ConnectorClient {
  const client: unknown = context.turnState.get(context.adapter.ConnectorClientKey);
  if (!client || typeof client !== 'object' || !('conversations' in client)) throw new Error('botbuilder gave this turn no connector client.');
  return client as ConnectorClient;
}
