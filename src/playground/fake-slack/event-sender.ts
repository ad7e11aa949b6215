import { newClientMsgId, newEventId } from './ids.js';
import { type Json, type JsonObject, tryParseJson } from './json.js';
import {
  type EventEnvelope,
  type PayloadContext,
  commandForm,
  eventEnvelope,
  interactivityForm,
  messageBlockActions,
  messageEvent,
  viewBlockActions,
  viewSubmission,
  blockSuggestion,
} from './payloads.js';
import { externalSelectBlockId, parseOptionsAnswer, type SuggestedOptions } from './suggestions.js';
import { signatureHeaders } from './signing.js';
import type { FakeMessage, FakeView, ViewStateValues } from './types.js';
import type { FakeSlackWebApi } from './web-api-server.js';

export interface SlackEventSenderOptions {
  /** The Bolt receiver endpoint, e.g. "http://127.0.0.1:3000/slack/events". */
  url: string;
  signingSecret: string;
  /** The fake Web API: it mints trigger_ids and response_urls and holds the messages clicked in. */
  fake: FakeSlackWebApi;
  /** Time for the signature timestamp; real time by default, since Bolt rejects a skew over 5 min. */
  now?: () => Date;
  /** Per-request limit (default 10 s): Bolt answers an un-acked request after ~3 s anyway. */
  timeoutMs?: number;
}

export interface SendResult {
  status: number;
  /** Parsed as JSON when it is JSON; otherwise the text ('' for an empty body). */
  body: Json;
  /** The raw response text. */
  text: string;
  headers: Record<string, string>;
}

export interface EventDelivery extends SendResult {
  envelope: EventEnvelope;
  eventId: string;
}

export interface RetryOptions {
  /** X-Slack-Retry-Num, default 1. */
  num?: number;
  /** X-Slack-Retry-Reason, default "http_timeout". */
  reason?: string;
}

export interface MessageInput {
  user: string;
  /** Defaults to the user's DM with the bot. */
  channel?: string;
  text: string;
  threadTs?: string;
  /** Derived from the channel id when left out: D… → "im", G… → "mpim"/"group", else "channel". */
  channelType?: 'im' | 'mpim' | 'group' | 'channel';
  blocks?: JsonObject[];
}

/** A single input's value; a string is short for a plain_text_input's value. */
export type ViewInputValue = string | ({ type: string } & JsonObject);
export type ViewValuesInput = Record<string, Record<string, ViewInputValue>>;

export interface BlockActionInput {
  user: string;
  actionId: string;
  /** Defaults to the clicked element's own value, as Slack sends it. */
  value?: string;
  /** Defaults to the block holding the element. */
  blockId?: string;
  /** A click in a message (channel or ephemeral)… */
  message?: { channel: string; ts: string };
  /** …or in an open modal / App Home. */
  viewId?: string;
  /** Extra action fields, e.g. `{ type: 'static_select', selected_option: {…} }`. */
  action?: JsonObject;
}

export interface BlockSuggestionInput {
  user: string;
  /** The open modal holding the external select. */
  viewId: string;
  actionId: string;
  /** Default: the block of the view's external select with this action_id. */
  blockId?: string;
  /** What the user typed. */
  value: string;
  /** The form's other inputs as filled in so far (Slack sends them in the view's state). */
  values?: ViewValuesInput;
}

export interface ViewSubmissionInput {
  user: string;
  viewId: string;
  /** Default: the open view's. */
  callbackId?: string;
  privateMetadata?: string;
  values?: ViewValuesInput;
}

/**
 * Delivers requests to a Bolt HTTP receiver exactly as Slack does: signed with the signing secret,
 * events as JSON `event_callback` envelopes, slash commands and interactivity as forms. Messages a
 * user sends are recorded in the fake first, so the bot's replies and clicks refer to real ts.
 */
export class SlackEventSender {
  private readonly now: () => Date;
  private readonly ctx: PayloadContext;

  constructor(private readonly opts: SlackEventSenderOptions) {
    this.now = opts.now ?? (() => new Date());
    const { fake } = opts;
    this.ctx = {
      teamId: fake.teamId,
      teamDomain: fake.teamDomain,
      appId: fake.appId,
      botUserId: fake.botUserId,
      userName: (id) => fake.userName(id),
      channelName: (id) => fake.channelName(id),
    };
  }

  // ---- Events API --------------------------------------------------------------------------

  /** Any event, wrapped in an event_callback envelope with a fresh event_id. */
  event(event: JsonObject, opts: { eventId?: string } = {}): Promise<EventDelivery> {
    const envelope = eventEnvelope(this.ctx, event, opts.eventId ?? newEventId(), this.now());
    return this.deliver(envelope);
  }

