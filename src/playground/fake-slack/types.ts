import type { Clock } from '../../clock.js';
import type { SlackArgs } from './body.js';
import type { Json, JsonObject } from './json.js';

/** A workspace member the fake knows (users.info, users.lookupByEmail, payload user names). */
export interface FakeUserInput {
  id: string;
  name: string;
  email?: string;
  /** Slack's `is_email_confirmed`; default: true when the user has an e-mail. */
  emailConfirmed?: boolean;
  realName?: string;
  isAdmin?: boolean;
}

export interface FakeChannelInput {
  id: string;
  name: string;
}

export interface FakeSlackOptions {
  botToken: string;
  botUserId?: string;
  botId?: string;
  botName?: string;
  teamId?: string;
  teamDomain?: string;
  appId?: string;
  users?: FakeUserInput[];
  channels?: FakeChannelInput[];
  /** 0 (default) picks a free port. */
  port?: number;
  /** Slack lets a trigger_id be exchanged for 3 s; tests on slow machines may allow more. */
  triggerTtlMs?: number;
  /** Source of time for message ts, trigger expiry and call timestamps. */
  clock?: Clock;
}

/** One request the fake answered: a Web API method, or `response_url` for a POST to a response URL. */
export interface RecordedCall {
  /** Position in `calls`, usable as `waitFor(…, { since })`. */
  seq: number;
  method: string;
  /** Arguments as Slack parsed them (JSON-encoded nested values decoded; the token removed). */
  args: SlackArgs;
  at: Date;
  /** What the fake answered; `response.ok === false` carries Slack's error code. */
  response: JsonObject;
}

/** A previous version of an edited message (chat.update keeps history). */
export interface MessageVersion {
  text: string;
  blocks?: JsonObject[];
  attachments?: JsonObject[];
  /** When this version was replaced, as a Slack ts. */
  replacedAt: string;
}

/** A message as the conversation currently shows it. Slack field names where Slack has them. */
export interface FakeMessage {
  type: 'message';
  channel: string;
  ts: string;
  /** Set on thread replies (and on a parent once it has replies, equal to its own ts). */
  thread_ts?: string;
  user: string;
  /** Set when the bot posted it. */
  bot_id?: string;
  app_id?: string;
  team: string;
  text: string;
  blocks?: JsonObject[];
  attachments?: JsonObject[];
  metadata?: JsonObject;
  /** Files shared with a user's message (subtype file_share). */
  files?: JsonObject[];
  upload?: boolean;
  reply_count?: number;
  latest_reply?: string;
  edited?: { user: string; ts: string };
  /** The only user who sees this message, for ephemeral messages. */
  ephemeralTo?: string;
  /** Earlier versions, oldest first. */
  history: MessageVersion[];
}

export type ViewStateValues = Record<string, Record<string, JsonObject>>;

/** An open modal or a published App Home, in its current version. */
export interface FakeView {
  id: string;
  type: string;
  /** The user who sees the view. */
  user: string;
  team_id: string;
  app_id: string;
  bot_id: string;
  hash: string;
  callback_id: string;
  private_metadata: string;
  external_id: string;
  title?: Json;
  submit?: Json;
  close?: Json;
  blocks: JsonObject[];
  state: { values: ViewStateValues };
  root_view_id: string;
  previous_view_id: string | null;
  clear_on_close: boolean;
  notify_on_close: boolean;
}

/** `message.ephemeralTo` tells ephemeral changes apart; `deleted` carries the last version. */
export interface MessageChange {
  kind: 'posted' | 'updated' | 'deleted';
  message: FakeMessage;
}

export interface ViewChange {
  kind: 'opened' | 'pushed' | 'updated' | 'published' | 'closed';
  view: FakeView;
}

/** Live updates, e.g. for the playground page. */
export interface FakeSlackEvents {
  call: RecordedCall;
  message: MessageChange;
  view: ViewChange;
}

export interface WaitForOptions {
  /** Default 5000 ms. */
  timeoutMs?: number;
  /** Only consider calls with `seq >= since` (e.g. `fake.calls.length` taken before an action). */
  since?: number;
  /** Named in the timeout error. */
  description?: string;
}

/** Replaces a method's behaviour, e.g. to make chat.postMessage fail. Returns Slack's JSON body. */
export type MethodOverride = (args: SlackArgs) => JsonObject;
