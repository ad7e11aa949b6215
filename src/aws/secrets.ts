/**
 * Secrets from SSM Parameter Store, by name, resolved once at start-up.
 *
 * `SLACK_BOT_TOKEN_SSM_PARAMETER=/warden/slack-bot-token` means "read SLACK_BOT_TOKEN from that
 * SecureString parameter". The values are returned (and put into the environment by the caller)
 * before the environment is parsed, so the rest of Warden reads them as if they had been set
 * directly. Values are never logged or put in an error message; errors name the variable and
 * the parameter, and say what to fix.
 */
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../config/config-error.js';
import { awsErrorName, isAwsError, withRetry, type RetryPolicy, type RetryRuntime } from './retry.js';

/** The variables that may come from Parameter Store: the chat platforms' credentials. */
export const SECRET_VARIABLES = ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET', 'MicrosoftAppPassword'] as const;
export type SecretVariable = (typeof SECRET_VARIABLES)[number];

export const SSM_PARAMETER_SUFFIX = '_SSM_PARAMETER';

/** A parameter name (`/warden/slack-bot-token`, `warden-token`) or its full ARN, as GetParameter accepts. */
const ParameterName = z
  .string()
  .trim()
  .max(2048)
  .regex(
    /^(arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter\/)?\/?[\w.-]+(\/[\w.-]+)*(:\d+)?$/,
    'a Parameter Store name like "/warden/slack-bot-token" (letters, digits, "_", ".", "-", "/"), or its ARN',
  );

export interface ResolveSecretsOptions {
  retry?: { policy?: RetryPolicy; runtime?: RetryRuntime };
}

type Env = Readonly<Record<string, string | undefined>>;

/** The SDK client, built only when a parameter is named, so nothing AWS is touched otherwise. */
export type SsmClientSource = SSMClient | (() => SSMClient);

const defaultSsmClient = (): SSMClient => new SSMClient({ maxAttempts: 1 });

function describeFailure(error: unknown, parameter: string): string {
  if (isAwsError(error, 'ParameterNotFound')) return `SSM parameter ${parameter} does not exist (in this region: check AWS_REGION and the name)`;
  if (isAwsError(error, 'ParameterVersionNotFound')) return `SSM parameter ${parameter} has no such version`;
  if (isAwsError(error, 'AccessDeniedException') || isAwsError(error, 'AccessDenied')) {
    return `Warden's AWS identity may not read SSM parameter ${parameter}: allow it ssm:GetParameter on the parameter and kms:Decrypt on its KMS key`;
  }
  if (isAwsError(error, 'InvalidKeyId')) return `SSM parameter ${parameter} could not be decrypted: its KMS key is disabled, missing or not usable by Warden`;
  if (isAwsError(error, 'CredentialsProviderError')) return `no AWS credentials to read SSM parameter ${parameter} (set a role, AWS_PROFILE or keys)`;
  // The SDK's messages name the parameter, never its value; only the code is kept, to stay short.
  return `could not read SSM parameter ${parameter} (${awsErrorName(error) ?? 'unknown error'})`;
}

/**
 * Reads every `<VAR>_SSM_PARAMETER` of SECRET_VARIABLES with decryption and returns `{ VAR: value }`
 * for them. Throws one ConfigError listing every problem: a variable set both directly and by
 * parameter (ambiguous), a malformed name, a missing or unreadable parameter, or one that is not a
 * SecureString (a plain String is stored unencrypted, which a secret must not be).
 */
export async function resolveSecrets(env: Env, ssm: SsmClientSource = defaultSsmClient, options: ResolveSecretsOptions = {}): Promise<Partial<Record<SecretVariable, string>>> {
  const issues: ConfigIssue[] = [];
  const wanted: Array<{ variable: SecretVariable; pointer: string; parameter: string }> = [];
  for (const variable of SECRET_VARIABLES) {
    const pointer = `${variable}${SSM_PARAMETER_SUFFIX}`;
    const raw = env[pointer];
    if (raw === undefined || raw.trim() === '') continue;
    if (env[variable] !== undefined && env[variable]?.trim() !== '') {
      issues.push({ path: pointer, message: `${variable} is set too; set one of ${variable} and ${pointer}, not both` });
      continue;
    }
    const name = ParameterName.safeParse(raw);
    if (!name.success) {
      issues.push({ path: pointer, message: name.error.issues[0]?.message ?? 'not a parameter name' });
      continue;
    }
    wanted.push({ variable, pointer, parameter: name.data });
  }
  if (wanted.length === 0) {
    if (issues.length > 0) throw new ConfigError('environment', issues);
    return {};
  }

  const client = typeof ssm === 'function' ? ssm() : ssm;
  const resolved: Partial<Record<SecretVariable, string>> = {};
  await Promise.all(
    wanted.map(async ({ variable, pointer, parameter }) => {
      try {
        const out = await withRetry(`SSM GetParameter ${parameter}`, () => client.send(new GetParameterCommand({ Name: parameter, WithDecryption: true })), options.retry ?? {});
        const found = out.Parameter;
        if (found?.Type !== 'SecureString') {
          issues.push({ path: pointer, message: `SSM parameter ${parameter} is ${found?.Type ?? 'of no type'}, not a SecureString; store secrets encrypted` });
          return;
        }
        if (found.Value === undefined || found.Value.trim() === '') {
          issues.push({ path: pointer, message: `SSM parameter ${parameter} is empty` });
          return;
        }
        resolved[variable] = found.Value.trim();
      } catch (error) {
        issues.push({ path: pointer, message: describeFailure(error, parameter) });
      }
    }),
  );
  // Calls finish in any order; the report follows the variables' order so it reads the same each time.
  const order = (issue: ConfigIssue) => SECRET_VARIABLES.findIndex((v) => issue.path === `${v}${SSM_PARAMETER_SUFFIX}`);
  if (issues.length > 0) throw new ConfigError('environment', issues.sort((a, b) => order(a) - order(b)));
  return resolved;
}
