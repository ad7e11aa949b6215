import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock } from '../../clock.js';
import { type FakeFile, type FakeFileInput, toSlackFile } from './files.js';
import type { ResponseTarget } from './handles.js';
import type { JsonObject } from './json.js';
import { type CallPredicate, CallRecorder } from './recorder.js';
import { type ResponseOutcome, deliverResponse } from './responses.js';
import { createRequestListener } from './router.js';
import { ViewSubmissionAckSchema } from './schemas.js';
import { type Identity, SlackState } from './state.js';
import type {
  FakeChannelInput,
  FakeMessage,
  FakeSlackEvents,
  FakeSlackOptions,
  FakeUserInput,
  FakeView,
  MethodOverride,
  RecordedCall,
  ViewStateValues,
  WaitForOptions,
} from './types.js';

export const DEFAULT_TRIGGER_TTL_MS = 3000;

/** A message a workspace member types, which the event sender then delivers to the bot. */
export interface UserMessageInput {
  user: string;
  channel: string;
  text: string;
  threadTs?: string;
  blocks?: JsonObject[];
  /** Ids of files (from putFile) shared with the message: it becomes a `file_share` message. */
  files?: string[];
}

/**
 * A local stand-in for Slack's Web API (https://slack.com/api/) that real Bolt / WebClient code
 * talks to over HTTP. It records every call, keeps a model of the conversations and views the bot
 * produced, and emits live events for the playground page.
 */
export class FakeSlackWebApi {
  /** Give Bolt `clientOptions: { slackApiUrl: fake.apiUrl }`; ends with "/api/". */
  readonly apiUrl: string;
  readonly baseUrl: string;
  readonly port: number;
  readonly botToken: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly teamId: string;
  readonly teamDomain: string;
  readonly appId: string;

  private closed = false;

