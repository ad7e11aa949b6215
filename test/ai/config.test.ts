import { describe, expect, it } from 'vitest';
import { AI_DEFAULTS, describeAiConfig, parseAiEnv } from '../../src/ai/config.js';
import { ConfigError } from '../../src/config/config-error.js';

function errorOf(env: NodeJS.ProcessEnv): ConfigError {
  try {
    parseAiEnv(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseAiEnv', () => {
  it('is off without a model id, whatever else is set', () => {
    expect(parseAiEnv({})).toEqual({ enabled: false });
    expect(parseAiEnv({ BEDROCK_MODEL_ID: '  ', AWS_REGION: 'eu-west-1' })).toEqual({ enabled: false });
  });

  it('reads the model id and region with defaults for the rest', () => {
    const config = parseAiEnv({ BEDROCK_MODEL_ID: 'anthropic.claude-3-5-sonnet-20240620-v1:0', AWS_REGION: 'eu-central-1' });
    expect(config).toEqual({ enabled: true, bedrock: { modelId: 'anthropic.claude-3-5-sonnet-20240620-v1:0', region: 'eu-central-1', ...AI_DEFAULTS } });
    expect(describeAiConfig(config)).toBe(
      'ai=bedrock model=anthropic.claude-3-5-sonnet-20240620-v1:0 region=eu-central-1 maxTokens=1024 temperature=0 timeoutMs=20000 attempts=3',
    );
  });

  it('takes every setting from the environment, and AWS_DEFAULT_REGION when AWS_REGION is unset', () => {
    const config = parseAiEnv({
      BEDROCK_MODEL_ID: 'eu.anthropic.claude-sonnet-4-20250514-v1:0',
      AWS_DEFAULT_REGION: 'eu-west-1',
      BEDROCK_MAX_TOKENS: '2048',
      BEDROCK_TEMPERATURE: '0.3',
      BEDROCK_TIMEOUT_MS: '8000',
      BEDROCK_MAX_ATTEMPTS: '5',
    });
    expect(config).toEqual({
      enabled: true,
      bedrock: { modelId: 'eu.anthropic.claude-sonnet-4-20250514-v1:0', region: 'eu-west-1', maxTokens: 2048, temperature: 0.3, timeoutMs: 8000, maxAttempts: 5 },
    });
  });

  it('names every bad variable, what it got and what it takes', () => {
    const error = errorOf({ BEDROCK_MODEL_ID: 'm', AWS_REGION: 'us-east-1', BEDROCK_MAX_TOKENS: 'lots', BEDROCK_TEMPERATURE: '3', BEDROCK_TIMEOUT_MS: '1.5' });
    expect(error.file).toBe('environment');
    expect(error.issues.map((i) => i.path)).toEqual(['BEDROCK_MAX_TOKENS', 'BEDROCK_TEMPERATURE', 'BEDROCK_TIMEOUT_MS']);
    expect(error.format()).toContain('environment: BEDROCK_MAX_TOKENS: the most tokens a reply may have: a whole number from 256 to 8192 (got "lots")');
    expect(error.format()).toContain('BEDROCK_TEMPERATURE: the sampling temperature: a number from 0 to 1 (got "3")');
  });

  it('needs a region when a model is set', () => {
    expect(errorOf({ BEDROCK_MODEL_ID: 'm' }).format()).toMatch(/AWS_REGION: missing: BEDROCK_MODEL_ID is set/);
    expect(errorOf({ BEDROCK_MODEL_ID: 'm', AWS_REGION: 'Frankfurt' }).format()).toContain('AWS_REGION: a region like "us-east-1" (got "Frankfurt")');
  });
});
