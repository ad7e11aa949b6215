import type { ActionChecker } from '../access/checks.js';
import { FixtureResourceDiscovery } from '../aws/discovery/fixture-inventory.js';
import type { Drafter } from '../access/drafter.js';
import type { Logger } from '../chat/slack/context.js';
import type { Clock } from '../clock.js';
import type { AccessRules, Org } from '../config/schemas.js';
import type { IdGenerator } from '../ids.js';
import { loadPolicyGate } from '../policy/load-policy-gate.js';
import { createOfflinePolicy } from '../policy/offline-policy.js';
import type { Store } from '../store/store.js';
import { startWarden, type Warden } from '../warden.js';
import { PlaygroundSlack } from './playground-slack.js';
import { PlaygroundTeams } from './playground-teams.js';
import type { PlaygroundServer } from './server/playground-server.js';

export interface PlaygroundOptions {
  org: Org;
  rules: AccessRules;
  store: Store;
  logger: Logger;
  /** The page's port; 0 (default) picks a free one. */
  port?: number;
  host?: string;
  clock?: Clock;
  ids?: IdGenerator;
  /** Defaults to the offline drafter and catalog checks. */
  policy?: { drafter: Drafter; actionChecker: ActionChecker };
  /** Where guardrails.yaml and scps/ are read from, as `npm start` does. Default: examples */
  configDir?: string;
  scheduler?: { intervalMs: number; owner: string };
}

export interface RunningPlayground {
  url: string;
  server: PlaygroundServer;
  slack: PlaygroundSlack;
  teams: PlaygroundTeams;
  warden: Warden;
  /** Stops the page, Warden and the fakes; the store is the caller's to close. */
  close(): Promise<void>;
}

/**
 * The whole playground in one call, wired as `npm start` wires it (src/main.ts): the fake Slack
 * and the fake Teams Bot Connector, the real Warden on Bolt and botbuilder, and the page. For tests
 * and the screenshot script.
 */
export async function startPlayground(options: PlaygroundOptions): Promise<RunningPlayground> {
  const slack = await PlaygroundSlack.start({ org: options.org, rules: options.rules, ...(options.clock && { clock: options.clock }) });
  const teams = await PlaygroundTeams.start({ org: options.org, rules: options.rules, ...(options.clock && { clock: options.clock }) });
  const offline = await createOfflinePolicy(options.org, options.rules);
  const policy = options.policy ?? offline;
  // The same gate as `npm start`: guardrails and the sample org's SCPs, so the page shows what users see.
  const { gate } = await loadPolicyGate({ configDir: options.configDir ?? 'examples' }, options.org, offline.catalog);
  // The form's resource picker offers the folder's playground-resources.yaml, as `npm start` does.
  const inventory = await FixtureResourceDiscovery.fromConfigDir(options.configDir ?? 'examples', options.org.accounts, { onSkipped: (m) => options.logger.info(m) });
  const warden = await startWarden({
    org: options.org,
    rules: options.rules,
    store: options.store,
    logger: options.logger,
    drafter: policy.drafter,
    actionChecker: policy.actionChecker,
    policyGate: gate,
    ...(inventory && { resourceDiscovery: inventory, resourcePickerOnTeams: false }),
    slack: slack.slackOptions,
    teams: teams.teamsOptions,
    ...(options.clock && { clock: options.clock }),
    ...(options.ids && { ids: options.ids }),
    scheduler: options.scheduler ?? { intervalMs: 30_000, owner: `playground-${process.pid}` },
  });
  const server = await slack.serve({
    boltPort: warden.slackPort,
    store: options.store,
    port: options.port ?? 0,
    ...(options.host !== undefined && { host: options.host }),
    logger: options.logger,
    teams: { fake: teams.fake, botUrl: warden.teamsUrl },
  });
  return {
    url: server.url,
    server,
    slack,
    teams,
    warden,
    async close() {
      await server.close();
      await warden.stop();
      await slack.close();
      await teams.close();
    },
  };
}
