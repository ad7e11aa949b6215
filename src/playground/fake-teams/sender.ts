import { isJsonObject, tryParseJson, type Json, type JsonObject } from '../fake-slack/json.js';
import { adaptiveCardOf, executeActions, refreshOf } from './cards.js';
import type { FakeBotConnector } from './connector.js';
import { fileAttachment } from './files.js';
import type { FakeConversation, FakeTeamsMessage } from './types.js';
import { FAKE_TEAM_ID } from './team.js';

export interface SendResult {
  status: number;
  body: Json | undefined;
  activity: JsonObject;
}

export interface MessageResult extends SendResult {
  /** The message as the conversation shows it. */
  message: FakeTeamsMessage;
  conversationId: string;
}

export interface InvokeResult extends SendResult {
  /** The card Teams shows the clicking person instead of the clicked one, when the bot answered with one. */
  card?: JsonObject;
}

export interface MessageInput {
  /** Entra ID object id of the person writing. */
  from: string;
  text: string;
  /** A channel name (or id) to mention the bot in; default: the person's personal chat with the bot. */
  channel?: string;
  /** In a channel: the thread to reply in (its root message id); default: a new post. */
  threadRootId?: string;
  /** Files sent with the message (Teams delivers them to bots in the personal chat only). */
  files?: { name: string; content: string | Buffer }[];
}

/** Teams addresses users in refresh.userIds by MRI. */
const mri = (aad: string) => `8:orgid:${aad.toLowerCase()}`;

/**
 * Delivers activities to a bot's `/api/messages` exactly as Teams (through the Bot Connector) does:
 * Teams-shaped JSON, `serviceUrl` pointing at the fake, and a bearer token signed with the fake's
 * channel key, which the bot verifies through the fake's OpenID metadata.
 */
export class TeamsActivitySender {
  constructor(
    private readonly options: { botUrl: string; fake: FakeBotConnector; botName?: string },
  ) {}

  private get fake(): FakeBotConnector {
    return this.options.fake;
  }

  /** A person writes to the bot: in their personal chat, or mentioning it in a channel. */
  async message(input: MessageInput): Promise<MessageResult> {
    const botName = this.options.botName ?? 'Warden';
    let conversation: FakeConversation;
    const id = this.fake.state.nextMessageId();
    let text = input.text;
    let entities: Json[] = [];
    if (input.channel) {
      conversation = this.fake.state.threadConversation(input.channel, input.threadRootId ?? id);
      const tag = `<at>${botName}</at>`;
      text = `${tag} ${input.text}`;
      entities = [{ type: 'mention', text: tag, mentioned: { id: this.fake.botId, name: botName } }];
    } else {
      conversation = this.fake.personalChatOf(input.from);
    }
    const message = this.fake.userMessage(conversation, input.from, text, id);
    const activity: JsonObject = {
      ...this.base(conversation, input.from, id),
      type: 'message',
      text,
      textFormat: 'plain',
      entities: [...entities, { type: 'clientInfo', locale: 'en-US', country: 'US', platform: 'Web', timezone: 'Europe/Berlin' }],
      ...(input.files?.length ? { attachments: input.files.map((f) => fileAttachment(this.fake.files.put(f.name, f.content), this.fake.baseUrl)) } : {}),
    };
    return { ...(await this.post(activity)), message, conversationId: conversation.id };
  }

  /** The app is installed for a person: Teams tells the bot in the new personal chat. */
  async install(aad: string): Promise<SendResult> {
    this.fake.install(aad);
    const conversation = this.fake.personalChatOf(aad);
    return this.post({ ...this.base(conversation, aad, `f:${this.fake.state.nextMessageId()}`), type: 'installationUpdate', action: 'add' });
  }

  /** An `adaptiveCard/action` invoke: a click on an Action.Execute, or a client's automatic refresh. */
  async invoke(input: { from: string; message: FakeTeamsMessage; verb: string; data?: Record<string, unknown>; trigger?: 'manual' | 'automatic' }): Promise<InvokeResult> {
    const conversation = this.fake.state.conversation(input.message.conversationId);
    if (!conversation) throw new Error(`fake-teams: message ${input.message.id} is in no known conversation`);
    const activity: JsonObject = {
      ...this.base(conversation, input.from, `f:${this.fake.state.nextMessageId()}`),
      type: 'invoke',
      name: 'adaptiveCard/action',
      replyToId: input.message.id,
      value: { action: { type: 'Action.Execute', verb: input.verb, data: toJson(input.data ?? {}) }, trigger: input.trigger ?? 'manual' },
    };
    const result = await this.post(activity);
    const body = isJsonObject(result.body) ? result.body : undefined;
    const card = body && body['type'] === ADAPTIVE_CARD_TYPE && isJsonObject(body['value']) ? body['value'] : undefined;
    // Teams replaces the clicked card with the answer, for the clicking person only.
    if (card) this.fake.state.setUserView(input.message, input.from, card);
    return { ...result, ...(card ? { card } : {}) };
  }

