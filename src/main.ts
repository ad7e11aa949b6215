import { bedrockFindingClassifier } from './scans/wafr/ai-classifier.js';
import { errorText } from './access/audit.js';
import { resourceHintsFrom, type ResourceDiscovery } from './access/resource-discovery.js';
import { awsResourceDiscovery } from './aws/discovery/compose.js';
import { FixtureResourceDiscovery } from './aws/discovery/fixture-inventory.js';
import { resolveSecrets } from './aws/secrets.js';
import { hostname } from 'node:os';
import type { Drafter } from './access/drafter.js';
import { BedrockDrafter } from './ai/bedrock-drafter.js';
import { BedrockLlm } from './ai/bedrock-client.js';
import { CircuitBreaker } from './ai/circuit-breaker.js';
import { describeAiConfig, parseAiEnv } from './ai/config.js';
import { HelpAssistant } from './ai/help-assistant.js';
import type { RulesOption } from './ai/user-rules.js';
import { awsGranting, type AwsGranting } from './aws/aws-granting.js';
import { checkIdentityCenterAccounts, parseAwsEnv, parseScpSourceEnv } from './aws/config.js';
import { slackVerifiedEmails } from './chat/slack/context.js';
import { organizationsScpSource } from './aws/organizations/index.js';
import type { SlackAppOptions } from './chat/slack/slack-app.js';
import type { Logger } from './chat/slack/context.js';
import { parseTeamsEnv, teamsAuthFromEnv } from './chat/teams/config.js';
import { systemClock } from './clock.js';
import { describeConfig, parseEnv, type AppConfig } from './config/env.js';
import { ConfigError, loadPolicyConfig } from './config/load-policy-files.js';
import type { AccessRules, Org } from './config/schemas.js';
import { randomIds } from './ids.js';
import { createLogger } from './logger.js';
import { PlaygroundSlack } from './playground/playground-slack.js';
import { PlaygroundTeams } from './playground/playground-teams.js';
import { readFile } from 'node:fs/promises';
import { HeldPolicyGate } from './policy/held-policy-gate.js';
import { loadPolicyGate } from './policy/load-policy-gate.js';
import { PolicyConfigHolder } from './policy/policy-config-holder.js';
import { createOfflinePolicy, type OfflinePolicy } from './policy/offline-policy.js';
import { parseDynamoEnv } from './store/dynamodb/config.js';
import { DynamoStore } from './store/dynamodb/dynamo-store.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';
import type { Store } from './store/store.js';
import { startWarden } from './warden.js';
import { SFNClient } from '@aws-sdk/client-sfn';
import { S3Client } from '@aws-sdk/client-s3';
import { s3OrLocalResults } from './aws/sfn/s3-results.js';
import { SfnScanRunner } from './aws/sfn/sfn-scan-runner.js';
import { sqsScanEvents } from './aws/sqs/scan-events-queue.js';
import { parseScanEventsEnv } from './scans/events/events-config.js';
import { parseScanEnv, stateMachineRegion } from './scans/config.js';
import type { ScanPorts } from './scans/ports.js';
import { SqliteScanStore } from './scans/sqlite/sqlite-scan-store.js';
import { DynamoScanStore } from './scans/dynamodb/dynamo-scan-store.js';
import { describeDigestConfig, parseDigestEnv } from './digests/config.js';

async function slackFor(config: AppConfig, org: Org, rules: AccessRules): Promise<{ slack?: Omit<SlackAppOptions, 'logger'>; playground?: PlaygroundSlack }> {
  switch (config.mode) {
    case 'teams-only':
      // Teams is configured and Slack is not: no Slack at all, and no fake one.
      return {};
    case 'slack-socket':
      return { slack: { connection: { mode: 'socket', botToken: config.slack.botToken, appToken: config.slack.appToken } } };
    case 'slack-http':
      return { slack: { connection: { mode: 'http', botToken: config.slack.botToken, signingSecret: config.slack.signingSecret, port: config.port, host: '0.0.0.0' } } };
    case 'playground': {
      // The fake must answer before Bolt's constructor calls auth.test; the page comes after Bolt.
      const playground = await PlaygroundSlack.start({ org, rules });
      return { playground, slack: playground.slackOptions };
    }
  }
}

/**
 * `/scan`: Step Functions when a state machine is configured (else import, status and last only).
 * Scan results live beside the requests: in the same SQLite file or the same DynamoDB table.
 */
