import { Server } from 'node:http';
import { App, HTTPReceiver, LogLevel, type Receiver } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import type { AccessDeps } from '../../access/deps.js';
import type { HelpAnswerer, Logger } from './context.js';
import { registerAccessCommand } from './handlers/access-command.js';
import { registerRunCommand } from './handlers/run-command.js';
import { registerActionHandlers } from './handlers/actions.js';
import { registerMessageHandlers } from './handlers/messages.js';
import { registerViewHandlers } from './handlers/views.js';
import { registerResourceOptions } from './handlers/resource-options.js';
import type { ResourceDiscovery } from '../../access/resource-discovery.js';
import { registerScanHandlers } from './handlers/scan-command.js';
import type { ScanPorts } from '../../scans/ports.js';
import type { ScanTracker } from '../../scans/tracker.js';
import type { SharedScans } from '../scan-wiring.js';
import { SlackNotifier } from './slack-notifier.js';
import { registerWardenCommand } from './handlers/warden-command.js';
import type { PolicyConfigHolder } from '../../policy/policy-config-holder.js';

export type SlackConnection =
  /** Socket Mode: Slack holds a WebSocket to us; no public URL needed. */
  | { mode: 'socket'; botToken: string; appToken: string }
  /** HTTP: Slack posts signed requests; Bolt verifies every signature. */
  | { mode: 'http'; botToken: string; signingSecret: string; port: number; host?: string };

export interface SlackAppOptions {
  connection: SlackConnection;
  /** For the local fake Slack (playground, tests): where the Web API lives, and no retries. */
  clientOptions?: WebClientOptions;
  logger: Logger;
}

export interface SlackRuntime {
  app: App;
  notifier: SlackNotifier;
  receiver: Receiver | undefined;
  /** Wires the workflows' Notifier before start, since the deps need it and it needs the app. */
  register(deps: AccessDeps, extras?: { help?: HelpAnswerer; policyConfig?: PolicyConfigHolder; resources?: ResourceDiscovery }): void;
  /** Registers /scan and the scan buttons; the returned tracker watches running scans. */
  registerScans(deps: AccessDeps, ports: ScanPorts, shared?: SharedScans): ScanTracker;
  /** Starts listening; in HTTP mode returns the bound port (useful with port 0). */
  start(): Promise<{ port?: number }>;
  stop(): Promise<void>;
}

export function createSlackApp(options: SlackAppOptions, directory: AccessDeps['directory']): SlackRuntime {
  const { connection } = options;
  const receiver =
    connection.mode === 'http'
      ? new HTTPReceiver({ signingSecret: connection.signingSecret, port: connection.port, endpoints: '/slack/events', logLevel: LogLevel.WARN })
      : undefined;
  const app =
    connection.mode === 'socket'
      ? new App({ token: connection.botToken, appToken: connection.appToken, socketMode: true, logLevel: LogLevel.WARN, clientOptions: options.clientOptions ?? {} })
      : new App({ token: connection.botToken, receiver, logLevel: LogLevel.WARN, clientOptions: options.clientOptions ?? {} });
  const notifier = new SlackNotifier(app.client, directory);

  app.error(async (error) => {
    options.logger.error('slack app error', { error: error.message });
  });

  return {
    app,
    notifier,
    receiver,
    register(deps, extras = {}) {
      const ctx = { deps, notifier, logger: options.logger, ...(extras.help ? { help: extras.help } : {}), ...(extras.resources ? { resources: extras.resources } : {}) };
      registerMessageHandlers(app, ctx);
      registerAccessCommand(app, ctx);
      registerRunCommand(app, ctx);
      registerActionHandlers(app, ctx);
      registerViewHandlers(app, ctx);
      if (extras.resources) registerResourceOptions(app, ctx, extras.resources);
      if (extras.policyConfig) registerWardenCommand(app, { ...ctx, policyConfig: extras.policyConfig });
    },
    registerScans(deps, ports, shared) {
      return registerScanHandlers(app, { deps, notifier, logger: options.logger }, ports, shared);
    },
    async start() {
      if (connection.mode === 'socket') {
        await app.start();
        return {};
      }
      const server: unknown = await app.start({ port: connection.port, host: connection.host ?? '127.0.0.1' });
      const address = server instanceof Server ? server.address() : null;
      return typeof address === 'object' && address ? { port: address.port } : {};
    },
    async stop() {
      await app.stop();
    },
  };
}
