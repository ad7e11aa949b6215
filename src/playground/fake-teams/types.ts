import type { Clock } from '../../clock.js';
import type { Json, JsonObject } from '../fake-slack/json.js';

/** A Teams user the fake knows, by Entra ID object id (what Warden's org config maps). */
export interface FakeTeamsUserInput {
  aadObjectId: string;
  name: string;
  email?: string;
}

export interface FakeTeamsUser extends FakeTeamsUserInput {
  /** The bot-scoped Teams user id (`29:…`) Teams puts in `from.id`. */
  id: string;
}

/** A channel of a team; mentions of the bot there arrive as channel conversations. */
export interface FakeTeamsChannelInput {
  name: string;
  /** `19:…@thread.tacv2`; made up from the name when absent. */
  id?: string;
}

export interface FakeBotConnectorOptions {
  /** The bot's Microsoft App ID, the audience of every activity token. */
  appId: string;
  /**
   * The bot's client secret. With it, the fake's token endpoint issues tokens only for this id and
   * secret, and the connector refuses calls without one. Without it the bot is anonymous (playground).
   */
  appPassword?: string;
  tenantId?: string;
  botName?: string;
  users?: FakeTeamsUserInput[];
  channels?: FakeTeamsChannelInput[];
  /** 0 (default) picks a free port. */
  port?: number;
  /** Time of messages and recorded calls. Tokens always use real time: botbuilder checks them against it. */
  clock?: Clock;
  /** Teams opens a chat with someone only when the app is installed for them; default: installed for everyone. */
  installedForAll?: boolean;
}

export interface FakeTeamsAccount {
  id: string;
  name: string;
  aadObjectId?: string;
  role: 'user' | 'bot';
}

export interface FakeAttachment {
  contentType: string;
  content: Json;
}

export interface FakeMessageVersion {
  text?: string;
  attachments: FakeAttachment[];
  replacedAt: string;
}

/** A message as the conversation shows it to everyone. */
export interface FakeTeamsMessage {
  id: string;
  conversationId: string;
  from: FakeTeamsAccount;
  text?: string;
  summary?: string;
  attachments: FakeAttachment[];
  replyToId?: string;
  createdAt: string;
  updatedAt?: string;
  /** Earlier versions, oldest first, kept across updates. */
  history: FakeMessageVersion[];
  /**
   * The card each person sees instead of the shared one, by Entra ID object id: the answer to their
   * last click or refresh. An update of the message drops them, as Teams clients refetch after one.
   */
  userViews: Record<string, JsonObject>;
  deleted?: boolean;
}

export type ConversationKind = 'personal' | 'channel';

export interface FakeConversation {
  id: string;
  kind: ConversationKind;
  tenantId: string;
  /** Entra ID object ids of the people in it (personal: one). */
  members: string[];
  /** For a channel thread: the channel it belongs to. */
  channelId?: string;
  channelName?: string;
}

export type ConnectorOperation =
  | 'openid'
  | 'jwks'
  | 'token'
  | 'createConversation'
  | 'sendToConversation'
  | 'replyToActivity'
  | 'updateActivity'
  | 'deleteActivity'
  | 'getConversationMembers'
  | 'getConversationMember'
  /** A GET of a file's downloadUrl (files sent to the bot). */
  | 'fileDownload'
  | 'unknown';

/** One request the fake answered. */
export interface RecordedRequest {
  seq: number;
  at: Date;
  operation: ConnectorOperation;
  method: string;
  path: string;
  conversationId?: string;
  activityId?: string;
  /** The request body (the token request's secret removed). */
  body: Json | undefined;
  status: number;
  response: Json | undefined;
}

export interface FakeTeamsEvents {
  request: RecordedRequest;
  message: FakeTeamsMessage;
}

export interface WaitForOptions {
  timeoutMs?: number;
  since?: number;
  description?: string;
}