function scanPorts(store: Store, logger: Logger, playground: boolean): ScanPorts | undefined {
  // In the playground, `/scan import <file>` reads files under the working folder unless told otherwise.
  const config = parseScanEnv(playground && !process.env['WARDEN_SCAN_IMPORT_DIR'] ? { ...process.env, WARDEN_SCAN_IMPORT_DIR: '.' } : process.env);
  // Scans live beside the access data: the same SQLite file, or the same DynamoDB table (and region).
  const scanStore =
    store instanceof SqliteStore
      ? new SqliteScanStore(store.connection)
      : store instanceof DynamoStore
        ? DynamoScanStore.create({ tableName: store.tableName, region: parseDynamoEnv(process.env).region })
        : undefined;
  if (!scanStore) {
    logger.info('scans off: they need the SQLite or DynamoDB store');
    return undefined;
  }
  const arn = config.stateMachineArn;
  return {
    store: scanStore,
    runner: arn ? new SfnScanRunner({ stateMachineArn: arn, client: new SFNClient({ region: stateMachineRegion(arn) }) }) : null,
    results: s3OrLocalResults(arn ? new S3Client({}) : null),
    config,
    classifier: bedrockFindingClassifier(parseAiEnv(process.env), { logger, clock: systemClock, store: scanStore }),
  };
}

async function openStore(config: AppConfig): Promise<Store> {
  if (config.store === 'sqlite') return SqliteStore.open(config.dbPath);
  const store = DynamoStore.create(parseDynamoEnv(process.env));
  // Against a local emulator the table may not exist yet; in AWS the infra creates it.
  if (process.env['AWS_ENDPOINT_URL_DYNAMODB'] || process.env['AWS_ENDPOINT_URL']) await store.ensureTable();
  return store;
}

/** Claude on Bedrock when BEDROCK_MODEL_ID is set, with the offline drafter as its fallback. */
function drafting(
  policy: OfflinePolicy,
  org: Org,
  rules: RulesOption,
  logger: Logger,
  discovery: ResourceDiscovery | undefined,
): { drafter: Drafter; help: HelpAssistant; describe: string } {
  const ai = parseAiEnv(process.env);
  const breaker = new CircuitBreaker({ clock: systemClock });
  const llm = ai.enabled ? new BedrockLlm({ config: ai.bedrock, logger }) : undefined;
  const drafter = llm
    ? new BedrockDrafter({
        llm,
        offline: policy.drafter,
        catalog: policy.catalog,
        org,
        rules,
        clock: systemClock,
        logger,
        breaker,
        // The account's real resource names, so Claude drafts with them instead of guessing.
        ...(discovery
          ? { resourceHints: resourceHintsFrom(discovery, { onError: (a, s, e) => logger.error('resource discovery failed', { account: a.id, service: s, error: errorText(e) }) }) }
          : {}),
      })
    : policy.drafter;
  const help = new HelpAssistant({ org, rules, logger, clock: systemClock, breaker, ...(llm ? { llm } : {}) });
  return { drafter, help, describe: describeAiConfig(ai) };
}

