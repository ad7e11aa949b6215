import { CancelCommandCommand, GetCommandInvocationCommand, InvocationDoesNotExist, SendCommandCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_IAM_GRANT_SETTINGS } from '../../src/aws/iam/plan.js';
import { RunCommandTimeoutError, SsmCommandRunner } from '../../src/aws/ssm/run-command.js';

const sts = mockClient(STSClient);
const ssm = mockClient(SSMClient);
let sleeps: number[];
let regions: string[];

function runner() {
  return new SsmCommandRunner({
    settings: DEFAULT_IAM_GRANT_SETTINGS,
    clients: {
      sts: () => new STSClient({ region: 'eu-west-1' }),
      ssm: (credentials, region) => (regions.push(`${region}/${credentials.accessKeyId}`), new SSMClient({ region, credentials })),
    },
    poll: { firstDelayMs: 1000, maxDelayMs: 4000, timeoutMs: 10_000 },
    retry: { runtime: { sleep: async (ms) => void sleeps.push(ms), random: () => 0 } },
  });
}

const INPUT = { requestId: 'r-run12345', accountId: '111111111111', region: 'eu-west-1', instanceId: 'i-0abc123def4567890', command: 'systemctl status app' };

beforeEach(() => {
  sleeps = [];
  regions = [];
  sts.reset();
  ssm.reset();
  sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: 'AKIARUN', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date('2030-01-01') } });
  ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-1' } });
});

afterEach(() => {
  sts.reset();
  ssm.reset();
});

describe('SsmCommandRunner', () => {
  it('sends the command as one parameter through the grant role, waits, and returns its output', async () => {
    ssm
      .on(GetCommandInvocationCommand)
      .rejectsOnce(new InvocationDoesNotExist({ $metadata: {}, message: 'not yet' }))
      .resolvesOnce({ Status: 'InProgress' })
      .resolves({ Status: 'Success', ResponseCode: 0, StandardOutputContent: 'active (running)\n', StandardErrorContent: '' });
    const result = await runner().run(INPUT);
    expect(result).toEqual({ commandId: 'cmd-1', status: 'Success', exitCode: 0, stdout: 'active (running)\n', stderr: '' });

    expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input).toMatchObject({ RoleArn: 'arn:aws:iam::111111111111:role/warden-grant', RoleSessionName: 'warden-r-run12345' });
    expect(regions).toEqual(['eu-west-1/AKIARUN']);
    expect(ssm.commandCalls(SendCommandCommand)[0]?.args[0].input).toEqual({
      DocumentName: 'AWS-RunShellScript',
      InstanceIds: ['i-0abc123def4567890'],
      Parameters: { commands: ['systemctl status app'], executionTimeout: ['10'] },
      Comment: 'warden r-run12345',
      TimeoutSeconds: 30,
    });
    expect(ssm.commandCalls(GetCommandInvocationCommand).map((c) => c.args[0].input)).toEqual(
      Array(3).fill({ CommandId: 'cmd-1', InstanceId: 'i-0abc123def4567890' }),
    );
    expect(sleeps).toEqual([1000, 2000]);
  });

  it('reports the calls that change something, for the audit log, the cancel of a timed-out command too', async () => {
    ssm.on(GetCommandInvocationCommand).resolves({ Status: 'InProgress' });
    ssm.on(CancelCommandCommand).resolves({});
    const calls: string[] = [];
    const audited = new SsmCommandRunner({
      settings: DEFAULT_IAM_GRANT_SETTINGS,
      clients: { sts: () => new STSClient({ region: 'eu-west-1' }), ssm: (credentials, region) => new SSMClient({ region, credentials }) },
      poll: { firstDelayMs: 1000, maxDelayMs: 4000, timeoutMs: 2000 },
      retry: { runtime: { sleep: async () => undefined, random: () => 0 } },
      onCall: async (requestId, call) => void calls.push(`${requestId} ${call.service}:${call.operation} ${JSON.stringify(call.input)}`),
    });
    await expect(audited.run(INPUT)).rejects.toBeInstanceOf(RunCommandTimeoutError);
    expect(calls).toEqual([
      'r-run12345 sts:AssumeRole {"RoleArn":"arn:aws:iam::111111111111:role/warden-grant","RoleSessionName":"warden-r-run12345"}',
      'r-run12345 ssm:SendCommand {"DocumentName":"AWS-RunShellScript","InstanceIds":["i-0abc123def4567890"],"Parameters":{"commands":["systemctl status app"],"executionTimeout":["2"]},"Comment":"warden r-run12345","TimeoutSeconds":30,"CommandId":"cmd-1"}',
      'r-run12345 ssm:CancelCommand {"CommandId":"cmd-1","InstanceIds":["i-0abc123def4567890"],"succeeded":true}',
    ]);
  });

  it('a failing command comes back with its exit code and stderr', async () => {
    ssm.on(GetCommandInvocationCommand).resolves({ Status: 'Failed', ResponseCode: 3, StandardOutputContent: '', StandardErrorContent: 'Unit app.service could not be found.' });
    expect(await runner().run(INPUT)).toMatchObject({ status: 'Failed', exitCode: 3, stderr: 'Unit app.service could not be found.' });
  });

  it('retries a throttled SendCommand', async () => {
    ssm.reset();
    ssm.on(SendCommandCommand).rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })).resolves({ Command: { CommandId: 'cmd-2' } });
    ssm.on(GetCommandInvocationCommand).resolves({ Status: 'Success', ResponseCode: 0 });
    expect(await runner().run(INPUT)).toMatchObject({ commandId: 'cmd-2', status: 'Success', stdout: '' });
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(2);
  });

  it('stops waiting at the timeout, cancels the command and says so', async () => {
    ssm.on(GetCommandInvocationCommand).resolves({ Status: 'InProgress' });
    ssm.on(CancelCommandCommand).resolves({});
    await expect(runner().run(INPUT)).rejects.toBeInstanceOf(RunCommandTimeoutError);
    expect(sleeps).toEqual([1000, 2000, 4000, 3000]);
    expect(ssm.commandCalls(CancelCommandCommand)[0]?.args[0].input).toEqual({ CommandId: 'cmd-1', InstanceIds: ['i-0abc123def4567890'] });
  });
});
