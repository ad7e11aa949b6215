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
import type { SlackRuntime } from '../../src/chat/slack/slack-app.js';
import { startWarden, type Warden } from '../../src/warden.js';
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
    ...(options.slack === false
      ? {}
      : {
          slack: {
            connection: { mode: 'http', botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, port: 0 },
            clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } },
          },
        }),
    teams: { auth: teams.teamsAuth(), port: 0, ...(options.invokeBudgetMs !== undefined ? { invokeBudgetMs: options.invokeBudgetMs } : {}) },
    scheduler: { intervalMs: 60 * 60_000, owner: `test-${Math.random()}` },
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

/** Everything a Teams message shows (the shared card, or the text), for loose assertions. */
export function shown(message: FakeTeamsMessage | undefined): string {
  return message ? `${message.text ?? ''}\n${cardText(adaptiveCardOf(message))}` : '';
}