async function main(): Promise<void> {
  // Secrets named by `<VAR>_SSM_PARAMETER` (SecureString) become the variables the parsers read.
  Object.assign(process.env, await resolveSecrets(process.env));
  const config = parseEnv(process.env);
  const logger = createLogger(config.logLevel);
  const teamsEnv = parseTeamsEnv(process.env);
  // WARDEN_DIGEST_*: a bad cron expression or time zone stops start-up here, naming the variable.
  const digestConfig = parseDigestEnv(process.env);
  const { org, rules } = await loadPolicyConfig({ orgFile: config.orgFile, rulesFile: config.rulesFile });
  const policy = await createOfflinePolicy(org, rules);
  const scpConfig = parseScpSourceEnv(process.env, config.grantMode);
  // SCPs of each target account, read live from AWS Organizations (cached), instead of the SCP files.
  const scpSource =
    scpConfig.source === 'organizations'
      ? organizationsScpSource(scpConfig, { clock: systemClock, accountName: (id) => org.accounts.find((a) => a.id === id)?.name })
      : undefined;
  const gate = await loadPolicyGate({ configDir: config.configDir, guardrailsFile: config.guardrailsFile, scpDir: config.scpDir, scpSource }, org, policy.catalog);
  const awsConfig = config.grantMode === 'aws' ? parseAwsEnv(process.env) : undefined;
  // Accounts the org file grants through Identity Center need WARDEN_SSO_*: stop now, not at the first grant.
  if (awsConfig) checkIdentityCenterAccounts(org, awsConfig, config.orgFile);
  const discovery = awsConfig
    ? awsResourceDiscovery(awsConfig, {
        accounts: org.accounts,
        clock: systemClock,
        onStale: (key, e) => logger.error('resource discovery: stale listing served', { ...key, error: errorText(e) }),
      })
    : undefined;
  // The request form's resource picker: real discovery, else in the playground its small inventory file
  // (<config dir>/playground-resources.yaml); with neither the form has no picker.
  const pickerDiscovery: ResourceDiscovery | undefined =
    discovery ?? (config.mode === 'playground' ? await FixtureResourceDiscovery.fromConfigDir(config.configDir, org.accounts, { onSkipped: (m) => logger.info(m) }) : undefined);
  const store = await openStore(config);
  // Admins may replace the guardrails and rules from chat; the store holds the versions for every replica.
  const policyConfig = new PolicyConfigHolder({
    org,
    store,
    base: {
      guardrails: { value: gate.guardrails, text: PolicyConfigHolder.guardrailsText(gate.guardrails, gate.guardrailsText) },
      rules: { value: rules, text: await readFile(config.rulesFile, 'utf8') },
    },
    onError: (error) => logger.error('stored policy version not applied', { error: error instanceof Error ? error.message : String(error) }),
  });
  // The AI reads the rules in force at each call, so an admin's `/warden rules set` reaches its answers and drafts.
  const { drafter, help, describe: aiDescription } = drafting(policy, org, policyConfig, logger, discovery);
  const aws: AwsGranting | undefined =
    awsConfig
      ? awsGranting(awsConfig, { store, clock: systemClock, ids: randomIds, users: () => org.users, onError: (what, error) => logger.error(what, { error: errorText(error) }) })
      : undefined;
  // `/scan` on Slack, `scan` on Teams (teams-only mode too).
  const scans = scanPorts(store, logger, config.mode === 'playground');
  // The state machine's completion events, routed by the infra to an SQS queue: scans finish as soon as they end.
  const scanEvents = scans ? parseScanEventsEnv(process.env, scans.config.stateMachineArn) : null;
  const { slack, playground } = await slackFor(config, org, rules);
  // The playground's Teams tab: a local fake Bot Connector, with botbuilder's token checks on.
  const playgroundTeams = playground && !teamsEnv ? await PlaygroundTeams.start({ org, rules }) : undefined;
  const warden = await startWarden({
    org,
    rules,
    store,
    logger,
    drafter,
    help,
    actionChecker: policy.actionChecker,
    policyGate: ((held) => aws?.identityCenter?.gate(held) ?? held)(new HeldPolicyGate({ holder: policyConfig, catalog: policy.catalog, scps: gate.scps })),
    policyConfig,
    ...(slack ? { slack } : {}),
    ...(teamsEnv ? { teams: { auth: teamsAuthFromEnv(teamsEnv), port: teamsEnv.port, host: '0.0.0.0' } } : {}),
    ...(playgroundTeams ? { teams: { auth: playgroundTeams.fake.teamsAuth(), port: 0 } } : {}),
    ...(aws ? { granter: aws.accessGranter } : {}),
    ...(aws ? { commandRunner: aws.commandRunner, instanceNames: aws.instanceNames } : {}),
    ...(scans ? { scans } : {}),
    ...(scanEvents ? { scanEvents: sqsScanEvents({ config: scanEvents, logger }) } : {}),
    ...(pickerDiscovery ? { resourceDiscovery: pickerDiscovery } : {}),
    // The playground's Teams tab draws cards but cannot answer a typeahead search: its form keeps the names field only.
    ...(playgroundTeams ? { resourcePickerOnTeams: false } : {}),
    digests: digestConfig,
    scheduler: {
      intervalMs: config.schedulerIntervalSeconds * 1000,
      owner: `${hostname()}:${process.pid}`,
      ...(aws ? { revokeRetry: aws.revokeRetry, reconcile: aws.reconcile } : {}),
    },
  });
  // Chat users → Identity Center users by the e-mail Slack or Teams verified (the org file's identityCenterUserId wins).
  const icDirectory = org.accounts.some((a) => a.grant?.via === 'identity-center') ? aws?.identityCenter?.requesters : undefined;
  if (icDirectory && warden.slack) icDirectory.addEmailSource(slackVerifiedEmails(warden.slack.app.client));
  // Teams answers as people act (read before their message or click is handled, kept an hour).
  if (icDirectory && warden.teams) icDirectory.addEmailSource(warden.teams.verifiedEmails);
  const stopIcDirectory = icDirectory?.start();
  const page = playground
    ? await playground.serve({
        boltPort: warden.slackPort,
        store,
        port: config.port,
        logger,
        ...(playgroundTeams && { teams: { fake: playgroundTeams.fake, botUrl: warden.teamsUrl } }),
      })
    : undefined;
  const platforms = [...(warden.slack ? [playground ? 'slack (playground)' : 'slack'] : []), ...(warden.teams ? [playgroundTeams ? 'teams (playground)' : 'teams'] : [])];
  logger.info('Warden started', {
    config: describeConfig(config),
    chat: platforms.join(', '),
    ai: aiDescription,
    policy: gate.sources.join(' '),
    teams: warden.teamsUrl ?? 'off',
    digests: describeDigestConfig(digestConfig),
  });
  if (playground && page) {
    logger.info('playground started', { page: page.url, fakeSlackWebApi: playground.fake.apiUrl, boltEvents: `http://127.0.0.1:${warden.slackPort}/slack/events` });
    // The one line a newcomer needs; everything else goes to the JSON log.
    console.log(`Warden playground: ${page.url}`);
  }

  const shutdown = async (signal: string) => {
    logger.info('Warden stopping', { signal });
    await page?.close();
    stopIcDirectory?.();
    await warden.stop();
    await playground?.close();
    await playgroundTeams?.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  // Config errors are the admin's to fix: print them plainly, without a stack trace.
  if (error instanceof ConfigError) console.error(`Warden cannot start:\n${error.format()}`);
  else console.error('Warden cannot start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