  /** Delivers the same envelope again (same event_id), with Slack's retry headers. */
  redeliver(envelope: EventEnvelope, retry: RetryOptions = {}): Promise<EventDelivery> {
    return this.deliver(envelope, {
      'x-slack-retry-num': String(retry.num ?? 1),
      'x-slack-retry-reason': retry.reason ?? 'http_timeout',
    });
  }

  /** A user's message (recorded in the fake), delivered as a `message` event. */
  async message(input: MessageInput): Promise<EventDelivery & { message: FakeMessage }> {
    const channel = input.channel ?? this.opts.fake.dmChannelOf(input.user);
    const message = this.opts.fake.postUserMessage({ ...input, channel });
    const channelType = input.channelType ?? this.opts.fake.channelType(channel);
    const event = messageEvent(message, 'message', { channelType, clientMsgId: newClientMsgId() });
    return { ...(await this.event(event)), message };
  }

  /**
   * A user sharing files (put with `fake.putFile`) with a message, delivered as a `message` event
   * with subtype `file_share` and the files, as Slack sends an upload in a conversation.
   */
  async fileShare(input: MessageInput & { files: string[] }): Promise<EventDelivery & { message: FakeMessage }> {
    const channel = input.channel ?? this.opts.fake.dmChannelOf(input.user);
    const message = this.opts.fake.postUserMessage({ ...input, channel });
    const channelType = input.channelType ?? this.opts.fake.channelType(channel);
    const event = { ...messageEvent(message, 'message', { channelType }), subtype: 'file_share', files: message.files ?? [], upload: true };
    return { ...(await this.event(event)), message };
  }

  /** A channel message mentioning the bot, delivered as `app_mention` (the mention is added if missing). */
  async appMention(
    input: Omit<MessageInput, 'channelType'> & { channel: string },
  ): Promise<EventDelivery & { message: FakeMessage }> {
    const mention = `<@${this.opts.fake.botUserId}>`;
    const text = input.text.includes(mention) ? input.text : `${mention} ${input.text}`;
    const message = this.opts.fake.postUserMessage({ ...input, text });
    const event = messageEvent(message, 'app_mention', { clientMsgId: newClientMsgId() });
    return { ...(await this.event(event)), message };
  }

  // ---- slash commands ----------------------------------------------------------------------

  /**
   * `/command text` typed by a user. A non-empty HTTP reply (`ack('…')`) is shown the way Slack
   * shows it (ephemeral unless `response_type: 'in_channel'`).
   */
  async command(
    command: string,
    text: string,
    opts: { user: string; channel?: string },
  ): Promise<SendResult & { responseUrl: string; triggerId: string }> {
    const channel = opts.channel ?? this.opts.fake.dmChannelOf(opts.user);
    const responseUrl = this.opts.fake.responseUrl(channel, opts.user);
    const triggerId = this.opts.fake.issueTriggerId(opts.user);
    const form = commandForm(this.ctx, { command, text, user: opts.user, channel, triggerId, responseUrl });
    const result = await this.post(form.toString(), { 'content-type': 'application/x-www-form-urlencoded' });
    if (result.status === 200) {
      const reply = isJsonResponse(result) ? result.body : result.text;
      this.opts.fake.applyCommandReply(responseUrl, reply);
    }
    return { ...result, responseUrl, triggerId };
  }

  // ---- interactivity -----------------------------------------------------------------------

  /** A click on an interactive element in a message or a view. */
  async blockAction(input: BlockActionInput): Promise<SendResult & { payload: JsonObject; triggerId: string }> {
    const triggerId = this.opts.fake.issueTriggerId(input.user);
    const fields = {
      user: input.user,
      triggerId,
      actionId: input.actionId,
      actionTs: this.actionTs(),
      blockId: input.blockId,
      value: input.value,
      action: input.action,
    };
    let payload: JsonObject;
    if (input.message) {
      const message = this.requireMessage(input.message);
      const responseUrl = this.opts.fake.responseUrl(message.channel, input.user, { messageTs: message.ts });
      payload = messageBlockActions(this.ctx, { ...fields, message, responseUrl });
    } else if (input.viewId !== undefined) {
      payload = viewBlockActions(this.ctx, { ...fields, view: this.requireView(input.viewId) });
    } else {
      throw new Error('blockAction needs a message ({ channel, ts }) or a viewId to click in');
    }
    return { ...(await this.postPayload(payload)), payload, triggerId };
  }

  /**
   * A user submitting a modal. The open view (if the fake has it) supplies callback_id,
   * private_metadata and hash; the acknowledgement then updates the fake's modal stack.
   */
  async viewSubmission(input: ViewSubmissionInput): Promise<SendResult & { payload: JsonObject }> {
    const values = toStateValues(input.values ?? {});
    const open = this.opts.fake.view(input.viewId);
    const view: FakeView = {
      ...(open ?? placeholderView(input, this.opts.fake)),
      ...(input.callbackId !== undefined && { callback_id: input.callbackId }),
      ...(input.privateMetadata !== undefined && { private_metadata: input.privateMetadata }),
    };
    this.opts.fake.setViewState(input.viewId, values);
    const triggerId = this.opts.fake.issueTriggerId(input.user);
    const payload = viewSubmission(this.ctx, { user: input.user, triggerId, view, values });
    const result = await this.postPayload(payload);
    if (result.status === 200) this.opts.fake.applyViewSubmissionAck(input.viewId, result.body);
    return { ...result, payload };
  }