  /**
   * The card a person sees on a message, as their Teams client would show it: their own view from an
   * earlier answer, else a refreshed one when the card's `refresh` names them, else the shared card.
   */
  async viewOf(aad: string, message: FakeTeamsMessage): Promise<JsonObject | undefined> {
    const current = this.fake.state.message(message.conversationId, message.id) ?? message;
    const own = current.userViews[aad.toLowerCase()];
    if (own) return own;
    const shared = adaptiveCardOf(current);
    const refresh = refreshOf(shared);
    if (!refresh?.userIds?.includes(mri(aad))) return shared;
    const refreshed = await this.invoke({ from: aad, message: current, verb: refresh.action.verb, data: refresh.action.data ?? {}, trigger: 'automatic' });
    return refreshed.card ?? shared;
  }

  /**
   * Clicks the Action.Execute with this verb on the card the person sees, filling `inputs` (a deny
   * reason, form fields) as the client merges them into the action's data. Throws when the person
   * has no such button, which is itself what several tests check.
   */
  async click(input: { from: string; message: FakeTeamsMessage; verb: string; inputs?: Record<string, string> }): Promise<InvokeResult> {
    const card = await this.viewOf(input.from, input.message);
    const action = executeActions(card).find((a) => a.verb === input.verb);
    if (!action) throw new NoSuchButtonError(input.verb, input.from, executeActions(card).map((a) => a.verb));
    return this.invoke({ from: input.from, message: input.message, verb: action.verb, data: { ...(action.data ?? {}), ...(input.inputs ?? {}) } });
  }

  /** Posts any body with any headers: for forged, unsigned or malformed deliveries. */
  async raw(body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
    const response = await fetch(this.options.botUrl, { method: 'POST', headers, body });
    return { status: response.status, body: await response.text() };
  }

  /** Delivers an activity with a valid token (or none when the bot is anonymous). */
  async post(activity: JsonObject, token = this.token()): Promise<SendResult> {
    const response = await fetch(this.options.botUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Microsoft-SkypeBotApi (Microsoft-BotFramework 3.0)',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(activity),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : (tryParseJson(text) ?? text), activity };
  }

  private token(): string | undefined {
    return this.fake.teamsAuth().mode === 'anonymous' ? undefined : this.fake.activityToken();
  }

  private base(conversation: FakeConversation, aad: string, id: string): JsonObject {
    const user = this.fake.user(aad);
    const now = new Date().toISOString();
    const tenant = { id: this.fake.tenantId };
    const channel = conversation.kind === 'channel' && conversation.channelId;
    return {
      id,
      timestamp: now,
      localTimestamp: now,
      serviceUrl: this.fake.serviceUrl,
      channelId: 'msteams',
      from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
      conversation: channel
        ? { isGroup: true, conversationType: 'channel', tenantId: this.fake.tenantId, id: conversation.id }
        : { conversationType: 'personal', tenantId: this.fake.tenantId, id: conversation.id },
      recipient: { id: this.fake.botId, name: this.options.botName ?? 'Warden' },
      locale: 'en-US',
      channelData: channel
        ? { teamsChannelId: channel, teamsTeamId: TEAM_ID, channel: { id: channel }, team: { id: TEAM_ID }, tenant }
        : { tenant },
    };
  }
}

const ADAPTIVE_CARD_TYPE = 'application/vnd.microsoft.card.adaptive';
const TEAM_ID = FAKE_TEAM_ID;

export class NoSuchButtonError extends Error {
  constructor(
    readonly verb: string,
    readonly aad: string,
    readonly available: string[],
  ) {
    super(`fake-teams: ${aad} sees no ${verb} button (they see: ${available.join(', ') || 'none'})`);
    this.name = 'NoSuchButtonError';
  }
}

function toJson(value: Record<string, unknown>): JsonObject {
  const parsed = tryParseJson(JSON.stringify(value));
  return isJsonObject(parsed) ? parsed : {};
}
