import { z } from 'zod';
import { parseTeamsEnv } from '../chat/teams/config.js';
import { ConfigError, type ConfigIssue } from './config-error.js';
import { DEFAULT_CONFIG_DIR, policyPaths } from './paths.js';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** `dry-run` records the AWS calls a grant would make; `aws` makes them through the AWS SDK. */
/** `sqlite` is embedded (a file, or `:memory:`); `dynamodb` is for production and many replicas. */
export const STORE_KINDS = ['sqlite', 'dynamodb'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

export const GRANT_MODES = ['dry-run', 'aws'] as const;
export type GrantMode = (typeof GRANT_MODES)[number];

/**
 * How Warden talks to chat, derived from which Slack variables are set: without any, `teams-only`
 * when the Microsoft* (Teams) variables are set, else the local playground. Teams runs beside any
 * Slack mode too; that is read by parseTeamsEnv.
 */
export type ChatMode = 'playground' | 'slack-socket' | 'slack-http' | 'teams-only';

interface BaseConfig {
  port: number;
  configDir: string;
  orgFile: string;
  rulesFile: string;
  /** SQLite file path (or `:memory:`). */
  dbPath: string;
  store: StoreKind;
  /** Guardrails file; unset: `<configDir>/guardrails.yaml` when present, else the built-in defaults. */
  guardrailsFile: string | undefined;
  /** SCP folder (organization.yaml + policies/); unset: `<configDir>/scps` when present, else none. */
  scpDir: string | undefined;
  grantMode: GrantMode;
  schedulerIntervalSeconds: number;
  logLevel: LogLevel;
}

/** Narrowing on `mode` narrows `slack`, so adapters never check for a missing token themselves. */
export type AppConfig = BaseConfig &
  (
    | { mode: 'playground'; slack: null }
    | { mode: 'teams-only'; slack: null }
    | { mode: 'slack-socket'; slack: { botToken: string; appToken: string; signingSecret?: string } }
    | { mode: 'slack-http'; slack: { botToken: string; signingSecret: string } }
  );

/** Never echoed in errors, whatever their content. */
const SECRET_VARS = new Set(['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET']);

/** `.env.example` ships empty values and shells export `X=`: an empty or blank variable counts as unset. */
function blankToUndefined(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
const opt = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema);

function intVar(min: number, max: number, fallback: number, what: string) {
  const message = `${what}: a whole number from ${min} to ${max}`;
  return opt(z.coerce.number({ error: message }).int(message).min(min, message).max(max, message).default(fallback));
}

function choiceVar<const T extends readonly string[]>(choices: T, fallback: T[number]) {
  return opt(
    z
      .string()
      .default(fallback)
      .transform((v) => v.toLowerCase())
      .pipe(z.enum(choices, { error: `one of ${choices.map((c) => `"${c}"`).join(', ')}` })),
  );
}

const EnvSchema = z.object({
  PORT: intVar(1, 65535, 3000, 'the HTTP port'),
  WARDEN_CONFIG_DIR: opt(z.string().default(DEFAULT_CONFIG_DIR)),
  WARDEN_ORG_FILE: opt(z.string().optional()),
  WARDEN_RULES_FILE: opt(z.string().optional()),
  WARDEN_DB: opt(z.string().default('.warden/warden.db')),
  WARDEN_STORE: choiceVar(STORE_KINDS, 'sqlite'),
  WARDEN_GUARDRAILS_FILE: opt(z.string().optional()),
  WARDEN_SCP_DIR: opt(z.string().optional()),
  WARDEN_GRANT_MODE: choiceVar(GRANT_MODES, 'dry-run'),
  WARDEN_SCHEDULER_INTERVAL_SECONDS: intVar(1, 3600, 30, 'seconds between scheduler ticks'),
  LOG_LEVEL: choiceVar(LOG_LEVELS, 'info'),
  SLACK_BOT_TOKEN: opt(z.string().optional()),
  SLACK_APP_TOKEN: opt(z.string().optional()),
  SLACK_SIGNING_SECRET: opt(z.string().optional()),
});

/**
 * Reads Warden's settings from the environment. Throws a ConfigError (file `environment`) listing every
 * bad variable; messages name the variable and the fix and never contain a Slack secret.
 */
export function parseEnv(env: NodeJS.ProcessEnv): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    // Slack problems are reported too, so one run shows everything that needs fixing.
    const issues = parsed.error.issues.map((i) => envIssue(i, env));
    throw new ConfigError('environment', [...issues, ...slackIssues(blankSlack(env))]);
  }
  const e = parsed.data;
  const slackProblems = slackIssues(e);
  if (slackProblems.length > 0) throw new ConfigError('environment', slackProblems);

  const defaults = policyPaths(e.WARDEN_CONFIG_DIR);
  const base: BaseConfig = {
    port: e.PORT,
    configDir: e.WARDEN_CONFIG_DIR,
    orgFile: e.WARDEN_ORG_FILE ?? defaults.orgFile,
    rulesFile: e.WARDEN_RULES_FILE ?? defaults.rulesFile,
    dbPath: e.WARDEN_DB,
    store: e.WARDEN_STORE,
    guardrailsFile: e.WARDEN_GUARDRAILS_FILE,
    scpDir: e.WARDEN_SCP_DIR,
    grantMode: e.WARDEN_GRANT_MODE,
    schedulerIntervalSeconds: e.WARDEN_SCHEDULER_INTERVAL_SECONDS,
    logLevel: e.LOG_LEVEL,
  };

  const { SLACK_BOT_TOKEN: bot, SLACK_APP_TOKEN: app, SLACK_SIGNING_SECRET: secret } = e;
  if (bot && app) {
    return { ...base, mode: 'slack-socket', slack: secret ? { botToken: bot, appToken: app, signingSecret: secret } : { botToken: bot, appToken: app } };
  }
  if (bot && secret) return { ...base, mode: 'slack-http', slack: { botToken: bot, signingSecret: secret } };
  // No Slack variable at all (half a Slack configuration was refused above): Teams alone, or the playground.
  if (parseTeamsEnv(env)) return { ...base, mode: 'teams-only', slack: null };
  return { ...base, mode: 'playground', slack: null };
}

