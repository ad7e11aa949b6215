import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CancelCommandCommand, GetCommandInvocationCommand, InvocationDoesNotExist, SendCommandCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ec2InstanceNames } from '../../../src/aws/ec2/instance-names.js';
import { DEFAULT_IAM_GRANT_SETTINGS } from '../../../src/aws/iam/plan.js';
import { AwsCommandRunner } from '../../../src/aws/ssm/command-runners.js';
import { SsmCommandRunner } from '../../../src/aws/ssm/run-command.js';
import type { FakeMessage, RecordedCall } from '../../../src/playground/fake-slack/index.js';
import { hasButton, SLACK, startWardenHarness, visibleText, waitForThreadPost, type WardenHarness, type WardenHarnessOptions } from '../../support/warden-harness.js';

const sts = mockClient(STSClient);
const ssm = mockClient(SSMClient);
const ec2 = mockClient(EC2Client);
const INSTANCE = 'i-0abc123def4567890';
const WHY = 'INC-42 the export worker is stuck on the payments queue';
/** As typed: `&&` and `>` must reach SSM unchanged. */
const COMMAND = 'systemctl status export-worker && echo "checked *now*" > /tmp/last-check';
/** What Slack sends for it: `&`, `<`, `>` arrive as entities in command text. */
const COMMAND_AS_SLACK_SENDS = 'systemctl status export-worker &amp;&amp; echo "checked *now*" &gt; /tmp/last-check';

let h: WardenHarness;
let sleeps: number[];

function awsRunner(timeoutMs = 60_000): AwsCommandRunner {
  return new AwsCommandRunner(
    new SsmCommandRunner({
      settings: DEFAULT_IAM_GRANT_SETTINGS,
      clients: { sts: () => new STSClient({ region: 'eu-west-1' }), ssm: (credentials, region) => new SSMClient({ region, credentials }) },
      poll: { firstDelayMs: 1000, maxDelayMs: 4000, timeoutMs },
      retry: { runtime: { sleep: async (ms) => void sleeps.push(ms), random: () => 0 } },
    }),
  );
}

function instanceNames(): Ec2InstanceNames {
  return new Ec2InstanceNames({
    settings: DEFAULT_IAM_GRANT_SETTINGS,
    clients: { sts: () => new STSClient({ region: 'eu-west-1' }), ec2: (credentials, region) => new EC2Client({ region, credentials }) },
    retry: { runtime: { sleep: async () => undefined, random: () => 0 } },
  });
}

async function start(options: WardenHarnessOptions = {}): Promise<void> {
  h = await startWardenHarness({ commandRunner: awsRunner(), instanceNames: instanceNames(), ...options });
}

beforeEach(() => {
  sleeps = [];
  for (const mock of [sts, ssm, ec2]) mock.reset();
  sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: 'AKIARUN', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date('2030-01-01') } });
  ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-1' } });
});

afterEach(async () => {
  await h?.close();
  for (const mock of [sts, ssm, ec2]) mock.reset();
});

async function response(pattern: RegExp, since: number): Promise<string> {
  const call = await h.fake.waitFor((c) => c.seq >= since && c.method === 'response_url' && pattern.test(JSON.stringify(c.args)), {
    description: `a command response matching ${pattern}`,
  });
  return JSON.stringify(call.args);
}

function messageOf(call: RecordedCall): FakeMessage {
  return h.fake.message(String(call.response['channel']), String(call.response['ts']))!;
}

