import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseAiEnv } from '../../src/ai/config.js';
import { parseTeamsEnv } from '../../src/chat/teams/config.js';
import { parseScanEnv } from '../../src/scans/config.js';
import { DIGEST_DEFAULTS, parseDigestEnv } from '../../src/digests/config.js';
import { parseEnv } from '../../src/config/env.js';

/** The variables the environment parsers read; .env.example must document each of them. */
const DOCUMENTED = [
  'PORT',
  'WARDEN_CONFIG_DIR',
  'WARDEN_ORG_FILE',
  'WARDEN_RULES_FILE',
  'WARDEN_DB',
  'WARDEN_STORE',
  'WARDEN_GRANT_MODE',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
  'WARDEN_SCHEDULER_INTERVAL_SECONDS',
  'LOG_LEVEL',
  'WARDEN_GUARDRAILS_FILE',
  'WARDEN_SCP_DIR',
  'WARDEN_SCP_SOURCE',
  'WARDEN_ORG_ROLE_ARN',
  'WARDEN_SCP_CACHE_TTL_SECONDS',
  'WARDEN_DYNAMODB_TABLE',
  'WARDEN_AWS_REGION',
  'WARDEN_AWS_GRANT_ROLE',
  'WARDEN_AWS_EXTERNAL_ID',
  'WARDEN_AWS_PERMISSIONS_BOUNDARY',
  'WARDEN_AWS_RECONCILE_INTERVAL_SECONDS',
  'WARDEN_ALERT_CHANNEL',
  'WARDEN_REVOKE_ALERT_AFTER',
  'BEDROCK_MODEL_ID',
  'BEDROCK_MAX_TOKENS',
  'BEDROCK_TEMPERATURE',
  'BEDROCK_TIMEOUT_MS',
  'BEDROCK_MAX_ATTEMPTS',
  'MicrosoftAppId',
  'MicrosoftAppPassword',
  'MicrosoftAppTenantId',
  'MicrosoftAppType',
  'TEAMS_PORT',
  'WARDEN_SCAN_STATE_MACHINE_ARN',
  'WARDEN_SCAN_ROLE_NAME',
  'WARDEN_SCAN_LOCAL_ACCOUNT_ID',
  'WARDEN_SCAN_DEFAULT_ACCOUNT',
  'WARDEN_SCAN_EVENTS_QUEUE_URL',
  'WARDEN_SSO_INSTANCE_ARN',
  'WARDEN_SSO_IDENTITY_STORE_ID',
  'WARDEN_SSO_REGION',
  'WARDEN_SSO_START_URL',
  'WARDEN_SSO_PROVISIONING_TIMEOUT_SECONDS',
  'WARDEN_SSO_DIRECTORY_REFRESH_SECONDS',
  'WARDEN_SCAN_TOOLS',
  'WARDEN_SCAN_GROUPS',
  'WARDEN_SCAN_POLL_SECONDS',
  'WARDEN_SCAN_POLL_MAX_SECONDS',
  'WARDEN_SCAN_TIMEOUT_MINUTES',
  'WARDEN_SCAN_RETENTION_DAYS',
  'WARDEN_SCAN_IMPORT_DIR',
  'WARDEN_DIGEST_PENDING_CRON',
  'WARDEN_DIGEST_EXPIRING_CRON',
  'WARDEN_DIGEST_EXPIRING_WITHIN_MINUTES',
  'WARDEN_DIGEST_POSTURE_CRON',
  'WARDEN_DIGEST_TIMEZONE',
];

describe('.env.example', () => {
  it('documents every variable with an empty value, and as-is gives the playground', async () => {
    const text = await readFile('.env.example', 'utf8');
    const vars = Object.fromEntries(
      text
        .split('\n')
        .filter((l) => /^[A-Za-z_]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(Object.keys(vars).sort()).toEqual([...DOCUMENTED].sort());
    expect(Object.values(vars).every((v) => v === '')).toBe(true);
    expect(parseEnv(vars).mode).toBe('playground');
    // The other parsers take the same blank file as "not configured".
    expect(parseTeamsEnv(vars)).toBeNull();
    expect(parseAiEnv(vars).enabled).toBe(false);
    expect(parseScanEnv(vars).stateMachineArn).toBeNull();
    expect(parseDigestEnv(vars)).toEqual(DIGEST_DEFAULTS);
  });
});

describe('manifests/slack.yaml', () => {
  it('declares the bot, /access, the scopes and events Warden uses, in Socket Mode', async () => {
    const manifest = parse(await readFile('manifests/slack.yaml', 'utf8')) as {
      display_information: { name: string; description: string; long_description: string };
      features: { bot_user: { always_online: boolean }; slash_commands: { command: string; usage_hint: string }[] };
      oauth_config: { scopes: { bot: string[] } };
      settings: {
        event_subscriptions: { bot_events: string[] };
        interactivity: { is_enabled: boolean };
        socket_mode_enabled: boolean;
        org_deploy_enabled: boolean;
      };
    };
    // Limits from Slack's manifest schema: the app is rejected on import otherwise.
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
    expect(manifest.display_information.long_description.length).toBeGreaterThanOrEqual(175);
    expect(manifest.features.bot_user.always_online).toBe(true);
    // Every command the Bolt app registers, and no other.
    expect(manifest.features.slash_commands.map((c) => c.command).sort()).toEqual(['/access', '/run', '/scan', '/warden']);
    expect(manifest.features.slash_commands).toContainEqual(
      expect.objectContaining({ command: '/access', usage_hint: 'request | ssh <instance-id or Name> [account] | list | status <id> | cancel <id> | release <id> | help' }),
    );
    // What the Bolt handlers use: DMs and mentions, thread replies in channels, cards to an approvers channel.
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(['app_mentions:read', 'channels:history', 'chat:write', 'chat:write.public', 'commands', 'files:read', 'im:history', 'im:write']),
    );
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual(['app_mention', 'message.channels', 'message.im']);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.settings.org_deploy_enabled).toBe(false);
  });
});
