import { GetParameterCommand, ParameterNotFound, SSMClient, SSMServiceException } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient, SecretsManagerServiceException } from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { resolveSecrets } from '../../src/aws/secrets.js';

const ssm = mockClient(SSMClient);
const client = () => new SSMClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
const noWait = { retry: { runtime: { sleep: async () => undefined, random: () => 0 } } };

function secure(name: string, value: string) {
  return { Parameter: { Name: name, Type: 'SecureString' as const, Value: value, Version: 1 } };
}

function awsError(name: string, message: string) {
  return new SSMServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: 400 }, message });
}

beforeEach(() => ssm.reset());
afterEach(() => ssm.reset());

describe('resolveSecrets', () => {
  it('reads each named SecureString with decryption and returns only those variables', async () => {
    ssm.on(GetParameterCommand, { Name: '/warden/slack-bot-token' }).resolves(secure('/warden/slack-bot-token', 'xoxb-from-ssm'));
    ssm.on(GetParameterCommand, { Name: '/warden/teams-password' }).resolves(secure('/warden/teams-password', 'teams-pw'));
    const out = await resolveSecrets(
      { SLACK_BOT_TOKEN_SSM_PARAMETER: '/warden/slack-bot-token', MicrosoftAppPassword_SSM_PARAMETER: '/warden/teams-password', SLACK_APP_TOKEN: 'xapp-direct', PATH: '/bin' },
      client,
      noWait,
    );
    expect(out).toEqual({ SLACK_BOT_TOKEN: 'xoxb-from-ssm', MicrosoftAppPassword: 'teams-pw' });
    const inputs = ssm.commandCalls(GetParameterCommand).map((c) => c.args[0].input);
    expect(inputs).toHaveLength(2);
    for (const input of inputs) expect(input.WithDecryption).toBe(true);
  });

  it('builds no client and calls nothing when no parameter is named', async () => {
    let built = false;
    const out = await resolveSecrets({ SLACK_BOT_TOKEN: 'xoxb-direct' }, () => {
      built = true;
      return client();
    });
    expect(out).toEqual({});
    expect(built).toBe(false);
    expect(ssm.calls()).toHaveLength(0);
  });

  it('names the parameter when it is missing or access is denied, and never shows a value', async () => {
    ssm.on(GetParameterCommand, { Name: '/warden/missing' }).rejects(new ParameterNotFound({ $metadata: {}, message: 'not found' }));
    ssm.on(GetParameterCommand, { Name: '/warden/locked' }).rejects(awsError('AccessDeniedException', 'User is not authorized to perform ssm:GetParameter'));
    ssm.on(GetParameterCommand, { Name: '/warden/ok' }).resolves(secure('/warden/ok', 'the-real-secret'));
    const error = await resolveSecrets(
      { SLACK_BOT_TOKEN_SSM_PARAMETER: '/warden/missing', SLACK_APP_TOKEN_SSM_PARAMETER: '/warden/locked', SLACK_SIGNING_SECRET_SSM_PARAMETER: '/warden/ok' },
      client,
      noWait,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as ConfigError).format();
    expect(text.split('\n')).toEqual([
      expect.stringMatching(/^environment: SLACK_BOT_TOKEN_SSM_PARAMETER: SSM parameter \/warden\/missing does not exist/),
      expect.stringMatching(/^environment: SLACK_APP_TOKEN_SSM_PARAMETER: .*may not read SSM parameter \/warden\/locked.*ssm:GetParameter.*kms:Decrypt/),
    ]);
    expect(text).not.toContain('the-real-secret');
  });

  it('refuses a plain String parameter, an empty one, a bad name, and a variable set both ways', async () => {
    ssm.on(GetParameterCommand, { Name: '/warden/plain' }).resolves({ Parameter: { Name: '/warden/plain', Type: 'String', Value: 'visible-value' } });
    ssm.on(GetParameterCommand, { Name: '/warden/empty' }).resolves(secure('/warden/empty', '  '));
    const error = (await resolveSecrets(
      {
        SLACK_BOT_TOKEN_SSM_PARAMETER: '/warden/plain',
        SLACK_APP_TOKEN_SSM_PARAMETER: '/warden/empty',
        SLACK_SIGNING_SECRET_SSM_PARAMETER: 'not a name!',
        MicrosoftAppPassword: 'direct',
        MicrosoftAppPassword_SSM_PARAMETER: '/warden/teams',
      },
      client,
      noWait,
    ).catch((e: unknown) => e)) as ConfigError;
    const paths = error.issues.map((i) => i.path);
    expect(paths).toEqual(['SLACK_BOT_TOKEN_SSM_PARAMETER', 'SLACK_APP_TOKEN_SSM_PARAMETER', 'SLACK_SIGNING_SECRET_SSM_PARAMETER', 'MicrosoftAppPassword_SSM_PARAMETER']);
    expect(error.issues[0]?.message).toMatch(/String, not a SecureString/);
    expect(error.issues[1]?.message).toMatch(/empty/);
    expect(error.issues[3]?.message).toMatch(/not both/);
    expect(error.format()).not.toContain('visible-value');
    // Neither the malformed name nor the ambiguous variable was looked up.
    expect(ssm.commandCalls(GetParameterCommand).map((c) => c.args[0].input.Name).sort()).toEqual(['/warden/empty', '/warden/plain']);
  });

  it('retries throttling, and accepts a parameter ARN', async () => {
    const arn = 'arn:aws:ssm:eu-west-1:111111111111:parameter/warden/slack-signing-secret';
    ssm.on(GetParameterCommand).rejectsOnce(awsError('ThrottlingException', 'Rate exceeded')).resolves(secure(arn, 'signing'));
    expect(await resolveSecrets({ SLACK_SIGNING_SECRET_SSM_PARAMETER: arn }, client, noWait)).toEqual({ SLACK_SIGNING_SECRET: 'signing' });
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });
});

