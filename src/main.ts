import { hostname } from 'node:os';
import { ConfigError, loadPolicyConfig } from './config/load-policy-files.js';
import { describeConfig, parseEnv, type AppConfig } from './config/env.js';
import type { AccessRules, Org } from './config/schemas.js';
import { createLogger } from './logger.js';
import { PlaygroundSlack } from './playground/playground-slack.js';
import { createOfflinePolicy } from './policy/offline-policy.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';
import type { SlackAppOptions } from './chat/slack/slack-app.js';
import { startWarden } from './warden.js';

async function slackFor(config: AppConfig, org: Org, rules: AccessRules): Promise<{ slack: Omit<SlackAppOptions, 'logger'>; playground?: PlaygroundSlack }> {
  switch (config.mode) {
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

async function main(): Promise<void> {
  const config = parseEnv(process.env);
  const logger = createLogger(config.logLevel);
  if (config.grantMode !== 'dry-run') {
    throw new ConfigError('environment', [
      { path: 'WARDEN_GRANT_MODE', message: `"${config.grantMode}" is not available in this version; unset it to use "dry-run"` },
    ]);
  }
  const { org, rules } = await loadPolicyConfig({ orgFile: config.orgFile, rulesFile: config.rulesFile });
  const store = SqliteStore.open(config.dbPath);
  const policy = await createOfflinePolicy(org, rules);
  const { slack, playground } = await slackFor(config, org, rules);
  const warden = await startWarden({
    org,
    rules,
    store,
    logger,
    drafter: policy.drafter,
    actionChecker: policy.actionChecker,
    slack,
    scheduler: { intervalMs: config.schedulerIntervalSeconds * 1000, owner: `${hostname()}:${process.pid}` },
  });
  const page = playground ? await playground.serve({ boltPort: warden.slackPort, store, port: config.port, logger }) : undefined;
  logger.info('Warden started', { config: describeConfig(config) });
  if (playground && page) {
    logger.info('playground started', { page: page.url, fakeSlackWebApi: playground.fake.apiUrl, boltEvents: `http://127.0.0.1:${warden.slackPort}/slack/events` });
    // The one line a newcomer needs; everything else goes to the JSON log.
    console.log(`Warden playground: ${page.url}`);
  }

  const shutdown = async (signal: string) => {
    logger.info('Warden stopping', { signal });
    await page?.close();
    await warden.stop();
    await playground?.close();
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
