import { adaptiveCardOf, NoSuchButtonError, type FakeBotConnector, type FakeTeamsMessage, type TeamsActivitySender } from '../fake-teams/index.js';
import type { TeamsConversationView, TeamsPageMessage, TeamsSnapshot } from '../api-types.js';
import type { TeamsExecuteRequest, TeamsPostMessageRequest } from './api-schemas.js';
import { HttpError } from './http.js';

export interface TeamsPlaygroundApiOptions {
  fake: FakeBotConnector;
  sender: TeamsActivitySender;
  /** Channel names the Teams tab lists (the approvers channels of the rules). */
  channels: string[];
  botName: string;
}

/**
 * What the Teams tab asks the server: the acting person's conversations with the cards as their
 * Teams client would show them (refreshed per person), and their messages and clicks, delivered to
 * Warden's botbuilder endpoint as signed activities.
 */
export class TeamsPlaygroundApi {
  constructor(private readonly options: TeamsPlaygroundApiOptions) {}

  async snapshot(aad: string): Promise<TeamsSnapshot> {
    const { fake } = this.options;
    this.requirePerson(aad);
    const personal = fake.personalChatOf(aad);
    const conversations: TeamsConversationView[] = [
      { id: personal.id, kind: 'personal', name: this.options.botName },
      ...this.options.channels.map((name): TeamsConversationView => ({ id: fake.state.channel(name).id, kind: 'channel', name })),
    ];
    const messages: Record<string, TeamsPageMessage[]> = {};
    messages[personal.id] = await this.views(aad, fake.messages(personal.id));
    for (const channel of conversations.filter((c) => c.kind === 'channel')) {
      const threads = fake.state.allConversations().filter((c) => c.kind === 'channel' && c.channelId === channel.id);
      const posts = threads.flatMap((t) => fake.messages(t.id)).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
      messages[channel.id] = await this.views(aad, posts);
    }
    return { as: aad, conversations, messages };
  }

  async postMessage(request: TeamsPostMessageRequest): Promise<void> {
    this.requirePerson(request.as);
    if (request.channel && !this.options.channels.includes(request.channel)) throw new HttpError(404, `no Teams channel ${request.channel}`);
    const result = await this.options.sender.message({ from: request.as, text: request.text, ...(request.channel ? { channel: request.channel } : {}) });
    if (result.status >= 300) throw new HttpError(502, `Warden answered the message with HTTP ${result.status}`);
  }

  /** Clicks the button with this verb on the card the person sees; a button they do not see is refused. */
  async execute(request: TeamsExecuteRequest): Promise<void> {
    this.requirePerson(request.as);
    const message = this.options.fake.message(request.conversationId, request.messageId);
    if (!message || !adaptiveCardOf(message)) throw new HttpError(404, 'no such card');
    try {
      const result = await this.options.sender.click({ from: request.as, message, verb: request.verb, inputs: request.inputs });
      if (result.status >= 300) throw new HttpError(502, `Warden answered the click with HTTP ${result.status}`);
    } catch (error) {
      if (error instanceof NoSuchButtonError) throw new HttpError(409, 'this card has no such button for you any more');
      throw error;
    }
  }

  private async views(aad: string, messages: FakeTeamsMessage[]): Promise<TeamsPageMessage[]> {
    const { sender } = this.options;
    return Promise.all(
      messages.map(async (m): Promise<TeamsPageMessage> => ({
        id: m.id,
        conversationId: m.conversationId,
        bot: m.from.role === 'bot',
        fromName: m.from.name,
        text: m.text ?? null,
        card: adaptiveCardOf(m) ? ((await sender.viewOf(aad, m)) ?? null) : null,
        createdAt: m.createdAt,
        edited: m.updatedAt !== undefined,
      })),
    );
  }

  private requirePerson(aad: string): void {
    if (!this.options.fake.state.user(aad)) throw new HttpError(404, `nobody in the sample org has the Entra ID object id ${aad}`);
  }
}
