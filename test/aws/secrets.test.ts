import { GetParameterCommand, ParameterNotFound, SSMClient, SSMServiceException } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