  private constructor(
    private readonly server: Server,
    private readonly state: SlackState,
    private readonly recorder: CallRecorder,
    private readonly overrides: Map<string, MethodOverride>,
  ) {
    const { port } = server.address() as AddressInfo;
    this.port = port;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.baseUrl}/api/`;
    this.botToken = state.identity.botToken;
    this.botUserId = state.identity.botUserId;
    this.botId = state.identity.botId;
    this.teamId = state.identity.teamId;
    this.teamDomain = state.identity.teamDomain;
    this.appId = state.identity.appId;
    state.fileBaseUrl = this.baseUrl;
  }

  static async start(opts: FakeSlackOptions): Promise<FakeSlackWebApi> {
    const identity: Identity = {
      botToken: opts.botToken,
      botUserId: opts.botUserId ?? 'U0FAKEBOT',
      botId: opts.botId ?? 'B0FAKEBOT',
      botName: opts.botName ?? 'warden',
      teamId: opts.teamId ?? 'T0FAKETEAM',
      teamDomain: opts.teamDomain ?? 'warden-playground',
      appId: opts.appId ?? 'A0FAKEAPP',
    };
    const clock = opts.clock ?? systemClock;
    const state = new SlackState(identity, {
      clock,
      triggerTtlMs: opts.triggerTtlMs ?? DEFAULT_TRIGGER_TTL_MS,
      users: opts.users ?? [],
      channels: opts.channels ?? [],
    });
    const recorder = new CallRecorder(state.events, () => clock.now());
    const overrides = new Map<string, MethodOverride>();
    const server = createServer(createRequestListener({ state, recorder, overrides }));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new FakeSlackWebApi(server, state, recorder, overrides);
  }

  // ---- what the bot did -------------------------------------------------------------------

  /** Every request answered, in order (Web API methods, and `response_url` posts). */
  get calls(): readonly RecordedCall[] {
    return this.recorder.calls;
  }

  callsTo(method: string): RecordedCall[] {
    return this.recorder.calls.filter((call) => call.method === method);
  }

  /**
   * Resolves with the first call, past or future, that matches (a method name or a predicate);
   * rejects after `timeoutMs` (default 5000) listing the recorded calls.
   */
  waitFor(predicate: CallPredicate | string, options?: WaitForOptions): Promise<RecordedCall> {
    return this.recorder.waitFor(predicate, options);
  }

  /** Current messages of a channel (after updates and deletes), oldest first, replies included. */
  messages(channel: string): FakeMessage[] {
    return this.state.conversations.list(channel);
  }

  /** A thread: the parent and its replies, oldest first. */
  thread(channel: string, threadTs: string): FakeMessage[] {
    return this.messages(channel).filter((m) => m.ts === threadTs || m.thread_ts === threadTs);
  }

  /** One channel message, or an ephemeral message with that ts. */
  message(channel: string, ts: string): FakeMessage | undefined {
    const ephemeral = this.state.conversations.getEphemeral(ts);
    return this.state.conversations.get(channel, ts) ?? (ephemeral?.channel === channel ? ephemeral : undefined);
  }

  /** Ephemeral messages (chat.postEphemeral and ephemeral responses), for one user or everyone. */
  ephemerals(user?: string): FakeMessage[] {
    return this.state.conversations.ephemerals(user);
  }

  /** Open modals and published App Homes by view id, in their current version. */
  get views(): ReadonlyMap<string, FakeView> {
    return this.state.views.all();
  }

  view(viewId: string): FakeView | undefined {
    return this.state.views.get(viewId);
  }

  // ---- the workspace -----------------------------------------------------------------------

  /** The IM channel between the bot and a user (what conversations.open returns for them). */
  dmChannelOf(userId: string): string {
    return this.state.directory.dmChannelOf(userId);
  }

  users(): FakeUserInput[] {
    return this.state.directory.listUsers();
  }

  addUser(user: FakeUserInput): void {
    this.state.directory.addUser(user);
  }

  /** The channels the workspace was configured with (not DMs). */
  channels(): FakeChannelInput[] {
    return this.state.directory.listChannels();
  }

  userName(userId: string): string {
    return this.state.directory.userName(userId);
  }

  channelName(channelId: string): string {
    return this.state.directory.channelName(channelId);
  }

  /** The `channel_type` Slack puts on message events in this channel. */
  channelType(channelId: string): 'im' | 'mpim' | 'group' | 'channel' {
    return this.state.directory.channelKind(channelId);
  }

  // ---- files -------------------------------------------------------------------------------

  /**
   * A file a member uploaded, not yet shared anywhere (files.info does not find it until a message
   * shares it: `sender.fileShare`). The content is served at its url_private_download.
   */
  putFile(input: FakeFileInput): FakeFile {
    return this.state.files.put(input);
  }

  file(id: string): FakeFile | undefined {
    return this.state.files.get(id);
  }

  /** Deletes a file, as its owner would: files.info then answers `file_deleted`. */
  deleteFile(id: string): void {
    this.state.files.delete(id);
  }

  /** The file as Slack's API shows it (files.info, message events). */
  slackFile(id: string): JsonObject {
    const file = this.state.files.get(id);
    if (!file) throw new Error(`fake-slack: no file ${id}`);
    return toSlackFile(file, this.baseUrl, this.teamId, this.teamDomain);
  }

  // ---- live events -------------------------------------------------------------------------

  /** Subscribes to live updates; returns the unsubscribe function. */
  on<K extends keyof FakeSlackEvents>(event: K, listener: (payload: FakeSlackEvents[K]) => void): () => void {
    return this.state.events.on(event, listener);
  }

  off<K extends keyof FakeSlackEvents>(event: K, listener: (payload: FakeSlackEvents[K]) => void): void {
    this.state.events.off(event, listener);
  }

  // ---- what Slack hands the bot with an interaction (used by the event sender and the page) --

  /** A response_url for an interaction in `channel` by `user`; `messageTs` is the message clicked in. */
  responseUrl(channel: string, user: string, opts: { messageTs?: string } = {}): string {
    const target: ResponseTarget = { channel, user, ...(opts.messageTs !== undefined && { messageTs: opts.messageTs }) };
    return `${this.baseUrl}/response/${this.state.handles.mintResponseUrl(target)}`;
  }

  /** A trigger_id views.open / views.push will accept once, within the trigger TTL. */
  issueTriggerId(userId: string): string {
    return this.state.handles.issueTrigger(userId);
  }

  /** Records a message a user typed (the event sender then tells the bot about it). */
  postUserMessage(input: UserMessageInput): FakeMessage {
    for (const id of input.files ?? []) {
      if (!this.state.files.get(id)) throw new Error(`fake-slack: no file ${id}; put it with putFile first`);
      this.state.files.share(id, input.channel);
    }
    const files = input.files?.map((id) => this.slackFile(id));
    return this.state.conversations.post({
      ...(files !== undefined && { files }),
      channel: input.channel,
      user: input.user,
      team: this.teamId,
      text: input.text,
      threadTs: input.threadTs,
      blocks: input.blocks,
    });
  }

  /**
   * Shows what a slash command's HTTP reply carried (`ack('text')` or `ack({ text, blocks })`),
   * which Slack displays like a response_url message. An empty reply shows nothing.
   */
  applyCommandReply(responseUrl: string, body: unknown): ResponseOutcome | undefined {
    if (body === '' || body === undefined || body === null) return undefined;
    const target = this.responseTargetOf(responseUrl);
    if (!target) return { status: 404, body: { ok: false, error: 'expired_url' } };
    return deliverResponse(this.state, target, typeof body === 'string' ? { text: body } : body);
  }

  /** Records the values a user entered in a modal, as Slack keeps them in `view.state`. */
  setViewState(viewId: string, values: ViewStateValues): void {
    this.state.views.setState(viewId, values);
  }

  /**
   * Applies a view_submission acknowledgement as Slack would: an empty ack closes the view,
   * `update` / `push` / `clear` change the modal stack, `errors` leaves it open.
   */
  applyViewSubmissionAck(viewId: string, body: unknown): void {
    const view = this.state.views.get(viewId);
    if (!view) return;
    if (body === '' || body === undefined || body === null) return this.state.views.close(viewId);
    const parsed = ViewSubmissionAckSchema.safeParse(body);
    if (!parsed.success) return;
    const ack = parsed.data;
    if (ack.response_action === 'update' && ack.view) this.state.views.update({ viewId }, ack.view);
    else if (ack.response_action === 'push' && ack.view) this.state.views.push(view.user, ack.view);
    else if (ack.response_action === 'clear') this.state.views.clear(view.user);
    else if (ack.response_action === undefined) this.state.views.close(viewId);
  }

  /**
   * The user dismissed a modal (Cancel or ×): it and the views pushed above it close, as in Slack.
   * Slack would also send view_closed when the view asked for notify_on_close; Warden does not.
   */
  closeView(viewId: string): void {
    this.state.views.close(viewId);
  }

  // ---- test control ------------------------------------------------------------------------

  /** Replaces a method's answer (or adds a method), e.g. `() => ({ ok: false, error: 'ratelimited' })`. */
  override(method: string, handler: MethodOverride): void {
    this.overrides.set(method, handler);
  }

  clearOverrides(): void {
    this.overrides.clear();
  }

  /** Forgets calls, messages, views, triggers, response URLs and overrides; keeps users and the server. */
  reset(): void {
    this.recorder.clear();
    this.state.reset();
    this.overrides.clear();
  }

  /** Stops the server (dropping keep-alive connections) and rejects pending `waitFor`s. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.recorder.abortAll('fake-slack: closed while waiting for a call');
    this.state.events.removeAll();
    await new Promise<void>((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }

  private responseTargetOf(responseUrl: string): ResponseTarget | undefined {
    const id = /\/response\/([^/]+)$/.exec(responseUrl)?.[1];
    return id === undefined ? undefined : this.state.handles.responseTarget(id);
  }
}

