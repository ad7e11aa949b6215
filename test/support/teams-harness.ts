import { HelpAssistant } from '../../src/ai/help-assistant.js';
import { loadPolicyConfig } from '../../src/config/load-policy-files.js';
import type { AccessRules, Org } from '../../src/config/schemas.js';
import { memoryLogger } from '../../src/logger.js';
import { FakeSlackWebApi, SlackEventSender } from '../../src/playground/fake-slack/index.js';
import {
  adaptiveCardOf,
  cardText,
  FakeBotConnector,
  TeamsActivitySender,
  type FakeTeamsMessage,
} from '../../src/playground/fake-teams/index.js';
import { createOfflinePolicy } from '../../src/policy/offline-policy.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import type { ScanPorts } from '../../src/scans/ports.js';
import type { CommandRunner } from '../../src/access/command-runner.js';
import type { ResourceDiscovery } from '../../src/access/resource-discovery.js';
import type { PolicyGate } from '../../src/access/checks.js';
import type { Granter } from '../../src/access/granter.js';
import type { SlackRuntime } from '../../src/chat/slack/slack-app.js';
import { startWarden, type Warden } from '../../src/warden.js';
import { readFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import type { IamCatalog } from '../../src/policy/catalog.js';
import { HeldPolicyGate } from '../../src/policy/held-policy-gate.js';
import { loadPolicyGate } from '../../src/policy/load-policy-gate.js';
import { PolicyConfigHolder } from '../../src/policy/policy-config-holder.js';
import { ManualClock } from './manual-clock.js';
import { BOT_TOKEN, SIGNING_SECRET } from './warden-harness.js';

/** Entra ID object ids given to the sample org's people (examples/ maps Slack ids only). */
export const AAD = {
  ana: 'a0000000-0000-4000-8000-00000000a0a0',
  ben: 'b0000000-0000-4000-8000-00000000b0b0',
  carla: 'c0000000-0000-4000-8000-00000000c0c0',
  dave: 'd0000000-0000-4000-8000-00000000d0d0',
} as const;

export const TEAMS_APP_ID = '5e1f0c2a-7b3d-4c8e-9f10-2a3b4c5d6e7f';
export const TEAMS_APP_PASSWORD = 'warden-teams-test-secret';
export const TEAMS_TENANT = '0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b';
/** The id of the fake team's `access-requests` channel (what an admin copies from "Get link to channel"). */
export const TEAMS_ACCESS_CHANNEL = '19:accessrequests0@thread.tacv2';

/** The sample org with every person mapped on Teams too (by Entra ID object id). */
export function orgWithTeams(org: Org): Org {
  return { ...org, users: org.users.map((u) => (u.id in AAD ? { ...u, aadObjectId: AAD[u.id as keyof typeof AAD] } : u)) };
}

export interface TeamsHarnessOptions {
  /** Changes the org after the Teams ids are added (e.g. a Teams-only approver). */
  org?: (org: Org) => Org;
  rules?: (rules: AccessRules) => AccessRules;
  /** `local` (default): token checks on, against the fake's keys. `anonymous`: no app id, no checks. */
  auth?: 'local' | 'anonymous';
  invokeBudgetMs?: number;
  /** `false`: a Teams-only Warden (no Slack options at all); the fake Slack still runs, unused. */
  slack?: boolean;
  /** Turns scans on with these ports, built over the harness's store (e.g. a SqliteScanStore on its connection). */
  scans?: (store: Store) => ScanPorts;
  /** Runs approved `/run` commands; default: Warden's dry run. */
  commandRunner?: CommandRunner;
  /** Admins may change the policy files from chat (the examples' files in force, as the Slack harness has it). */
  policyConfig?: boolean;
  /** Turns the request form's resource picker on (Slack and Teams), answered by this discovery. */
  resourceDiscovery?: ResourceDiscovery;
  /**
   * Real granting over the harness's store and clock (e.g. awsGranting with a mocked SDK): its granter,
   * and a gate wrapped around the policy gate (the examples' when `policyConfig`, else none).
   */
  granting?: (services: { store: Store; clock: ManualClock; org: Org }) => { granter: Granter; policyGate?: (inner: PolicyGate | undefined) => PolicyGate };
  /** How long Teams' member lookups (verified e-mails) are kept. */
  teamsEmailTtlMs?: number;
}

export interface TeamsHarness {
  teams: FakeBotConnector;
  sender: TeamsActivitySender;
  slack: FakeSlackWebApi;
  slackSender: SlackEventSender;
  warden: Warden<SlackRuntime | undefined>;
  store: Store;
  clock: ManualClock;
  org: Org;
  logger: ReturnType<typeof memoryLogger>;
  /** Waits until the bot has finished everything activities started (it answers Teams first). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real Warden with both chat platforms: Bolt against the fake Slack, and botbuilder's
 * CloudAdapter against the fake Bot Connector, with token verification on (the fake's OpenID
 * metadata, keys and token endpoint). The sender delivers signed activities as Teams does.
 */
export async function startTeamsHarness(options: TeamsHarnessOptions = {}): Promise<TeamsHarness> {
  const loaded = await loadPolicyConfig('examples');
  const withTeams = orgWithTeams(loaded.org);
  const org = options.org ? options.org(withTeams) : withTeams;
  const rules = options.rules ? options.rules(loaded.rules) : loaded.rules;
  const slack = await FakeSlackWebApi.start({
    botToken: BOT_TOKEN,
    users: org.users.flatMap((u) => (u.slackId ? [{ id: u.slackId, name: u.id, realName: u.name }] : [])),
    channels: [{ id: 'C0ACCESS', name: 'access-requests' }],
    triggerTtlMs: 60_000,
  });
  const teams = await FakeBotConnector.start({
    appId: TEAMS_APP_ID,
    ...((options.auth ?? 'local') === 'local' ? { appPassword: TEAMS_APP_PASSWORD } : {}),
    tenantId: TEAMS_TENANT,
    users: org.users.flatMap((u) => (u.aadObjectId ? [{ aadObjectId: u.aadObjectId, name: u.name, ...(u.email ? { email: u.email } : {}) }] : [])),
    channels: [{ name: 'access-requests', id: TEAMS_ACCESS_CHANNEL }],
  });
  const store = SqliteStore.open(':memory:');
  const clock = new ManualClock();
  const logger = memoryLogger();
  const policy = await createOfflinePolicy(org, rules);
  const held = options.policyConfig ? await heldPolicy(org, rules, store, policy.catalog, logger, options.rules !== undefined) : undefined;
  const granting = options.granting?.({ store, clock, org });
  const authCalls = slack.callsTo('auth.test').length;
  const warden = await startWarden({
    org,
    rules,
    store,
    clock,
    logger,
    drafter: policy.drafter,
    actionChecker: policy.actionChecker,
    help: new HelpAssistant({ org, rules, logger, clock }),
    ...(held ? { policyConfig: held.policyConfig, policyGate: held.policyGate } : {}),
    ...(granting ? { granter: granting.granter, ...(granting.policyGate ? { policyGate: granting.policyGate(held?.policyGate) } : {}) } : {}),
    ...(options.slack === false
      ? {}
      : {
          slack: {
            connection: { mode: 'http', botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, port: 0 },
            clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } },
          },
        }),
    teams: {
      auth: teams.teamsAuth(),
      port: 0,
      ...(options.invokeBudgetMs !== undefined ? { invokeBudgetMs: options.invokeBudgetMs } : {}),
      ...(options.teamsEmailTtlMs !== undefined ? { emailTtlMs: options.teamsEmailTtlMs } : {}),
    },
    scheduler: { intervalMs: 60 * 60_000, owner: `test-${Math.random()}` },
    ...(options.scans ? { scans: options.scans(store) } : {}),
    ...(options.commandRunner ? { commandRunner: options.commandRunner } : {}),
    ...(options.resourceDiscovery ? { resourceDiscovery: options.resourceDiscovery } : {}),
  });
  if (warden.slack) await slack.waitFor((call) => call.method === 'auth.test' && call.seq >= authCalls);
  if (!warden.teamsUrl) throw new Error('Warden did not start Teams');
  const sender = new TeamsActivitySender({ botUrl: warden.teamsUrl, fake: teams });
  const slackSender = new SlackEventSender({ url: `http://127.0.0.1:${warden.slackPort}/slack/events`, signingSecret: SIGNING_SECRET, fake: slack });
  return {
    teams,
    sender,
    slack,
    slackSender,
    warden,
    store,
    clock,
    org,
    logger,
    idle: async () => {
      await warden.teams?.idle();
    },
    async close() {
      await warden.stop();
      await teams.close();
      await slack.close();
      await store.close();
    },
  };
}

/** The policy holder and gate over the examples' files, as the Slack harness builds them. */
async function heldPolicy(org: Org, rules: AccessRules, store: Store, catalog: IamCatalog, logger: ReturnType<typeof memoryLogger>, rulesChanged: boolean) {
  const loadedGate = await loadPolicyGate({ configDir: 'examples' }, org, catalog);
  const policyConfig = new PolicyConfigHolder({
    org,
    store,
    base: {
      guardrails: { value: loadedGate.guardrails, text: PolicyConfigHolder.guardrailsText(loadedGate.guardrails, loadedGate.guardrailsText) },
      rules: { value: rules, text: rulesChanged ? stringify(rules) : await readFile('examples/access-rules.yaml', 'utf8') },
    },
    onError: (error) => logger.error('stored policy version not applied', { error: String(error) }),
  });
  return { policyConfig, policyGate: new HeldPolicyGate({ holder: policyConfig, catalog, scps: loadedGate.scps }) };
}

/** Everything a Teams message shows (the shared card, or the text), for loose assertions. */
export function shown(message: FakeTeamsMessage | undefined): string {
  return message ? `${message.text ?? ''}\n${cardText(adaptiveCardOf(message))}` : '';
}