/** A one-line description for the start-up log: what runs where, with no secret in it. */
export function describeConfig(config: AppConfig): string {
  return [
    `mode=${config.mode}`,
    `port=${config.port}`,
    `store=${config.store === 'sqlite' ? `sqlite:${config.dbPath}` : 'dynamodb'}`,
    `grants=${config.grantMode}`,
    `org=${config.orgFile}`,
    `rules=${config.rulesFile}`,
  ].join(' ');
}

interface SlackVars {
  SLACK_BOT_TOKEN?: string | undefined;
  SLACK_APP_TOKEN?: string | undefined;
  SLACK_SIGNING_SECRET?: string | undefined;
}

function blankSlack(env: NodeJS.ProcessEnv): SlackVars {
  const get = (k: string) => blankToUndefined(env[k]) as string | undefined;
  return { SLACK_BOT_TOKEN: get('SLACK_BOT_TOKEN'), SLACK_APP_TOKEN: get('SLACK_APP_TOKEN'), SLACK_SIGNING_SECRET: get('SLACK_SIGNING_SECRET') };
}

/** Which Slack mode the variables ask for, and what is missing or malformed; values are never quoted. */
function slackIssues(v: SlackVars): ConfigIssue[] {
  const { SLACK_BOT_TOKEN: bot, SLACK_APP_TOKEN: app, SLACK_SIGNING_SECRET: secret } = v;
  const issues: ConfigIssue[] = [];
  if (bot !== undefined && !bot.startsWith('xoxb-')) {
    issues.push({ path: 'SLACK_BOT_TOKEN', message: `must be the Bot User OAuth Token, which starts with "xoxb-"${tokenKindHint(bot)}; find it under OAuth & Permissions in the Slack app settings` });
  }
  if (app !== undefined && !app.startsWith('xapp-')) {
    issues.push({ path: 'SLACK_APP_TOKEN', message: `must be an app-level token, which starts with "xapp-"${tokenKindHint(app)}; create one with the connections:write scope under Basic Information → App-Level Tokens` });
  }
  if (bot === undefined && (app !== undefined || secret !== undefined)) {
    const set = app !== undefined ? 'SLACK_APP_TOKEN' : 'SLACK_SIGNING_SECRET';
    issues.push({ path: 'SLACK_BOT_TOKEN', message: `missing: ${set} is set, and Slack needs the bot token (xoxb-…) too. Set SLACK_BOT_TOKEN, or unset every SLACK_* variable to run the local playground` });
  }
  if (bot !== undefined && app === undefined && secret === undefined) {
    issues.push({ path: 'SLACK_APP_TOKEN', message: 'missing: SLACK_BOT_TOKEN is set, so Warden also needs SLACK_APP_TOKEN (xapp-…) for Socket Mode, or SLACK_SIGNING_SECRET for HTTP mode. Unset SLACK_BOT_TOKEN to run the local playground' });
  }
  return issues;
}

/** Names the kind of token that was pasted by its public prefix only: swapped tokens are the usual mistake. */
function tokenKindHint(value: string): string {
  if (value.startsWith('xapp-')) return ' (this is an app-level token: swapped with SLACK_APP_TOKEN?)';
  if (value.startsWith('xoxb-')) return ' (this is a bot token: swapped with SLACK_BOT_TOKEN?)';
  if (value.startsWith('xoxp-')) return ' (this is a user token; Warden needs the bot token)';
  return '';
}

function envIssue(issue: z.core.$ZodIssue, env: NodeJS.ProcessEnv): ConfigIssue {
  const name = String(issue.path[0] ?? '');
  const raw = blankToUndefined(env[name]);
  // Only non-secret variables are echoed, so an operator sees what was read without leaking a token.
  const got = typeof raw === 'string' && !SECRET_VARS.has(name) ? ` (got ${JSON.stringify(raw.slice(0, 60))})` : '';
  return { path: name, message: `${issue.message}${got}` };
}
