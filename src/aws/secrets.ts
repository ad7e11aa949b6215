/**
 * Secrets from SSM Parameter Store or Secrets Manager, by name, resolved once at start-up.
 *
 * `SLACK_BOT_TOKEN_SSM_PARAMETER=/warden/slack-bot-token` means "read SLACK_BOT_TOKEN from that
 * SecureString parameter"; `SLACK_BOT_TOKEN_SECRET_ID=warden/slack` reads it from that Secrets
 * Manager secret (its whole string), and `warden/slack#botToken` from one key of a JSON secret.
 * The values are returned (and put into the environment by the caller)
 * before the environment is parsed, so the rest of Warden reads them as if they had been set
 * directly. Values are never logged or put in an error message; errors name the variable and
 * the parameter, and say what to fix.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../config/config-error.js';
import { awsErrorName, isAwsError, withRetry, type RetryPolicy, type RetryRuntime } from './retry.js';

/** The variables that may come from Parameter Store: the chat platforms' credentials. */
export const SECRET_VARIABLES = ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET', 'MicrosoftAppPassword'] as const;
export type SecretVariable = (typeof SECRET_VARIABLES)[number];

export const SSM_PARAMETER_SUFFIX = '_SSM_PARAMETER';
export const SECRET_ID_SUFFIX = '_SECRET_ID';

/** A parameter name (`/warden/slack-bot-token`, `warden-token`) or its full ARN, as GetParameter accepts. */
const ParameterName = z
  .string()
  .trim()
  .max(2048)
  .regex(
    /^(arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter\/)?\/?[\w.-]+(\/[\w.-]+)*(:\d+)?$/,
    'a Parameter Store name like "/warden/slack-bot-token" (letters, digits, "_", ".", "-", "/"), or its ARN',
  );

/**
 * A Secrets Manager secret name or ARN, optionally followed by `#key` to read one key of a JSON
 * secret. Names allow letters, digits and /_+=.@-; `#` is not among them, so it cannot be ambiguous.
 */
const SecretPointer = z
  .string()
  .trim()
  .max(2048)
  .regex(
    /^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:)?[\w/+=.@-]{1,512}(#[^#\s]{1,256})?$/,
    'a Secrets Manager secret name like "warden/slack" or its ARN, optionally with "#key" to read one key of a JSON secret',
  )
  .transform((raw) => {
    const at = raw.indexOf('#');
    return at < 0 ? { secretId: raw, key: null } : { secretId: raw.slice(0, at), key: raw.slice(at + 1) };
  });

/** Built only when a secret is named, like the SSM client. */
export type SecretsManagerClientSource = SecretsManagerClient | (() => SecretsManagerClient);

const defaultSecretsManagerClient = (): SecretsManagerClient => new SecretsManagerClient({ maxAttempts: 1 });

export interface ResolveSecretsOptions {
  retry?: { policy?: RetryPolicy; runtime?: RetryRuntime };
  secretsManager?: SecretsManagerClientSource;
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

function describeSecretFailure(error: unknown, secretId: string): string {
  if (isAwsError(error, 'ResourceNotFoundException')) return `Secrets Manager secret ${secretId} does not exist (in this region: check AWS_REGION and the name)`;
  if (isAwsError(error, 'AccessDeniedException') || isAwsError(error, 'AccessDenied')) {
    return `Warden's AWS identity may not read Secrets Manager secret ${secretId}: allow it secretsmanager:GetSecretValue on the secret and kms:Decrypt on its KMS key`;
  }
  if (isAwsError(error, 'DecryptionFailure')) return `Secrets Manager secret ${secretId} could not be decrypted: its KMS key is disabled, missing or not usable by Warden`;
  if (isAwsError(error, 'InvalidRequestException')) return `Secrets Manager secret ${secretId} cannot be read (is it scheduled for deletion?)`;
  if (isAwsError(error, 'CredentialsProviderError')) return `no AWS credentials to read Secrets Manager secret ${secretId} (set a role, AWS_PROFILE or keys)`;
  return `could not read Secrets Manager secret ${secretId} (${awsErrorName(error) ?? 'unknown error'})`;
}

/**
 * The value of a secret, or one key of it. Messages name the secret and the key, never the
 * content: a JSON parse error could quote it, so the parser's own message is not passed on.
 */
function pickSecretValue(text: string, secretId: string, key: string | null): { ok: true; value: string } | { ok: false; message: string } {
  if (key === null) {
    return text.trim() === '' ? { ok: false, message: `Secrets Manager secret ${secretId} is empty` } : { ok: true, value: text.trim() };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, message: `Secrets Manager secret ${secretId} is not a JSON object, so it has no key "${key}"; drop "#${key}" to read the whole string` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, message: `Secrets Manager secret ${secretId} is not a JSON object, so it has no key "${key}"` };
  }
  const record = parsed as Record<string, unknown>;
  if (!Object.hasOwn(record, key)) {
    return { ok: false, message: `Secrets Manager secret ${secretId} has no key "${key}" (it has: ${Object.keys(record).sort().join(', ') || 'no keys'})` };
  }
  const value = record[key];
  if (typeof value !== 'string' || value.trim() === '') return { ok: false, message: `key "${key}" of Secrets Manager secret ${secretId} is not a non-empty string` };
  return { ok: true, value: value.trim() };
}

