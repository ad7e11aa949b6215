/**
 * The AI settings from the environment. Bedrock is on only when BEDROCK_MODEL_ID is set; everything
 * else has a default, so the playground and tests need nothing. Credentials are never read here:
 * the SDK's default chain finds them, and Warden never handles them.
 */
import { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../config/config-error.js';

export interface BedrockConfig {
  /** A model id or inference profile id, e.g. "anthropic.claude-3-5-sonnet-20240620-v1:0". */
  modelId: string;
  region: string;
  maxTokens: number;
  temperature: number;
  /** Budget for one model call, retries included: a slow model falls back instead of stalling a thread. */
  timeoutMs: number;
  /** The SDK's own retry setting (attempts, first one included), for throttling and 5xx. */
  maxAttempts: number;
}

export type AiConfig = { enabled: false } | { enabled: true; bedrock: BedrockConfig };

export const AI_DEFAULTS = { maxTokens: 1024, temperature: 0, timeoutMs: 20_000, maxAttempts: 3 } as const;

/** An empty or blank variable counts as unset, as in config/env.ts (`.env.example` ships blanks). */
function blankToUndefined(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function numberVar(what: string, min: number, max: number, fallback: number, integer: boolean) {
  const message = `${what}: ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`;
  const base = z.coerce.number({ error: message }).min(min, message).max(max, message);
  return z.preprocess(blankToUndefined, (integer ? base.int(message) : base).default(fallback));
}

// Checked only when Bedrock is on: other AWS clients read these too and are not this parser's business.
const regionVar = z.preprocess(blankToUndefined, z.string().optional());
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

const AiEnvSchema = z.object({
  BEDROCK_MODEL_ID: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'a Bedrock model id or inference profile id/ARN, e.g. "anthropic.claude-3-5-sonnet-20240620-v1:0"')
      .optional(),
  ),
  AWS_REGION: regionVar,
  AWS_DEFAULT_REGION: regionVar,
  BEDROCK_MAX_TOKENS: numberVar('the most tokens a reply may have', 256, 8192, AI_DEFAULTS.maxTokens, true),
  BEDROCK_TEMPERATURE: numberVar('the sampling temperature', 0, 1, AI_DEFAULTS.temperature, false),
  BEDROCK_TIMEOUT_MS: numberVar('milliseconds one model call may take, retries included', 1000, 120_000, AI_DEFAULTS.timeoutMs, true),
  BEDROCK_MAX_ATTEMPTS: numberVar('attempts per model call, the first included', 1, 10, AI_DEFAULTS.maxAttempts, true),
});

/**
 * Reads BEDROCK_MODEL_ID, AWS_REGION (or AWS_DEFAULT_REGION), BEDROCK_MAX_TOKENS, BEDROCK_TEMPERATURE,
 * BEDROCK_TIMEOUT_MS and BEDROCK_MAX_ATTEMPTS. Throws a ConfigError (file `environment`) naming every
 * bad variable and its fix. Values are echoed: none of these is a secret.
 */
export function parseAiEnv(env: NodeJS.ProcessEnv): AiConfig {
  const parsed = AiEnvSchema.safeParse(env);
  if (!parsed.success) {
    // One line per variable: a value can break several checks that all say the same thing.
    const byVariable = new Map<string, ConfigIssue>();
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? '');
      if (byVariable.has(name)) continue;
      const raw = blankToUndefined(env[name]);
      const got = typeof raw === 'string' ? ` (got ${JSON.stringify(raw.slice(0, 80))})` : '';
      byVariable.set(name, { path: name, message: `${issue.message}${got}` });
    }
    throw new ConfigError('environment', [...byVariable.values()]);
  }
  const e = parsed.data;
  if (e.BEDROCK_MODEL_ID === undefined) return { enabled: false };
  const region = e.AWS_REGION ?? e.AWS_DEFAULT_REGION;
  if (region === undefined) {
    throw new ConfigError('environment', [
      { path: 'AWS_REGION', message: 'missing: BEDROCK_MODEL_ID is set, so Warden needs the Bedrock region too, e.g. AWS_REGION=us-east-1. Unset BEDROCK_MODEL_ID to use the offline drafter' },
    ]);
  }
  if (!REGION.test(region)) {
    const name = e.AWS_REGION !== undefined ? 'AWS_REGION' : 'AWS_DEFAULT_REGION';
    throw new ConfigError('environment', [{ path: name, message: `a region like "us-east-1" (got ${JSON.stringify(region.slice(0, 40))})` }]);
  }
  return {
    enabled: true,
    bedrock: {
      modelId: e.BEDROCK_MODEL_ID,
      region,
      maxTokens: e.BEDROCK_MAX_TOKENS,
      temperature: e.BEDROCK_TEMPERATURE,
      timeoutMs: e.BEDROCK_TIMEOUT_MS,
      maxAttempts: e.BEDROCK_MAX_ATTEMPTS,
    },
  };
}

/** One line for the start-up log. */
export function describeAiConfig(config: AiConfig): string {
  if (!config.enabled) return 'ai=offline';
  const b = config.bedrock;
  return `ai=bedrock model=${b.modelId} region=${b.region} maxTokens=${b.maxTokens} temperature=${b.temperature} timeoutMs=${b.timeoutMs} attempts=${b.maxAttempts}`;
}
