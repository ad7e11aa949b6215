import type { Drafter } from '../../src/access/drafter.js';
import type { CommandRunner, InstanceNames } from '../../src/access/command-runner.js';
import type { ResourceDiscovery } from '../../src/access/resource-discovery.js';
import { HelpAssistant } from '../../src/ai/help-assistant.js';
import { loadPolicyConfig } from '../../src/config/load-policy-files.js';
import type { AccessRules, Org } from '../../src/config/schemas.js';
import { memoryLogger } from '../../src/logger.js';
import { FakeSlackWebApi, SlackEventSender, type FakeMessage, type RecordedCall } from '../../src/playground/fake-slack/index.js';
import { readFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { HeldPolicyGate } from '../../src/policy/held-policy-gate.js';
import { loadPolicyGate } from '../../src/policy/load-policy-gate.js';
import { PolicyConfigHolder } from '../../src/policy/policy-config-holder.js';
import { createOfflinePolicy } from '../../src/policy/offline-policy.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { startWarden, type Warden } from '../../src/warden.js';
import type { ScanPorts } from '../../src/scans/ports.js';
import type { ScanEventSourceFactory } from '../../src/scans/events/scan-events.js';
import type { DigestConfig } from '../../src/digests/config.js';
import { ManualClock } from './manual-clock.js';

export const BOT_TOKEN = 'xoxb-warden-test';
export const SIGNING_SECRET = 'warden-test-signing-secret';

/** Slack ids of the sample org in examples/. */
export const SLACK = { ana: 'U0ANA', ben: 'U0BEN', carla: 'U0CARLA', dave: 'U0DAVE' } as const;

export interface WardenHarness {
  fake: FakeSlackWebApi;
  sender: SlackEventSender;
  warden: Warden;
  store: Store;
  clock: ManualClock;
  org: Org;
  rules: AccessRules;
  logger: ReturnType<typeof memoryLogger>;
  /** Stops Warden (not the fake, not the store) and starts it again on the same store and clock. */
  restart(): Promise<void>;
  /** Stops Warden only, leaving the store open, as a crash or deploy would. */
  stopWarden(): Promise<void>;
  startWarden(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real Warden (Bolt HTTP receiver, workflows, SQLite store, offline drafter, dry-run granter)
 * wired to the fake Slack; the sender delivers signed payloads exactly as Slack would.
 */
export interface WardenHarnessOptions {
  store?: Store;
  clock?: ManualClock;
  rules?: (rules: AccessRules) => AccessRules;
  /** Replaces the offline drafter (e.g. with the Bedrock drafter against a local fake). */
  drafter?: (offline: Drafter) => Drafter;
  /** Turns `/scan` on with these ports, built over the harness's store (e.g. a SqliteScanStore on its connection). */
  scans?: (store: Store) => ScanPorts;
  /** Turns the request form's resource picker on, answered by this discovery. */
  resourceDiscovery?: ResourceDiscovery;
  /** Completion events for the scans (e.g. the SQS consumer over a mocked client). */
  scanEvents?: ScanEventSourceFactory;
  /** Runs approved `/run` commands (e.g. the SSM runner against aws-sdk-client-mock); default: Warden's dry run. */
  commandRunner?: CommandRunner;
  /** Resolves EC2 Name tags (e.g. over a mocked EC2 client); default: none, as in dry-run mode. */
  instanceNames?: InstanceNames;
  /** Schedules the digests (tests tick them with `warden.digests.tick`); default: none. */
  digests?: DigestConfig;
}

export async function startWardenHarness(options: WardenHarnessOptions = {}): Promise<WardenHarness> {
  const loaded = await loadPolicyConfig('examples');
  const org = loaded.org;
  const rules = options.rules ? options.rules(loaded.rules) : loaded.rules;
  const fake = await FakeSlackWebApi.start({
    botToken: BOT_TOKEN,
    users: org.users.filter((u) => u.slackId).map((u) => ({ id: u.slackId!, name: u.id, realName: u.name, ...(u.email ? { email: u.email } : {}) })),
    channels: [{ id: 'C0ACCESS', name: 'access-requests' }, { id: 'C0GENERAL', name: 'general' }],
    triggerTtlMs: 60_000,
  });
  const store = options.store ?? SqliteStore.open(':memory:');
  const clock = options.clock ?? new ManualClock();
  const logger = memoryLogger();
  const policy = await createOfflinePolicy(org, rules);
  // The full gate of the sample org: examples/guardrails.yaml and the SCPs in examples/scps.
  const loadedGate = await loadPolicyGate({ configDir: 'examples' }, org, policy.catalog);
  // The rules text an admin edits: the file itself, unless a test changed the rules in code.
  const rulesText = options.rules ? stringify(rules) : await readFile('examples/access-rules.yaml', 'utf8');
  const drafter = options.drafter ? options.drafter(policy.drafter) : policy.drafter;

  let warden: Warden | undefined;
  let sender: SlackEventSender | undefined;
  const boot = async () => {
    const authCalls = fake.callsTo('auth.test').length;
    // A new holder per boot, as a restarted process has: it must find admin changes in the store.
    const policyConfig = new PolicyConfigHolder({
      org,
      store,
      base: {
        guardrails: { value: loadedGate.guardrails, text: PolicyConfigHolder.guardrailsText(loadedGate.guardrails, loadedGate.guardrailsText) },
        rules: { value: rules, text: rulesText },
      },
      onError: (error) => logger.error('stored policy version not applied', { error: String(error) }),
    });
    warden = await startWarden({
      org,
      rules,
      store,
      clock,
      logger,
      drafter,
      policyGate: new HeldPolicyGate({ holder: policyConfig, catalog: policy.catalog, scps: loadedGate.scps }),
      policyConfig,
      help: new HelpAssistant({ org, rules, logger, clock }),
      actionChecker: policy.actionChecker,
      slack: {
        connection: { mode: 'http', botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, port: 0 },
        clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
      },
      // Ticks are driven by the tests; the interval only matters for the lease length.
      scheduler: { intervalMs: 60 * 60_000, owner: `test-${Math.random()}` },
      ...(options.scans ? { scans: options.scans(store) } : {}),
      ...(options.resourceDiscovery ? { resourceDiscovery: options.resourceDiscovery } : {}),
      ...(options.scanEvents ? { scanEvents: options.scanEvents } : {}),
      ...(options.commandRunner ? { commandRunner: options.commandRunner } : {}),
      ...(options.instanceNames ? { instanceNames: options.instanceNames } : {}),
      ...(options.digests ? { digests: options.digests } : {}),
    });
    // Bolt verifies the token from its constructor without awaiting; let that finish first.
    await fake.waitFor((call) => call.method === 'auth.test' && call.seq >= authCalls);
    sender = new SlackEventSender({ url: `http://127.0.0.1:${warden.slackPort}/slack/events`, signingSecret: SIGNING_SECRET, fake });
  };
  await boot();

  const harness: WardenHarness = {
    fake,
    get sender() {
      return sender!;
    },
    get warden() {
      return warden!;
    },
    store,
    clock,
    org,
    rules,
    logger,
    async stopWarden() {
      await warden?.stop();
      warden = undefined;
    },
    async startWarden() {
      await boot();
    },
    async restart() {
      await harness.stopWarden();
      await boot();
    },
    async close() {
      await warden?.stop();
      await fake.close();
      await store.close();
    },
  };
  return harness;
}

/** The value of a card button, as the bot rendered it in Block Kit. */
export function buttonValue(message: FakeMessage | undefined, actionId: string): string {
  for (const block of message?.blocks ?? []) {
    const elements = (block as { elements?: { action_id?: string; value?: string }[] }).elements ?? [];
    const button = elements.find((e) => e.action_id === actionId);
    if (button?.value) return button.value;
  }
  throw new Error(`No ${actionId} button in message ${message?.ts ?? '(none)'}: ${JSON.stringify(message?.blocks)}`);
}

export function hasButton(message: FakeMessage | undefined, actionId: string): boolean {
  return (message?.blocks ?? []).some((block) =>
    ((block as { elements?: { action_id?: string }[] }).elements ?? []).some((e) => e.action_id === actionId),
  );
}

/** Everything a message shows, text and blocks, for loose "the user sees X" assertions. */
export function visibleText(message: FakeMessage | undefined): string {
  return message ? `${message.text}\n${JSON.stringify(message.blocks ?? [])}` : '';
}

/** Waits for the bot to post into a thread a message whose visible text matches. */
export function waitForThreadPost(fake: FakeSlackWebApi, channel: string, threadTs: string, pattern: RegExp, since = 0): Promise<RecordedCall> {
  return fake.waitFor(
    (call) =>
      call.seq >= since &&
      call.method === 'chat.postMessage' &&
      call.args['channel'] === channel &&
      call.args['thread_ts'] === threadTs &&
      pattern.test(`${String(call.args['text'])}\n${JSON.stringify(call.args['blocks'] ?? [])}`),
    { description: `a post in thread ${threadTs} matching ${pattern}` },
  );
}