/** ana runs `/run`; returns the request id and the approval card Ben got. */
async function submitRun(text: string): Promise<{ requestId: string; card: FakeMessage; thread: { channel: string; ts: string } }> {
  const since = h.fake.calls.length;
  await h.sender.command('/run', text, { user: SLACK.ana });
  const answer = await response(/Sent `r-/, since);
  const requestId = /`(r-[a-z0-9]+)`/.exec(answer)?.[1] ?? '';
  const cardCall = await h.fake.waitFor((c) => c.seq >= since && c.method === 'chat.postMessage' && JSON.stringify(c.args).includes('request.approve'));
  const stored = await h.store.getRequest(requestId);
  return { requestId, card: messageOf(cardCall), thread: { channel: stored!.origin.channel, ts: stored!.origin.threadTs } };
}

async function approve(user: string, requestId: string, card: FakeMessage): Promise<void> {
  await h.sender.blockAction({ user, actionId: 'request.approve', value: requestId, message: { channel: card.channel, ts: card.ts } });
}

/** A write in prod needs both payments leads (examples/guardrails.yaml): Ben first, then Carla. */
async function approveByBoth(requestId: string, card: FakeMessage): Promise<void> {
  const since = h.fake.calls.length;
  await approve(SLACK.ben, requestId, card);
  await h.fake.waitFor((c) => c.seq >= since && c.method === 'chat.update' && JSON.stringify(c.args).includes('1 of 2 approvals'));
  await approve(SLACK.carla, requestId, card);
}

describe('/run through the approval flow, with SSM Run Command', () => {
  it('shows approvers the exact command, runs it once on approval and posts the output in the thread', async () => {
    await start();
    ssm
      .on(GetCommandInvocationCommand)
      .rejectsOnce(new InvocationDoesNotExist({ $metadata: {}, message: 'not yet' }))
      .resolvesOnce({ Status: 'InProgress' })
      .resolves({ Status: 'Success', ResponseCode: 0, StandardOutputContent: '● export-worker.service - Export worker\n   Active: active (running)\n', StandardErrorContent: '' });
    const { requestId, card, thread } = await submitRun(`${INSTANCE} payments-prod ${WHY} -- ${COMMAND_AS_SLACK_SENDS}`);

    // The card went to the approvers (payments-leads by DM), never to ana, and shows the command verbatim in a code block.
    expect(card.channel).not.toBe(await h.warden.slack.notifier.dmChannel(SLACK.ana));
    const shown = visibleText(card);
    expect(shown).toContain('asks to run a command in payments-prod');
    // Block Kit mrkdwn: Slack shows &amp; and &gt; as & and >.
    expect(shown).toContain(JSON.stringify('```\nsystemctl status export-worker &amp;&amp; echo "checked *now*" &gt; /tmp/last-check\n```').slice(1, -1));
    expect(shown).toContain(INSTANCE);
    const stored = await h.store.getRequest(requestId);
    expect(stored).toMatchObject({ state: 'pending_approval', run: { instanceId: INSTANCE, command: COMMAND, document: 'AWS-RunShellScript' } });
    expect(stored!.draft.statements).toEqual([
      { actions: ['ssm:SendCommand'], resources: [`arn:aws:ec2:eu-west-1:111111111111:instance/${INSTANCE}`, 'arn:aws:ssm:eu-west-1:111111111111:document/AWS-RunShellScript'] },
      { actions: ['ssm:GetCommandInvocation'], resources: ['*'] },
    ]);

    // Dave is not a payments lead, and ana is the requester: neither can approve, and nothing runs.
    for (const user of [SLACK.dave, SLACK.ana]) {
      const since = h.fake.calls.length;
      await approve(user, requestId, card);
      await h.fake.waitFor((c) => c.seq >= since && c.method === 'chat.postEphemeral' && /Only Ben Okafor, Carla Diaz|your own request/.test(JSON.stringify(c.args)));
    }
    expect((await h.store.getRequest(requestId))?.state).toBe('pending_approval');
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);

    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
    const since = h.fake.calls.length;
    await approveByBoth(requestId, card);
    const posted = await waitForThreadPost(h.fake, thread.channel, thread.ts, /ran on/, since);
    const output = `${String(posted.args['text'])}\n${JSON.stringify(posted.args['blocks'])}`;
    expect(output).toContain('Success');
    expect(output).toContain('exit code 0');
    expect(output).toContain('Active: active (running)');

    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(1);
    const sent = ssm.commandCalls(SendCommandCommand)[0]!.args[0].input;
    expect(sent.InstanceIds).toEqual([INSTANCE]);
    expect(sent.DocumentName).toBe('AWS-RunShellScript');
    expect(sent.Parameters?.['commands']).toEqual([COMMAND]);
    expect(sent.Comment).toBe(`warden ${requestId}`);
    expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input).toMatchObject({ RoleArn: 'arn:aws:iam::111111111111:role/warden-grant', RoleSessionName: `warden-${requestId}` });

    // One-shot: the request ends with the result, nothing stays active for the scheduler to revoke.
    const ended = await h.store.getRequest(requestId);
    expect(ended).toMatchObject({ state: 'expired', grant: { mode: 'aws', handle: { kind: 'ssm-run', commandId: 'cmd-1', status: 'Success', exitCode: '0' } } });
    const events = (await h.store.listAudit({ requestId })).map((e) => e.type);
    expect(events).toEqual(expect.arrayContaining(['request.drafted', 'request.submitted', 'request.approved', 'run.started', 'run.completed']));
    expect(events).not.toContain('grant.active');
    // Ben's card no longer offers Approve and says what happened.
    const updated = h.fake.message(card.channel, card.ts);
    expect(hasButton(updated, 'request.approve')).toBe(false);
    expect(visibleText(updated)).toMatch(/Ran at .*Success, exit code 0/);
  });

  it('a failing command shows its exit code and stderr', async () => {
    await start();
    ssm.on(GetCommandInvocationCommand).resolves({ Status: 'Failed', ResponseCode: 3, StandardOutputContent: '', StandardErrorContent: 'Unit export-worker.service could not be found.' });
    const { requestId, card, thread } = await submitRun(`${INSTANCE} payments-prod ${WHY} -- systemctl status export-worker`);
    const since = h.fake.calls.length;
    await approveByBoth(requestId, card);
    const posted = await waitForThreadPost(h.fake, thread.channel, thread.ts, /ran on/, since);
    const output = JSON.stringify(posted.args);
    expect(output).toContain('Failed');
    expect(output).toContain('exit code 3');
    expect(output).toContain('Errors (stderr)');
    expect(output).toContain('Unit export-worker.service could not be found.');
    expect(await h.store.getRequest(requestId)).toMatchObject({ state: 'expired', grant: { handle: { status: 'Failed', exitCode: '3' } } });
  });

  it('long output is cut to its end, with a note saying so', async () => {
    await start();
    const lines = Array.from({ length: 400 }, (_, i) => `line ${i + 1}`).join('\n');
    ssm.on(GetCommandInvocationCommand).resolves({ Status: 'Success', ResponseCode: 0, StandardOutputContent: lines });
    const { requestId, card, thread } = await submitRun(`${INSTANCE} payments-prod ${WHY} -- journalctl -u export-worker`);
    const since = h.fake.calls.length;
    await approveByBoth(requestId, card);
    const posted = await waitForThreadPost(h.fake, thread.channel, thread.ts, /ran on/, since);
    const output = JSON.stringify(posted.args);
    expect(output).toContain('line 400');
    expect(output).not.toContain('line 1\\n');
    expect(output).toMatch(/Truncated: the first [\d,]+ characters are not shown/);
  });

  it('a command that does not finish in time is cancelled, and the thread says so', async () => {
    h = await startWardenHarness({ commandRunner: awsRunner(5000), instanceNames: instanceNames() });
    ssm.on(GetCommandInvocationCommand).resolves({ Status: 'InProgress' });
    ssm.on(CancelCommandCommand).resolves({});
    const { requestId, card, thread } = await submitRun(`${INSTANCE} payments-prod ${WHY} -- sleep 3600`);
    const since = h.fake.calls.length;
    await approveByBoth(requestId, card);
    const posted = await waitForThreadPost(h.fake, thread.channel, thread.ts, /did not complete/, since);
    expect(JSON.stringify(posted.args)).toContain('did not finish within 5 s; Warden cancelled it');
    expect(ssm.commandCalls(CancelCommandCommand)[0]?.args[0].input).toEqual({ CommandId: 'cmd-1', InstanceIds: [INSTANCE] });
    expect(await h.store.getRequest(requestId)).toMatchObject({ state: 'failed', failure: expect.stringContaining('did not finish') });
    expect((await h.store.listAudit({ requestId })).map((e) => e.type)).toContain('run.failed');
  });

  it('refuses what cannot be one run, and explains the syntax', async () => {
    await start();
    let since = h.fake.calls.length;
    await h.sender.command('/run', 'help', { user: SLACK.ana });
    expect(await response(/Run one command on one instance/, since)).toContain('-- &lt;command&gt;');
    since = h.fake.calls.length;
    await h.sender.command('/run', `${INSTANCE} payments-prod ${WHY} df -h`, { user: SLACK.ana });
    expect(await response(/Put the command after/, since)).toContain('--');
    since = h.fake.calls.length;
    await h.sender.command('/run', `${INSTANCE} payments-prod -- df -h`, { user: SLACK.ana });
    await response(/Say why/, since);
    since = h.fake.calls.length;
    await h.sender.command('/run', `${INSTANCE} ${WHY} -- df -h`, { user: SLACK.ana });
    expect(await response(/Which account/, since)).toContain('payments-prod');
    expect((await h.store.listRequestsByRequester('ana', { limit: 5 })).items).toEqual([]);
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
  });
});

describe('instances by Name', () => {
  function runningNamed(...ids: string[]) {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: ids.map((InstanceId) => ({ InstanceId, State: { Name: 'running' } })) }] });
  }

  it('one running instance of that name: the request names both, and the filter asks for running ones only', async () => {
    await start();
    runningNamed(INSTANCE);
    const { requestId, card } = await submitRun(`web-1 payments-prod ${WHY} -- uptime`);
    expect(await h.store.getRequest(requestId)).toMatchObject({ run: { instanceId: INSTANCE, instanceName: 'web-1', command: 'uptime' } });
    expect(visibleText(card)).toContain('web-1');
    expect(ec2.commandCalls(DescribeInstancesCommand)[0]?.args[0].input).toEqual({
      Filters: [
        { Name: 'tag:Name', Values: ['web-1'] },
        { Name: 'instance-state-name', Values: ['running'] },
      ],
    });
    // Looked up in the target account, through its grant role.
    expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input.RoleArn).toBe('arn:aws:iam::111111111111:role/warden-grant');
  });

  it('no running instance of that name, or several: says so and drafts nothing', async () => {
    await start();
    runningNamed();
    let since = h.fake.calls.length;
    await h.sender.command('/run', `web-1 payments-prod ${WHY} -- uptime`, { user: SLACK.ana });
    await response(/No running instance named `web-1` in payments-prod \(eu-west-1\)/, since);

    ec2.reset();
    runningNamed(INSTANCE, 'i-0fedcba9876543210');
    since = h.fake.calls.length;
    await h.sender.command('/access', `ssh web-1 payments-prod ${WHY}`, { user: SLACK.ana });
    const answer = await response(/2 running instances are named `web-1`/, since);
    expect(answer).toContain(INSTANCE);
    expect(answer).toContain('i-0fedcba9876543210');
    expect(answer).toContain('instance id');
    expect((await h.store.listRequestsByRequester('ana', { limit: 5 })).items).toEqual([]);
  });

  it('/access ssh by name drafts session access on the instance the name resolves to', async () => {
    await start();
    runningNamed(INSTANCE);
    const since = h.fake.calls.length;
    await h.sender.command('/access', `ssh web-1 payments-prod ${WHY}`, { user: SLACK.ana });
    await response(/Drafted `r-/, since);
    const [request] = (await h.store.listRequestsByRequester('ana', { limit: 5 })).items;
    expect(request?.draft.statements.flatMap((s) => s.resources)).toContain(`arn:aws:ec2:eu-west-1:111111111111:instance/${INSTANCE}`);
  });
});

