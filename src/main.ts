import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ConfigError, loadPolicyConfig } from './config/load-policy-files.js';
import { describeConfig, parseEnv, type AppConfig } from './config/env.js';
import type { Org } from './config/schemas.js';
import { createLogger } from './logger.js';
import { FakeSlackWebApi } from './playground/fake-slack/index.js';
import { createOfflinePolicy } from './policy/offline-policy.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';
import type { SlackAppOptions } from './chat/slack/slack-app.js';
import { startWarden } from './warden.js';

const PLAYGROUND_TOKEN = 'xoxb-warden-playground';

async function slackFor(config: AppConfig, org: Org): Promise<{ slack: Omit<SlackAppOptions, 'logger'>; playground?: FakeSlackWebApi }> {
  switch (config.mode) {
    case 'slack-socket':
      return { slack: { connection: { mode: 'socket', botToken: config.slack.botToken, appToken: config.slack.appToken } } };
    case 'slack-http':
      return { slack: { connection: { mode: 'http', botToken: config.slack.botToken, signingSecret: config.slack.signingSecret, port: config.port, host: '0.0.0.0' } } };
    case 'playground': {
      // The fake must answer before Bolt's constructor calls auth.test.
      const fake = await FakeSlackWebApi.start({
        botToken: PLAYGROUND_TOKEN,
        port: config.port,
        users: org.users.flatMap((u) => (u.slackId ? [{ id: u.slackId, name: u.id, realName: u.name, ...(u.email ? { email: u.email } : {}) }] : [])),
      });
      const signingSecret = randomBytes(24).toString('hex');
      return {
        playground: fake,
        slack: {
          connection: { mode: 'http', botToken: PLAYGROUND_TOKEN, signingSecret, port: 0, host: '127.0.0.1' },
          clientOptions: { slackApiUrl: fake.apiUrl },
        },
      };
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
  const { slack, playground } = await slackFor(config, org);
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
  logger.info('Warden started', { config: describeConfig(config) });
  if (playground) {
    console.log(`Warden playground: fake Slack at ${playground.baseUrl.replace('127.0.0.1', 'localhost')} (Web API ${playground.apiUrl}); Bolt receiver at http://127.0.0.1:${warden.slackPort}/slack/events`);
  }

  const shutdown = async (signal: string) => {
    logger.info('Warden stopping', { signal });
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
