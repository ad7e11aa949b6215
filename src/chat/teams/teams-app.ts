import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudAdapter } from 'botbuilder';
import { errorText } from '../../access/audit.js';
import type { AccessDeps } from '../../access/deps.js';
import type { Directory } from '../../access/directory.js';
import type { Clock } from '../../clock.js';
import type { PolicyConfigHolder } from '../../policy/policy-config-holder.js';
import type { ResourceDiscovery } from '../../access/resource-discovery.js';
import type { Store } from '../../store/store.js';
import type { RoutedPlatform } from '../routing-notifier.js';
import type { HelpAnswerer, Logger } from '../slack/context.js';
import { TeamsAddressBook } from './addresses.js';
import { botAppId, createBotAuthentication, type TeamsAuth } from './auth.js';
import { BackgroundWork } from './background.js';
import { WardenTeamsBot } from './bot.js';
import type { TeamsHandlerContext } from './context.js';
import { createMessagesHandler, MESSAGES_PATH } from './http.js';
import { TeamsNotifier } from './teams-notifier.js';
import { TeamsScanChat } from './scans/teams-scan-chat.js';
import { TeamsVerifiedEmails } from './verified-emails.js';
import type { SharedScans } from '../scan-wiring.js';

// Teams gives a card action about 5 s before the click shows an error; answer well within that.
const DEFAULT_INVOKE_BUDGET_MS = 2500;
// Azure's Bot Connector audience; the local endpoints name their own.
const BOT_FRAMEWORK_SCOPE = 'https://api.botframework.com';

export interface TeamsAppOptions {
  auth: TeamsAuth;
  /** Where `/api/messages` listens; 0 picks a free port. */
  port: number;
  host?: string;
  logger: Logger;
  invokeBudgetMs?: number;
  /** Answers `access help <question>`, as on Slack. */
  help?: HelpAnswerer;
  /** How long a person's e-mail read from Teams is kept before their next activity reads it again (default 1 hour). */
  emailTtlMs?: number;
}

export interface TeamsRuntime {
  adapter: CloudAdapter;
  notifier: TeamsNotifier;
  /** The notifier with what the routing notifier needs to know about Teams. */
  routed: RoutedPlatform;
  /** Wires the workflows' ports before start, as the Slack runtime does. */
  register(deps: AccessDeps, extras?: { policyConfig?: PolicyConfigHolder; resources?: ResourceDiscovery }): void;
  /** Scan messages on Teams (for the scan workflows' routing chat). */
  scanChat: TeamsScanChat;
  /** The e-mail addresses Teams verified, read as people act: a source for the Identity Center match. */
  verifiedEmails: TeamsVerifiedEmails;
  /** Turns `scan …` and the scan buttons on, with the scan ports every platform shares. */
  registerScans(scans: SharedScans): void;
  /** For mounting the endpoint in another node:http server instead of start(). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Listens on `port`; returns the bound port and the endpoint URL. */
  start(): Promise<{ port: number; url: string }>;
  /** Stops listening and waits for work still running from earlier activities. */
  stop(): Promise<void>;
  /** Resolves when no work started by an activity is still running. */
  idle(): Promise<void>;
}

export function createTeamsApp(options: TeamsAppOptions, services: { directory: Directory; store: Store; clock: Clock }): TeamsRuntime {
  const adapter = new CloudAdapter(createBotAuthentication(options.auth));
  const addresses = new TeamsAddressBook(services.store, services.clock);
  const notifier = new TeamsNotifier({
    adapter,
    appId: botAppId(options.auth),
    audience: options.auth.mode === 'local' ? options.auth.endpoints.oauthScope : BOT_FRAMEWORK_SCOPE,
    addresses,
    directory: services.directory,
    store: services.store,
  });
  const background = new BackgroundWork(options.logger);
  const verifiedEmails = new TeamsVerifiedEmails({
    directory: services.directory,
    clock: services.clock,
    logger: options.logger,
    ...(options.emailTtlMs !== undefined ? { ttlMs: options.emailTtlMs } : {}),
    proactive: { adapter, appId: botAppId(options.auth), addresses },
  });
  const allowedTenants = new Set(options.auth.mode !== 'anonymous' && options.auth.tenantId ? [options.auth.tenantId.toLowerCase()] : []);

  adapter.onTurnError = async (_context, error) => {
    // By message only: the activity may carry a user's words, the error never needs them.
    options.logger.error('teams turn failed', { error: errorText(error) });
  };

  let handler: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined;
  let scans: SharedScans | undefined;
  let server: Server | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!handler) {
      res.statusCode = 503;
      res.end('Warden is starting');
      return;
    }
    try {
      await handler(req, res);
    } catch (error) {
      options.logger.error('teams request failed', { error: errorText(error) });
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    }
  };

  return {
    adapter,
    notifier,
    routed: {
      notifier,
      canReachUser: (userId) => notifier.canReachUser(userId),
      knowsChannel: (channel) => notifier.knowsChannel(channel),
    },
    register(deps, extras = {}) {
      const ctx: TeamsHandlerContext = {
        deps,
        ...(extras.policyConfig ? { policyConfig: extras.policyConfig } : {}),
        ...(extras.resources ? { resources: extras.resources } : {}),
        notifier,
        addresses,
        background,
        logger: options.logger,
        allowedTenants,
        invokeBudgetMs: options.invokeBudgetMs ?? DEFAULT_INVOKE_BUDGET_MS,
        ...(options.help ? { help: options.help } : {}),
        verifiedEmails,
        // Read when a command or click arrives: scans may be registered after the handlers.
        get scans() {
          return scans;
        },
      };
      const bot = new WardenTeamsBot(ctx);
      handler = createMessagesHandler(adapter, (context) => bot.run(context));
    },
    scanChat: new TeamsScanChat({ notifier, addresses }),
    verifiedEmails,
    registerScans(shared) {
      scans = shared;
    },
    handle,
    async start() {
      const host = options.host ?? '127.0.0.1';
      const listening = createServer((req, res) => void handle(req, res));
      await new Promise<void>((resolve, reject) => {
        listening.once('error', reject);
        listening.listen(options.port, host, () => resolve());
      });
      server = listening;
      const { port } = listening.address() as AddressInfo;
      return { port, url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}${MESSAGES_PATH}` };
    },
    async stop() {
      const closing = server;
      server = undefined;
      if (closing) {
        await new Promise<void>((resolve) => {
          closing.close(() => resolve());
          closing.closeAllConnections();
        });
      }
      await background.idle();
    },
    idle: () => background.idle(),
  };
}