describe('/run in dry-run mode (the playground)', () => {
  it('cannot resolve names, but runs nothing and reports what it would run for an id', async () => {
    h = await startWardenHarness();
    let since = h.fake.calls.length;
    await h.sender.command('/run', `web-1 payments-prod ${WHY} -- uptime`, { user: SLACK.ana });
    expect(await response(/dry-run mode/, since)).toContain('instance id');

    const { requestId, card, thread } = await submitRun(`${INSTANCE} payments-prod ${WHY} -- uptime`);
    since = h.fake.calls.length;
    await approveByBoth(requestId, card);
    const posted = await waitForThreadPost(h.fake, thread.channel, thread.ts, /Dry run of/, since);
    expect(JSON.stringify(posted.args)).toContain('nothing was run');
    expect(await h.store.getRequest(requestId)).toMatchObject({ state: 'expired', grant: { mode: 'dry-run' } });
    const calls = (await h.store.listAudit({ requestId })).filter((e) => e.type === 'aws.call').map((e) => e.detail);
    expect(calls.find((c) => c['operation'] === 'SendCommand')).toMatchObject({
      mode: 'dry-run',
      input: { InstanceIds: [INSTANCE], DocumentName: 'AWS-RunShellScript', Parameters: { commands: ['uptime'] } },
    });
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
  });
});
