import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { LocalBotFrameworkEndpoints, TeamsAuth } from '../../chat/teams/auth.js';
import { systemClock } from '../../clock.js';
import { TypedEmitter } from '../fake-slack/emitter.js';
import { isJsonObject, tryParseJson, type Json, type JsonObject } from '../fake-slack/json.js';
import { HttpError } from './http-error.js';
import { FakeBotFrameworkIdentity } from './identity.js';
import { RequestRecorder, type RequestPredicate } from './recorder.js';
import { FakeTeamsFiles, fileIdOfPath } from './files.js';
import { routeOf, SERVICE_PATH, type Route } from './routes.js';
import { TeamsState } from './state.js';
import { FAKE_TEAM_ID } from './team.js';
import type {
  FakeAttachment,
  FakeBotConnectorOptions,
  FakeConversation,
  FakeTeamsEvents,
  FakeTeamsMessage,
  FakeTeamsUser,
  RecordedRequest,
  WaitForOptions,
} from './types.js';

export { CHANNEL_TOKEN_ISSUER, CONNECTOR_SCOPE } from './identity.js';

const DEFAULT_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

// The body was JSON text, so every value in it is JSON.
const json = z.custom<Json>(() => true);
const BotActivitySchema = z.object({
  type: z.string(),
  text: z.string().optional(),
  summary: z.string().optional(),
  attachments: z.array(z.object({ contentType: z.string(), content: json })).optional(),
});
const CreateConversationSchema = z.object({
  isGroup: z.boolean().optional(),
  bot: z.object({ id: z.string() }).optional(),
  members: z.array(z.object({ id: z.string() })).optional(),
  tenantId: z.string().optional(),
  activity: BotActivitySchema.optional(),
});

/**
 * A local stand-in for the Bot Framework side of Teams: the Bot Connector REST API botbuilder calls
 * (`<serviceUrl>/v3/conversations/…`), the OpenID metadata and keys botbuilder verifies incoming
 * activities with, and the OAuth token endpoint the bot gets its own tokens from. It keeps a model
 * of the conversations and records every request. TeamsActivitySender delivers activities signed
 * with its key, so the bot's real token checks run unchanged.
 */
export class FakeBotConnector {
  readonly baseUrl: string;
  /** The `serviceUrl` of every activity: where botbuilder sends replies, updates and proactive messages. */
  readonly serviceUrl: string;
  readonly appId: string;
  readonly tenantId: string;
  /** The bot as Teams addresses it (`28:<app id>`). */
  readonly botId: string;
  readonly events: TypedEmitter<FakeTeamsEvents>;
  readonly state: TeamsState;

  private readonly recorder: RequestRecorder;
  private readonly identity: FakeBotFrameworkIdentity;
  private readonly installed = new Set<string>();
  /** Files people sent the bot; see files.ts. */
  readonly files = new FakeTeamsFiles();

  private constructor(
    private readonly server: Server,
    private readonly options: FakeBotConnectorOptions,
    state: TeamsState,
    recorder: RequestRecorder,
    events: TypedEmitter<FakeTeamsEvents>,
  ) {
    const { port } = server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.serviceUrl = `${this.baseUrl}${SERVICE_PATH}`;
    this.appId = options.appId;
    this.tenantId = state.tenantId;
    this.botId = state.bot.id;
    this.state = state;
    this.recorder = recorder;
    this.events = events;
    this.identity = new FakeBotFrameworkIdentity(this.baseUrl, this.serviceUrl, options.appId, options.appPassword, state.tenantId);
  }