describe('resolveSecrets from Secrets Manager', () => {
  const sm = mockClient(SecretsManagerClient);
  const smClient = () => new SecretsManagerClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
  const withSm = { ...noWait, secretsManager: smClient };
  const printed: string[] = [];
  beforeEach(() => {
    sm.reset();
    printed.length = 0;
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' ')));
    }
  });
  afterEach(() => {
    sm.reset();
    vi.restoreAllMocks();
  });

  it('reads a plain string secret and one key of a JSON secret, by name or ARN', async () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:warden/slack-AbCdEf';
    sm.on(GetSecretValueCommand, { SecretId: 'warden/signing' }).resolves({ SecretString: ' plain-signing-secret \n' });
    sm.on(GetSecretValueCommand, { SecretId: arn }).resolves({ SecretString: JSON.stringify({ botToken: 'xoxb-from-sm', appToken: 'xapp-from-sm' }) });
    const out = await resolveSecrets({ SLACK_SIGNING_SECRET_SECRET_ID: 'warden/signing', SLACK_BOT_TOKEN_SECRET_ID: `${arn}#botToken` }, client, withSm);
    expect(out).toEqual({ SLACK_SIGNING_SECRET: 'plain-signing-secret', SLACK_BOT_TOKEN: 'xoxb-from-sm' });
    expect(sm.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input.SecretId).sort()).toEqual([arn, 'warden/signing']);
    // Parameter Store was not needed, so not asked.
    expect(ssm.calls()).toHaveLength(0);
    expect(printed.join('\n')).not.toMatch(/from-sm|plain-signing-secret/);
  });

  it('names the missing key and the keys there are, never a value', async () => {
    sm.on(GetSecretValueCommand, { SecretId: 'warden/slack' }).resolves({ SecretString: JSON.stringify({ botToken: 'xoxb-hidden-value', appToken: 'xapp-hidden-value' }) });
    sm.on(GetSecretValueCommand, { SecretId: 'warden/not-json' }).resolves({ SecretString: 'just-a-hidden-string' });
    const error = (await resolveSecrets(
      { SLACK_BOT_TOKEN_SECRET_ID: 'warden/slack#signing', SLACK_APP_TOKEN_SECRET_ID: 'warden/not-json#appToken' },
      client,
      withSm,
    ).catch((e: unknown) => e)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues).toEqual([
      { path: 'SLACK_BOT_TOKEN_SECRET_ID', message: 'Secrets Manager secret warden/slack has no key "signing" (it has: appToken, botToken)' },
      { path: 'SLACK_APP_TOKEN_SECRET_ID', message: expect.stringMatching(/warden\/not-json is not a JSON object, so it has no key "appToken"/) },
    ]);
    expect(error.format()).not.toContain('hidden');
    expect(printed.join('\n')).not.toContain('hidden');
  });

  it('refuses one variable named both in Parameter Store and Secrets Manager, and reads neither', async () => {
    const error = (await resolveSecrets(
      { SLACK_BOT_TOKEN_SSM_PARAMETER: '/warden/slack-bot-token', SLACK_BOT_TOKEN_SECRET_ID: 'warden/slack#botToken' },
      client,
      withSm,
    ).catch((e: unknown) => e)) as ConfigError;
    expect(error.issues).toEqual([{ path: 'SLACK_BOT_TOKEN_SECRET_ID', message: expect.stringMatching(/SLACK_BOT_TOKEN_SSM_PARAMETER is set too.*not both/) }]);
    expect(ssm.calls()).toHaveLength(0);
    expect(sm.calls()).toHaveLength(0);
  });

  it('refuses a secret set directly too, a malformed pointer, and says how to fix a missing or denied secret', async () => {
    sm.on(GetSecretValueCommand, { SecretId: 'warden/gone' }).rejects(new ResourceNotFoundException({ $metadata: {}, message: "Secrets Manager can't find the specified secret." }));
    sm.on(GetSecretValueCommand, { SecretId: 'warden/locked' }).rejects(new SecretsManagerServiceException({ name: 'AccessDeniedException', $fault: 'client', $metadata: {}, message: 'denied' }));
    const error = (await resolveSecrets(
      {
        SLACK_BOT_TOKEN_SECRET_ID: 'warden/gone',
        SLACK_APP_TOKEN_SECRET_ID: 'warden/locked',
        SLACK_SIGNING_SECRET_SECRET_ID: 'has spaces#and#hashes',
        MicrosoftAppPassword: 'direct',
        MicrosoftAppPassword_SECRET_ID: 'warden/teams',
      },
      client,
      withSm,
    ).catch((e: unknown) => e)) as ConfigError;
    expect(error.issues.map((i) => i.path)).toEqual(['SLACK_BOT_TOKEN_SECRET_ID', 'SLACK_APP_TOKEN_SECRET_ID', 'SLACK_SIGNING_SECRET_SECRET_ID', 'MicrosoftAppPassword_SECRET_ID']);
    expect(error.issues[0]?.message).toMatch(/warden\/gone does not exist/);
    expect(error.issues[1]?.message).toMatch(/secretsmanager:GetSecretValue.*kms:Decrypt/);
    expect(error.issues[2]?.message).toMatch(/Secrets Manager secret name/);
    expect(error.issues[3]?.message).toMatch(/MicrosoftAppPassword is set too/);
    expect(sm.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input.SecretId).sort()).toEqual(['warden/gone', 'warden/locked']);
  });
});
