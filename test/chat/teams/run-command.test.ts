import { GetCommandInvocationCommand, SendCommandCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_IAM_GRANT_SETTINGS } from '../../../src/aws/iam/plan.js';
import { AwsCommandRunner } from '../../../src/aws/ssm/command-runners.js';
import { SsmCommandRunner } from '../../../src/aws/ssm/run-command.js';
import { NoSuchButtonError, type FakeTeamsMessage } from '../../../src/playground/fake-teams/index.js';
import { AAD, shown, startTeamsHarness, type TeamsHarness } from '../../support/teams-harness.js';

const sts = mockClient(STSClient);
const ssm = mockClient(SSMClient);
const INSTANCE = 'i-0abc123def4567890';
const WHY = 'INC-42 the export worker is stuck on the payments queue';

let h: TeamsHarness;

beforeEach(async () => {
  sts.reset();
  ssm.reset();
  sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: 'AKIARUN', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date('2030-01-01') } });
  ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-7' } });
  ssm.on(GetCommandInvocationCommand).resolvesOnce({ Status: 'InProgress' }).resolves({ Status: 'Success', ResponseCode: 0, StandardOutputContent: '/dev/nvme0n1p1  20G  19G  1G  95% /var\n' });
  const runner = new AwsCommandRunner(
    new SsmCommandRunner({
      settings: DEFAULT_IAM_GRANT_SETTINGS,
      clients: { sts: () => new STSClient({ region: 'eu-west-1' }), ssm: (credentials, region) => new SSMClient({ region, credentials }) },
      poll: { firstDelayMs: 1000, maxDelayMs: 4000, timeoutMs: 60_000 },
      retry: { runtime: { sleep: async () => undefined, random: () => 0 } },
    }),
  );
  h = await startTeamsHarness({ commandRunner: runner });
});

afterEach(async () => {
  await h.close();
  sts.reset();
  ssm.reset();
});

function approvalCard(aad: string, requestId: string): FakeTeamsMessage {
  const card = h.teams.messages(h.teams.personalChatOf(aad).id).find((m) => shown(m).includes('asks to run a command') && shown(m).includes(requestId));
  if (!card) throw new Error(`no approval card for ${requestId} in ${aad}'s chat`);
  return card;
}

describe('run … -- … as a Teams bot command', () => {
  it('sends the command for approval and posts its output in the personal chat once approved', async () => {
    const first = await h.sender.message({ from: AAD.ana, text: `run ${INSTANCE} payments-prod ${WHY} -- df -h /var` });
    expect(first.status).toBe(200);
    const chat = first.conversationId;
    const submitted = await h.teams.waitForMessage(chat, /Submitted/);
    const requestId = /`(r-[a-z0-9]+)`/.exec(shown(submitted))?.[1] ?? '';
    expect(await h.store.getRequest(requestId)).toMatchObject({ state: 'pending_approval', run: { instanceId: INSTANCE, command: 'df -h /var' } });

    const bens = approvalCard(AAD.ben, requestId);
    expect(shown(bens)).toContain('df -h /var');
    expect(shown(bens)).toContain(INSTANCE);
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);

    // Ana is shown no Approve button on a card for her own run.
    await expect(h.sender.click({ from: AAD.ana, message: bens, verb: 'request.approve' })).rejects.toBeInstanceOf(NoSuchButtonError);
    expect((await h.store.getRequest(requestId))?.state).toBe('pending_approval');

    // This harness has no guardrails file, so one payments lead suffices.
    const since = h.teams.requests.length;
    await h.sender.click({ from: AAD.ben, message: bens, verb: 'request.approve' });
    const output = await h.teams.waitForMessage(chat, /ran on/, { since });
    expect(shown(output)).toContain('95% /var');
    expect(shown(output)).toContain('exit code 0');

    expect(ssm.commandCalls(SendCommandCommand).map((c) => c.args[0].input)).toEqual([
      expect.objectContaining({ InstanceIds: [INSTANCE], DocumentName: 'AWS-RunShellScript', Parameters: expect.objectContaining({ commands: ['df -h /var'] }) }),
    ]);
    expect((await h.store.getRequest(requestId))?.state).toBe('expired');
  });

  it('`run help` explains the syntax with the Teams command name', async () => {
    const first = await h.sender.message({ from: AAD.ana, text: 'run help' });
    const help = await h.teams.waitForMessage(first.conversationId, /Run one command on one instance/);
    expect(shown(help)).toContain('run <instance-id or Name>');
    expect(shown(help)).not.toContain('/run');
  });

  it('access ssh drafts session access in the personal chat', async () => {
    const first = await h.sender.message({ from: AAD.ana, text: `access ssh ${INSTANCE} payments-prod ${WHY}` });
    await h.teams.waitForMessage(first.conversationId, /"view":"draft"/);
    const [request] = (await h.store.listRequestsByRequester('ana', { limit: 5 })).items;
    expect(request?.draft.statements.flatMap((s) => s.actions)).toContain('ssm:StartSession');
    expect(request?.draft.justification).toBe(WHY);
  });
});