/**
 * Reads every `<VAR>_SSM_PARAMETER` (with decryption) and `<VAR>_SECRET_ID` of SECRET_VARIABLES and
 * returns `{ VAR: value }` for them. Throws one ConfigError listing every problem: a variable set
 * more than one way (directly, by parameter, by secret: ambiguous), a malformed name, a missing or
 * unreadable parameter or secret, a parameter that is not a SecureString (a plain String is stored
 * unencrypted, which a secret must not be), a binary secret, or a JSON key that is not there.
 */
export async function resolveSecrets(env: Env, ssm: SsmClientSource = defaultSsmClient, options: ResolveSecretsOptions = {}): Promise<Partial<Record<SecretVariable, string>>> {
  const issues: ConfigIssue[] = [];
  const wanted: Array<{ variable: SecretVariable; pointer: string; parameter: string }> = [];
  const secrets: Array<{ variable: SecretVariable; pointer: string; secretId: string; key: string | null }> = [];
  const set = (name: string) => env[name] !== undefined && env[name]?.trim() !== '';
  for (const variable of SECRET_VARIABLES) {
    const ssmPointer = `${variable}${SSM_PARAMETER_SUFFIX}`;
    const secretPointer = `${variable}${SECRET_ID_SUFFIX}`;
    if (set(ssmPointer) && set(secretPointer)) {
      issues.push({ path: secretPointer, message: `${ssmPointer} is set too; read ${variable} from Parameter Store or from Secrets Manager, not both` });
      continue;
    }
    const pointer = set(ssmPointer) ? ssmPointer : set(secretPointer) ? secretPointer : undefined;
    if (pointer === undefined) continue;
    if (set(variable)) {
      issues.push({ path: pointer, message: `${variable} is set too; set one of ${variable} and ${pointer}, not both` });
      continue;
    }
    const raw = env[pointer] ?? '';
    if (pointer === ssmPointer) {
      const name = ParameterName.safeParse(raw);
      if (!name.success) issues.push({ path: pointer, message: name.error.issues[0]?.message ?? 'not a parameter name' });
      else wanted.push({ variable, pointer, parameter: name.data });
    } else {
      const target = SecretPointer.safeParse(raw);
      if (!target.success) issues.push({ path: pointer, message: target.error.issues[0]?.message ?? 'not a secret name' });
      else secrets.push({ variable, pointer, ...target.data });
    }
  }
  if (wanted.length === 0 && secrets.length === 0) {
    if (issues.length > 0) throw new ConfigError('environment', issues);
    return {};
  }

  const resolved: Partial<Record<SecretVariable, string>> = {};
  const client = wanted.length > 0 ? (typeof ssm === 'function' ? ssm() : ssm) : undefined;
  const source = options.secretsManager ?? defaultSecretsManagerClient;
  const secretsClient = secrets.length > 0 ? (typeof source === 'function' ? source() : source) : undefined;
  await Promise.all([
    ...wanted.map(async ({ variable, pointer, parameter }) => {
      if (!client) return;
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
    ...secrets.map(async ({ variable, pointer, secretId, key }) => {
      if (!secretsClient) return;
      try {
        const out = await withRetry(`Secrets Manager GetSecretValue ${secretId}`, () => secretsClient.send(new GetSecretValueCommand({ SecretId: secretId })), options.retry ?? {});
        if (out.SecretString === undefined) {
          issues.push({ path: pointer, message: `Secrets Manager secret ${secretId} has no string value (a binary secret cannot be a token)` });
          return;
        }
        const picked = pickSecretValue(out.SecretString, secretId, key);
        if (picked.ok) resolved[variable] = picked.value;
        else issues.push({ path: pointer, message: picked.message });
      } catch (error) {
        issues.push({ path: pointer, message: describeSecretFailure(error, secretId) });
      }
    }),
  ]);
  // Calls finish in any order; the report follows the variables' order so it reads the same each time.
  const order = (issue: ConfigIssue) => SECRET_VARIABLES.findIndex((v) => issue.path === `${v}${SSM_PARAMETER_SUFFIX}` || issue.path === `${v}${SECRET_ID_SUFFIX}`);
  if (issues.length > 0) throw new ConfigError('environment', issues.sort((a, b) => order(a) - order(b)));
  return resolved;
}