  static async start(options: FakeBotConnectorOptions): Promise<FakeBotConnector> {
    const tenantId = (options.tenantId ?? DEFAULT_TENANT).toLowerCase();
    const state = new TeamsState(
      tenantId,
      { id: `28:${options.appId}`, name: options.botName ?? 'Warden', role: 'bot' },
      options.clock ?? systemClock,
      options.users ?? [],
      options.channels ?? [],
    );
    const events = new TypedEmitter<FakeTeamsEvents>();
    const recorder = new RequestRecorder(events);
    let fake: FakeBotConnector | undefined;
    const server = createServer((req, res) => void fake?.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    fake = new FakeBotConnector(server, options, state, recorder, events);
    return fake;
  }

  // ---- configuration for the bot ------------------------------------------------------------

  /** The endpoints Warden's `local` Teams auth points botbuilder at. */
  endpoints(): LocalBotFrameworkEndpoints {
    return this.identity.endpoints();
  }

  /** The Teams auth settings that make a bot trust this fake, and this fake trust the bot. */
  teamsAuth(): TeamsAuth {
    const password = this.options.appPassword;
    return password ? { mode: 'local', appId: this.appId, appPassword: password, tenantId: this.tenantId, endpoints: this.endpoints() } : { mode: 'anonymous' };
  }

  /** A token as the Bot Connector signs it for an activity it delivers from `serviceUrl`. */
  activityToken(overrides: Record<string, unknown> = {}): string {
    return this.identity.activityToken(overrides);
  }

  /** For tests of the bot's checks: the key id botbuilder will look the signature up by. */
  get channelKeyId(): string {
    return this.identity.channelKeyId;
  }

  /** Marks the app installed for a person (Teams then lets the bot open a chat with them). */
  install(aad: string): void {
    this.installed.add(aad.toLowerCase());
  }

  // ---- what the bot did ----------------------------------------------------------------------

  get requests(): readonly RecordedRequest[] {
    return this.recorder.requests;
  }

  waitFor(predicate: RequestPredicate, options?: WaitForOptions): Promise<RecordedRequest> {
    return this.recorder.waitFor(predicate, options);
  }

  /** Resolves with the first bot message in a conversation (past or future) whose visible text matches. */
  async waitForMessage(conversationId: string, pattern: RegExp, options: WaitForOptions = {}): Promise<FakeTeamsMessage> {
    const request = await this.waitFor(
      (r) =>
        (r.operation === 'sendToConversation' || r.operation === 'replyToActivity' || r.operation === 'createConversation') &&
        r.status < 300 &&
        this.postedIn(r) === conversationId &&
        pattern.test(JSON.stringify(r.body)),
      { description: `a bot message in ${conversationId} matching ${pattern}`, ...options },
    );
    const id = isJsonObject(request.response) && typeof request.response['id'] === 'string' ? request.response['id'] : undefined;
    const activityId = isJsonObject(request.response) && typeof request.response['activityId'] === 'string' ? request.response['activityId'] : id;
    const message = activityId ? this.state.findMessage(activityId) : undefined;
    if (!message) throw new Error(`fake-teams: request #${request.seq} posted no message`);
    return message;
  }

  messages(conversationId: string): FakeTeamsMessage[] {
    return this.state.messagesIn(conversationId);
  }

  message(conversationId: string, id: string): FakeTeamsMessage | undefined {
    return this.state.message(conversationId, id);
  }

  /** Adds what a person typed to a conversation, as the Teams client would show it. */
  userMessage(conversation: FakeConversation, aad: string, text: string, id?: string): FakeTeamsMessage {
    const message = this.state.addMessage(conversation, { ...(id ? { id } : {}), from: this.state.account(this.state.requireUser(aad)), text });
    this.events.emit('message', message);
    return message;
  }

  personalChatOf(aad: string): FakeConversation {
    return this.state.personalConversation(aad);
  }

  user(aad: string): FakeTeamsUser {
    return this.state.requireUser(aad);
  }

  on<K extends keyof FakeTeamsEvents>(event: K, listener: (payload: FakeTeamsEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  async close(): Promise<void> {
    this.recorder.abortAll('fake-teams closed');
    this.events.removeAll();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ---- HTTP -----------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const method = req.method ?? 'GET';
    const raw = await readText(req);
    const contentType = String(req.headers['content-type'] ?? '');
    const body: Json | undefined = raw === '' ? undefined : contentType.includes('application/x-www-form-urlencoded') ? formJson(raw) : tryParseJson(raw);
    const fileId = fileIdOfPath(url.pathname);
    if (fileId !== undefined && method === 'GET') return this.serveFile(fileId, url.pathname, res);
    const route = routeOf(method, url.pathname);
    let status = 200;
    let response: Json | undefined;
    try {
      ({ status, response } = await this.answer(route, req, body));
    } catch (error) {
      // A bug in the fake must still answer, or the bot would wait on the request forever.
      const known = error instanceof HttpError ? error : new HttpError(500, 'InternalServerError', `fake-teams failed: ${error instanceof Error ? error.message : String(error)}`);
      status = known.status;
      response = { error: { code: known.code, message: known.message } };
    }
    const recordedBody = route.operation === 'token' && isJsonObject(body) ? { ...body, client_secret: '[redacted]' } : body;
    this.recorder.record({
      at: new Date(),
      operation: route.operation,
      method,
      path: url.pathname,
      ...(route.conversationId ? { conversationId: route.conversationId } : {}),
      ...(route.activityId ? { activityId: route.activityId } : {}),
      body: recordedBody,
      status,
      response,
    });
    res.statusCode = status;
    if (response !== undefined) res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(response === undefined ? undefined : JSON.stringify(response));
  }

  /** A downloadUrl: pre-authenticated, so no token is asked for (as with Teams' OneDrive links). */
  private serveFile(fileId: string, path: string, res: ServerResponse): void {
    const file = this.files.get(fileId);
    const status = file ? 200 : 404;
    this.recorder.record({ at: new Date(), operation: 'fileDownload', method: 'GET', path, body: undefined, status, response: undefined });
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.content.length });
    res.end(file.content);
  }

  private async answer(route: Route, req: IncomingMessage, body: Json | undefined): Promise<{ status: number; response?: Json }> {
    const path = new URL(req.url ?? '/', this.baseUrl).pathname;
    switch (route.operation) {
      case 'openid':
        return { status: 200, response: this.identity.openIdMetadata(path) };
      case 'jwks':
        return { status: 200, response: this.identity.keys(path) };
      case 'token':
        return { status: 200, response: this.identity.issueToken(body) };
      case 'unknown':
        throw new HttpError(404, 'NotFound', `The fake Bot Connector has no ${req.method} ${path}.`);
      default:
        this.identity.authorize(req.headers.authorization);
        return this.connector(route, body);
    }
  }

  private connector(route: Route, body: Json | undefined): { status: number; response?: Json } {
    if (route.operation === 'createConversation') return this.createConversation(body);
    // TeamsInfo.getMember in a channel asks the team (`channelData.team.id`): its roster is the tenant's users.
    if (route.conversationId === FAKE_TEAM_ID && route.operation === 'getConversationMember') return this.memberOf(this.state.allUsers(), route.memberId);
    if (route.conversationId === FAKE_TEAM_ID && route.operation === 'getConversationMembers') return { status: 200, response: this.state.allUsers().map((u) => this.member(u)) };
    const conversation = route.conversationId ? this.state.conversation(route.conversationId) : undefined;
    if (!conversation) throw new HttpError(404, 'ConversationNotFound', `Conversation ${route.conversationId ?? ''} not found.`);
    switch (route.operation) {
      case 'sendToConversation':
      case 'replyToActivity': {
        const message = this.post(conversation, body, route.activityId);
        return { status: 201, response: { id: message.id } };
      }
      case 'updateActivity': {
        const message = route.activityId ? this.state.message(conversation.id, route.activityId) : undefined;
        if (!message || message.deleted) throw new HttpError(404, 'ActivityNotFound', `Activity ${route.activityId ?? ''} not found.`);
        if (message.from.role !== 'bot') throw new HttpError(403, 'Forbidden', 'A bot can only update its own messages.');
        const activity = this.activity(body);
        this.state.updateMessage(message, {
          ...(activity.text !== undefined ? { text: activity.text } : {}),
          ...(activity.summary !== undefined ? { summary: activity.summary } : {}),
          attachments: attachmentsOf(activity),
        });
        this.events.emit('message', message);
        return { status: 200, response: { id: message.id } };
      }
      case 'deleteActivity': {
        const message = route.activityId ? this.state.message(conversation.id, route.activityId) : undefined;
        if (!message) throw new HttpError(404, 'ActivityNotFound', `Activity ${route.activityId ?? ''} not found.`);
        message.deleted = true;
        return { status: 200 };
      }
      case 'getConversationMembers':
        return { status: 200, response: this.members(conversation).map((u) => this.member(u)) };
      case 'getConversationMember':
        // A channel's members are the team's: everyone in the tenant.
        return this.memberOf(conversation.kind === 'channel' ? this.state.allUsers() : this.members(conversation), route.memberId);
      default:
        throw new HttpError(404, 'NotFound', 'Unknown operation.');
    }
  }

  /** Teams opens (or reuses) a personal chat with one person when the app is installed for them. */
  private createConversation(body: Json | undefined): { status: number; response: Json } {
    const parsed = CreateConversationSchema.safeParse(body);
    if (!parsed.success) throw new HttpError(400, 'BadArgument', 'Malformed conversation parameters.');
    const { members = [], isGroup, tenantId, activity } = parsed.data;
    if (isGroup || members.length !== 1) throw new HttpError(400, 'BadArgument', 'The fake opens personal chats only: one member, isGroup false.');
    if (tenantId && tenantId.toLowerCase() !== this.tenantId) throw new HttpError(403, 'Forbidden', 'Tenant mismatch.');
    const user = this.state.user(members[0]!.id);
    if (!user) throw new HttpError(404, 'MemberNotFound', `No user ${members[0]!.id} in this tenant.`);
    if (this.options.installedForAll === false && !this.installed.has(user.aadObjectId)) {
      throw new HttpError(403, 'Forbidden', 'The bot is not installed in the user\'s personal scope.');
    }
    const conversation = this.state.personalConversation(user.aadObjectId);
    const first = activity ? this.post(conversation, activity) : undefined;
    return { status: 201, response: { id: conversation.id, ...(first ? { activityId: first.id } : {}), serviceUrl: this.serviceUrl } };
  }

  private post(conversation: FakeConversation, body: Json | undefined, replyToId?: string): FakeTeamsMessage {
    const activity = this.activity(body);
    if (activity.type !== 'message') throw new HttpError(400, 'BadArgument', `The fake shows message activities only, not ${activity.type}.`);
    const message = this.state.addMessage(conversation, {
      from: this.state.bot,
      ...(activity.text !== undefined ? { text: activity.text } : {}),
      ...(activity.summary !== undefined ? { summary: activity.summary } : {}),
      attachments: attachmentsOf(activity),
      ...(replyToId ? { replyToId } : {}),
    });
    this.events.emit('message', message);
    return message;
  }

  private activity(body: Json | undefined): z.infer<typeof BotActivitySchema> {
    const parsed = BotActivitySchema.safeParse(body);
    if (!parsed.success) throw new HttpError(400, 'BadArgument', 'Malformed activity.');
    return parsed.data;
  }

  private members(conversation: FakeConversation): FakeTeamsUser[] {
    return conversation.members.flatMap((aad) => {
      const user = this.state.user(aad);
      return user ? [user] : [];
    });
  }

  /** One member by Entra ID object id or Teams id (as GET …/members/{userId} accepts either), with the e-mail Entra holds. */
  private memberOf(roster: FakeTeamsUser[], memberId: string | undefined): { status: number; response: Json } {
    const user = memberId ? this.state.user(memberId) : undefined;
    if (!user || !roster.includes(user)) throw new HttpError(404, 'MemberNotFound', 'Member not found.');
    return { status: 200, response: this.member(user) };
  }

  private member(user: FakeTeamsUser): JsonObject {
    return {
      id: user.id,
      name: user.name,
      aadObjectId: user.aadObjectId,
      tenantId: this.tenantId,
      userRole: 'user',
      ...(user.email ? { email: user.email, userPrincipalName: user.email } : {}),
    };
  }

  /** Which conversation a recorded post went to (a created chat's id is in the answer). */
  private postedIn(request: RecordedRequest): string | undefined {
    if (request.operation !== 'createConversation') return request.conversationId;
    return isJsonObject(request.response) && typeof request.response['id'] === 'string' ? request.response['id'] : undefined;
  }
}

function attachmentsOf(activity: z.infer<typeof BotActivitySchema>): FakeAttachment[] {
  return (activity.attachments ?? []).map((a) => ({ contentType: a.contentType, content: a.content }));
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

function formJson(raw: string): JsonObject {
  return Object.fromEntries(new URLSearchParams(raw));
}
