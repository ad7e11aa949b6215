import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { describeConfig, parseEnv } from '../../src/config/env.js';

// Distinctive values so a leak into an error message cannot be a coincidence.
const BOT = 'xoxb-1111-2222-SeCrEtBoTvAlUe';
const APP = 'xapp-1-A111-333-SeCrEtApPvAlUe';
const SIGNING = '8f14e45fceea167a5a36dedd4bea2543';

function envError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    parseEnv(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const configError = err as ConfigError;
    for (const secret of [BOT, APP, SIGNING, 'SeCrEt']) expect(configError.format()).not.toContain(secret);
    return configError;
  }
  throw new Error('expected parseEnv to throw');
}

describe('parseEnv', () => {
  it('defaults to the playground on the sample org', () => {
    expect(parseEnv({})).toEqual({
      mode: 'playground',
      slack: null,
      port: 3000,
      configDir: 'examples',
      orgFile: 'examples/org.yaml',
      rulesFile: 'examples/access-rules.yaml',
      dbPath: '.warden/warden.db',
      store: 'sqlite',
      grantMode: 'dry-run',
      schedulerIntervalSeconds: 30,
      logLevel: 'info',
    });
  });

  it('treats empty and blank values as unset, as .env.example ships them', () => {
    const config = parseEnv({ PORT: '', SLACK_BOT_TOKEN: '', SLACK_APP_TOKEN: '  ', LOG_LEVEL: '', WARDEN_STORE: '' });
    expect(config.mode).toBe('playground');
    expect(config.port).toBe(3000);
  });

  it('derives the policy files from WARDEN_CONFIG_DIR unless a file is set explicitly', () => {
    const config = parseEnv({ WARDEN_CONFIG_DIR: '/etc/warden', WARDEN_RULES_FILE: '/srv/rules.json' });
    expect([config.orgFile, config.rulesFile]).toEqual(['/etc/warden/org.yaml', '/srv/rules.json']);
  });

  it('reads the other settings, case-insensitively where they are choices', () => {
    const config = parseEnv({
      PORT: '8080',
      WARDEN_DB: ':memory:',
      WARDEN_STORE: 'SQLite',
      WARDEN_GRANT_MODE: 'aws',
      WARDEN_SCHEDULER_INTERVAL_SECONDS: '5',
      LOG_LEVEL: 'DEBUG',
    });
    expect(config).toMatchObject({ port: 8080, dbPath: ':memory:', store: 'sqlite', grantMode: 'aws', schedulerIntervalSeconds: 5, logLevel: 'debug' });
  });

  it('uses Socket Mode when both tokens are set', () => {
    const config = parseEnv({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP });
    expect(config.mode).toBe('slack-socket');
    if (config.mode !== 'slack-socket') throw new Error('narrowing');
    expect(config.slack).toEqual({ botToken: BOT, appToken: APP });
    expect(describeConfig(config)).not.toContain('SeCrEt');
  });

  it('uses HTTP mode with a bot token and a signing secret', () => {
    const config = parseEnv({ SLACK_BOT_TOKEN: ` ${BOT}\n`, SLACK_SIGNING_SECRET: SIGNING });
    expect(config.mode).toBe('slack-http');
    expect(config.slack).toEqual({ botToken: BOT, signingSecret: SIGNING });
  });

  it('says the app token or signing secret is missing when only the bot token is set', () => {
    const err = envError({ SLACK_BOT_TOKEN: BOT });
    expect(err.file).toBe('environment');
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]!.path).toBe('SLACK_APP_TOKEN');
    expect(err.format()).toMatch(/^environment: SLACK_APP_TOKEN: missing: SLACK_BOT_TOKEN is set.*SLACK_SIGNING_SECRET/);
  });

  it('says the bot token is missing when only the app token or signing secret is set', () => {
    expect(envError({ SLACK_APP_TOKEN: APP }).issues).toEqual([
      { path: 'SLACK_BOT_TOKEN', message: expect.stringMatching(/^missing: SLACK_APP_TOKEN is set/) },
    ]);
    expect(envError({ SLACK_SIGNING_SECRET: SIGNING }).issues).toEqual([
      { path: 'SLACK_BOT_TOKEN', message: expect.stringMatching(/^missing: SLACK_SIGNING_SECRET is set/) },
    ]);
  });

  it('rejects a token with the wrong prefix without echoing it', () => {
    const err = envError({ SLACK_BOT_TOKEN: 'xoxp-9-SeCrEtUsErToKeN', SLACK_APP_TOKEN: APP });
    expect(err.issues).toEqual([{ path: 'SLACK_BOT_TOKEN', message: expect.stringContaining('starts with "xoxb-"') }]);
    expect(err.issues[0]!.message).toContain('user token');
    expect(err.format()).not.toContain('SeCrEtUsErToKeN');
  });

  it('spots swapped tokens', () => {
    const err = envError({ SLACK_BOT_TOKEN: APP, SLACK_APP_TOKEN: BOT });
    expect(err.issues.map((i) => i.path)).toEqual(['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN']);
    expect(err.format()).toMatch(/swapped/);
  });

  it('explains that the DynamoDB store is not available yet, and rejects other stores', () => {
    expect(parseEnv({ WARDEN_STORE: 'DynamoDB' }).store).toBe('dynamodb');
    expect(envError({ WARDEN_STORE: 'postgres' }).format()).toMatch(/WARDEN_STORE: .*sqlite.*dynamodb.*\(got "postgres"\)/);
  });

  it('runs Teams alone when the Microsoft* variables are set and no Slack variable is', () => {
    const teams = { MicrosoftAppId: '5e1f0c2a-7b3d-4c8e-9f10-2a3b4c5d6e7f', MicrosoftAppPassword: 'SeCrEtTeAmS', MicrosoftAppType: 'MultiTenant' };
    const config = parseEnv(teams);
    expect(config.mode).toBe('teams-only');
    expect(config.slack).toBeNull();
    expect(describeConfig(config)).toMatch(/^mode=teams-only /);
    expect(describeConfig(config)).not.toContain('SeCrEt');
    // Blank Slack variables count as unset, as everywhere else.
    expect(parseEnv({ ...teams, SLACK_BOT_TOKEN: '', SLACK_APP_TOKEN: ' ' }).mode).toBe('teams-only');
    // With Slack configured too, Slack decides the mode and Teams runs beside it.
    expect(parseEnv({ ...teams, SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP }).mode).toBe('slack-socket');
    // Half a Slack configuration is still refused, not silently dropped for Teams.
    expect(envError({ ...teams, SLACK_APP_TOKEN: APP }).issues.map((i) => i.path)).toEqual(['SLACK_BOT_TOKEN']);
  });

  it('reports a broken Teams configuration instead of falling back to the playground', () => {
    const err = envError({ MicrosoftAppPassword: 'SeCrEtTeAmS' });
    expect(err.issues.map((i) => i.path)).toEqual(['MicrosoftAppId']);
    expect(err.format()).not.toContain('SeCrEtTeAmS');
  });

  it('lists every bad variable at once, quoting non-secret values only', () => {
    const err = envError({ PORT: 'eighty', LOG_LEVEL: 'loud', WARDEN_GRANT_MODE: 'yolo', WARDEN_SCHEDULER_INTERVAL_SECONDS: '0', SLACK_APP_TOKEN: APP });
    expect(err.issues.map((i) => i.path)).toEqual(['PORT', 'WARDEN_GRANT_MODE', 'WARDEN_SCHEDULER_INTERVAL_SECONDS', 'LOG_LEVEL', 'SLACK_BOT_TOKEN']);
    expect(err.format()).toContain('PORT: the HTTP port: a whole number from 1 to 65535 (got "eighty")');
    expect(err.format()).toContain('LOG_LEVEL: one of "debug", "info", "warn", "error" (got "loud")');
  });
});
