import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';
import type { AuditEvent } from '../../access/types.js';
import type { Logger } from '../../chat/slack/context.js';
import type { AccessRules, Org } from '../../config/schemas.js';
import type { Store } from '../../store/store.js';
import { SlackEventSender, type FakeSlackWebApi } from '../fake-slack/index.js';
import { TeamsActivitySender, type FakeBotConnector } from '../fake-teams/index.js';
import type { AuditEventView, OrgInfo } from '../api-types.js';
import {
  BlockActionRequest,
  CloseViewRequest,
  PostMessageRequest,
  SnapshotQuery,
  SubmitViewRequest,
  SuggestRequest,
  TeamsExecuteRequest,
  TeamsPostMessageRequest,
  TeamsSnapshotQuery,
} from './api-schemas.js';
import { AuditFeed } from './audit-feed.js';
import { awsCallsFrom } from './aws-calls.js';
import { HttpError, isAllowedHost, readJson, sendAsset, sendError, sendJson } from './http.js';
import { LiveEvents } from './live-events.js';
import { orgInfo } from './org-info.js';
import { bundlePage, type PageAssets } from './page-assets.js';
import { SlackPlaygroundApi } from './slack-playground-api.js';
import { registeredCommands } from './slash-commands.js';
import { TeamsPlaygroundApi } from './teams-playground-api.js';

export interface PlaygroundServerOptions {
  fake: FakeSlackWebApi;
  /** Bolt's HTTP receiver, e.g. "http://127.0.0.1:4567/slack/events". */
  boltUrl: string;
  signingSecret: string;
  store: Store;
  org: Org;
  rules: AccessRules;
  /** 0 picks a free port. */
  port: number;
  /** Loopback by default: the page acts as anyone in the org, so it is not for the network. */
  host?: string;
  logger: Logger;
  /** The Teams tab: the fake Bot Connector and Warden's botbuilder endpoint ("http://127.0.0.1:…/api/messages"). */
  teams?: { fake: FakeBotConnector; botUrl: string; channels: string[] };
}

const BOT_NAME = 'Warden';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * The playground's web server: the page, a small JSON API that acts as a chosen workspace member
 * (through the signed Slack event sender), the AWS calls and audit log, and live updates (SSE).
 */
export class PlaygroundServer {
  readonly port: number;
  /** What to open in a browser. */
  readonly url: string;

  private constructor(
    private readonly server: Server,
    private readonly live: LiveEvents,
    private readonly feed: AuditFeed,
    private readonly unsubscribe: (() => void)[],
  ) {
    this.port = (server.address() as AddressInfo).port;
    this.url = `http://localhost:${this.port}`;
  }

  static async start(options: PlaygroundServerOptions): Promise<PlaygroundServer> {
    const { fake, store } = options;
    const host = options.host ?? '127.0.0.1';
    const [assets, commands] = await Promise.all([bundlePage(), registeredCommands()]);
    const sender = new SlackEventSender({ url: options.boltUrl, signingSecret: options.signingSecret, fake });
    const slack = new SlackPlaygroundApi({ fake, sender, botName: BOT_NAME, commands });
    const info = orgInfo(options.org, options.rules, fake, commands ?? [], options.teams !== undefined);
    const teams = options.teams
      ? new TeamsPlaygroundApi({
          fake: options.teams.fake,
          sender: new TeamsActivitySender({ botUrl: options.teams.botUrl, fake: options.teams.fake, botName: BOT_NAME }),
          channels: options.teams.channels,
          botName: BOT_NAME,
        })
      : undefined;
    const live = new LiveEvents();
    const feed = new AuditFeed(store, (count) => live.publish({ type: 'audit', count }), () => live.size > 0);
    const unsubscribe = [
      fake.on('message', ({ message }) => live.publish({ type: 'slack', kind: 'message', channel: message.channel })),
      fake.on('view', () => live.publish({ type: 'slack', kind: 'view', channel: null })),
      fake.on('call', () => feed.poke()),
      ...(options.teams ? [options.teams.fake.on('message', (message) => live.publish({ type: 'teams', conversation: message.conversationId }))] : []),
    ];
    const routes = new Routes({ assets, info, slack, teams, store, live, org: options.org, logger: options.logger });

    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const port = (server.address() as AddressInfo).port;
    const loopbackOnly = LOOPBACK.has(host);
    server.on('request', (req, res) => {
      if (!isAllowedHost(req, port, loopbackOnly)) return sendError(res, 403, 'this server only answers to localhost');
      routes.handle(req, res).catch((error: unknown) => {
        if (error instanceof HttpError) return sendError(res, error.status, error.message);
        options.logger.error('playground request failed', { path: req.url, error: error instanceof Error ? error.message : String(error) });
        sendError(res, 500, 'the playground failed to handle this; see the server log');
      });
    });
    feed.start();
    return new PlaygroundServer(server, live, feed, unsubscribe);
  }