  /**
   * A user typing into an external select of an open modal, sent to the options endpoint as Slack
   * does (the same signed form as interactivity). Returns the options the app answered, checked
   * against what Slack would accept; a non-200 answer is returned with no options.
   */
  async blockSuggestion(input: BlockSuggestionInput): Promise<SendResult & { payload: JsonObject; options: SuggestedOptions }> {
    const view = this.requireView(input.viewId);
    const blockId = input.blockId ?? externalSelectBlockId(view, input.actionId);
    if (blockId === undefined) throw new Error(`fake-slack: view ${input.viewId} has no external select with action_id ${input.actionId}`);
    const values = toStateValues(input.values ?? {});
    this.opts.fake.setViewState(input.viewId, values);
    const payload = blockSuggestion(this.ctx, { user: input.user, view, values, actionId: input.actionId, blockId, value: input.value });
    const result = await this.postPayload(payload);
    return { ...result, payload, options: result.status === 200 ? parseOptionsAnswer(result.body) : { groups: [] } };
  }

  // ---- anything ----------------------------------------------------------------------------

  /**
   * Sends a body as is, signed correctly unless `headers` supply their own x-slack-signature /
   * x-slack-request-timestamp (to forge one). Objects are sent as JSON.
   */
  raw(body: string | JsonObject, headers: Record<string, string> = {}): Promise<SendResult> {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const contentType = text.trimStart().startsWith('{') ? 'application/json' : 'application/x-www-form-urlencoded';
    return this.post(text, { 'content-type': contentType, ...lowerCaseKeys(headers) });
  }

  // ---- plumbing ----------------------------------------------------------------------------

  private async deliver(envelope: EventEnvelope, headers: Record<string, string> = {}): Promise<EventDelivery> {
    const result = await this.post(JSON.stringify(envelope), { 'content-type': 'application/json', ...headers });
    return { ...result, envelope, eventId: envelope.event_id };
  }

  private postPayload(payload: JsonObject): Promise<SendResult> {
    return this.post(interactivityForm(payload).toString(), { 'content-type': 'application/x-www-form-urlencoded' });
  }

  private async post(body: string, headers: Record<string, string>): Promise<SendResult> {
    const response = await fetch(this.opts.url, {
      method: 'POST',
      headers: { ...signatureHeaders(this.opts.signingSecret, body, this.now()), ...headers },
      body,
      signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? '' : (tryParseJson(text) ?? text),
      text,
      headers: Object.fromEntries(response.headers.entries()),
    };
  }

  private actionTs(): string {
    return (this.now().getTime() / 1000).toFixed(6);
  }

  private requireMessage(ref: { channel: string; ts: string }): FakeMessage {
    const message = this.opts.fake.message(ref.channel, ref.ts);
    if (!message) throw new Error(`fake-slack: no message ${ref.ts} in ${ref.channel} to click in`);
    return message;
  }

  private requireView(viewId: string): FakeView {
    const view = this.opts.fake.view(viewId);
    if (!view) throw new Error(`fake-slack: no open view ${viewId} to click in`);
    return view;
  }
}

function isJsonResponse(result: SendResult): boolean {
  return (result.headers['content-type'] ?? '').includes('application/json');
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/** Expands the `"value"` shorthand into Slack's state entries. */
export function toStateValues(values: ViewValuesInput): ViewStateValues {
  const out: ViewStateValues = {};
  for (const [blockId, actions] of Object.entries(values)) {
    const block: Record<string, JsonObject> = {};
    for (const [actionId, value] of Object.entries(actions)) {
      block[actionId] = typeof value === 'string' ? { type: 'plain_text_input', value } : value;
    }
    out[blockId] = block;
  }
  return out;
}

/** A view the fake never opened (a test submitting directly): only what the caller supplied. */
function placeholderView(input: ViewSubmissionInput, fake: FakeSlackWebApi): FakeView {
  return {
    id: input.viewId,
    type: 'modal',
    user: input.user,
    team_id: fake.teamId,
    app_id: fake.appId,
    bot_id: fake.botId,
    hash: `${Math.floor(Date.now() / 1000)}.placeholder`,
    callback_id: input.callbackId ?? '',
    private_metadata: input.privateMetadata ?? '',
    external_id: '',
    blocks: [],
    state: { values: {} },
    root_view_id: input.viewId,
    previous_view_id: null,
    clear_on_close: false,
    notify_on_close: false,
  };
}