  async close(): Promise<void> {
    for (const off of this.unsubscribe) off();
    this.feed.stop();
    this.live.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

interface RouteDeps {
  assets: PageAssets;
  info: OrgInfo;
  slack: SlackPlaygroundApi;
  teams: TeamsPlaygroundApi | undefined;
  store: Store;
  live: LiveEvents;
  org: Org;
  logger: Logger;
}

class Routes {
  constructor(private readonly deps: RouteDeps) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://playground.local');
    const route = `${req.method ?? 'GET'} ${url.pathname}`;
    const { deps } = this;
    switch (route) {
      case 'GET /':
        return sendAsset(res, 'text/html', deps.assets.html);
      case 'GET /assets/app.js':
        return sendAsset(res, 'text/javascript', deps.assets.js);
      case 'GET /assets/app.css':
        return sendAsset(res, 'text/css', deps.assets.css);
      case 'GET /playground/org':
        return sendJson(res, 200, deps.info);
      case 'GET /playground/events':
        return deps.live.connect(req, res);
      case 'GET /playground/slack/state': {
        const { as } = parse(SnapshotQuery, Object.fromEntries(url.searchParams));
        return sendJson(res, 200, deps.slack.snapshot(as));
      }
      case 'POST /playground/slack/messages':
        await deps.slack.postMessage(parse(PostMessageRequest, await readJson(req)));
        return sendJson(res, 200, { ok: true });
      case 'POST /playground/slack/actions':
        await deps.slack.blockAction(parse(BlockActionRequest, await readJson(req)));
        return sendJson(res, 200, { ok: true });
      case 'POST /playground/slack/views/submit':
        return sendJson(res, 200, await deps.slack.submitView(parse(SubmitViewRequest, await readJson(req))));
      case 'POST /playground/slack/views/suggest':
        return sendJson(res, 200, await deps.slack.suggest(parse(SuggestRequest, await readJson(req))));
      case 'POST /playground/slack/views/close':
        deps.slack.closeView(parse(CloseViewRequest, await readJson(req)));
        return sendJson(res, 200, { ok: true });
      case 'GET /playground/teams/state': {
        const { as } = parse(TeamsSnapshotQuery, Object.fromEntries(url.searchParams));
        return sendJson(res, 200, await this.teams().snapshot(as.toLowerCase()));
      }
      case 'POST /playground/teams/messages': {
        const request = parse(TeamsPostMessageRequest, await readJson(req));
        await this.teams().postMessage({ ...request, as: request.as.toLowerCase() });
        return sendJson(res, 200, { ok: true });
      }
      case 'POST /playground/teams/actions': {
        const request = parse(TeamsExecuteRequest, await readJson(req));
        await this.teams().execute({ ...request, as: request.as.toLowerCase() });
        return sendJson(res, 200, { ok: true });
      }
      case 'GET /playground/aws-calls':
        return sendJson(res, 200, { calls: awsCallsFrom(await deps.store.listAudit()) });
      case 'GET /playground/audit':
        return sendJson(res, 200, { events: (await deps.store.listAudit()).map((e) => this.auditView(e)) });
      default:
        return sendError(res, 404, `nothing at ${route}`);
    }
  }

  private teams(): TeamsPlaygroundApi {
    if (!this.deps.teams) throw new HttpError(404, 'this playground runs without Teams');
    return this.deps.teams;
  }

  private auditView(event: AuditEvent): AuditEventView {
    const actor = this.deps.org.users.find((u) => u.id === event.actorId);
    return { ...event, actorName: actor?.name ?? (event.actorId === 'warden' ? BOT_NAME : event.actorId) };
  }
}

/** Parses a request with its schema; the first problem goes back to the page as a 400. */
function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  throw new HttpError(400, `${where}${issue?.message ?? 'invalid request'}`);
}
