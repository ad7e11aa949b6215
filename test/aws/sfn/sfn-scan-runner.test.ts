import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { executionArnFor, SfnScanRunner } from '../../../src/aws/sfn/sfn-scan-runner.js';
import { toolProgress } from '../../../src/aws/sfn/tool-progress.js';
import { pollExecution } from '../../../src/scans/poll.js';
import type { ScanExecutionInput } from '../../../src/scans/runner.js';
import { ManualClock } from '../../support/manual-clock.js';

const STATE_MACHINE = 'arn:aws:states:eu-west-1:111111111111:stateMachine:warden-scan';
const EXECUTION = executionArnFor(STATE_MACHINE, 's-abc');
const sfn = mockClient(SFNClient);

const input: ScanExecutionInput = {
  scanId: 's-abc',
  account: { id: '222222222222', name: 'sandbox' },
  roleArn: 'arn:aws:iam::222222222222:role/warden-scan',
  regions: ['eu-west-1'],
  tools: ['prowler', 'custodian'],
  requestedBy: 'dave',
  channel: 'C1',
  message: { channel: 'C1', ts: '1.2' },
};

function entered(name: string): HistoryEvent {
  return { timestamp: new Date(), type: 'TaskStateEntered', id: 1, stateEnteredEventDetails: { name } };
}
function exited(name: string): HistoryEvent {
  return { timestamp: new Date(), type: 'TaskStateExited', id: 2, stateExitedEventDetails: { name } };
}

beforeEach(() => sfn.reset());
afterEach(() => sfn.reset());

describe('SfnScanRunner', () => {
  it('starts an execution named by the scan id, with the scan as input', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION, startDate: new Date() });
    const runner = new SfnScanRunner({ stateMachineArn: STATE_MACHINE, client: new SFNClient({ region: 'eu-west-1' }) });
    expect(await runner.start(input)).toEqual({ executionArn: EXECUTION });
    const call = sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input;
    expect(call).toMatchObject({ stateMachineArn: STATE_MACHINE, name: 's-abc' });
    expect(JSON.parse(call.input!)).toEqual(input);
  });

  it('a retried start of the same scan finds the existing execution', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    const runner = new SfnScanRunner({ stateMachineArn: STATE_MACHINE, client: new SFNClient({ region: 'eu-west-1' }) });
    expect(await runner.start(input)).toEqual({ executionArn: EXECUTION });
  });

  it('reads progress from the history and the results location from the output', async () => {
    sfn
      .on(DescribeExecutionCommand)
      .resolvesOnce({ executionArn: EXECUTION, stateMachineArn: STATE_MACHINE, status: 'RUNNING', startDate: new Date(), input: JSON.stringify(input) })
      .resolves({
        executionArn: EXECUTION,
        stateMachineArn: STATE_MACHINE,
        status: 'SUCCEEDED',
        startDate: new Date(),
        input: JSON.stringify(input),
        output: JSON.stringify({ location: 's3://results/s-abc', tools: { custodian: { status: 'failed', error: 'boom' } } }),
      });
    sfn
      .on(GetExecutionHistoryCommand)
      .resolvesOnce({ events: [entered('Prowler'), exited('Prowler'), entered('RunCustodian')], nextToken: 'next' })
      .resolves({ events: [] });
    const runner = new SfnScanRunner({ stateMachineArn: STATE_MACHINE, client: new SFNClient({ region: 'eu-west-1' }) });
    expect(await runner.status(EXECUTION)).toEqual({ state: 'running', tools: { prowler: 'succeeded', custodian: 'running' } });
    expect(sfn.commandCalls(GetExecutionHistoryCommand)[1]!.args[0].input.nextToken).toBe('next');
    expect(await runner.status(EXECUTION)).toEqual({
      state: 'succeeded',
      tools: { prowler: 'pending', custodian: 'failed' },
      output: { location: 's3://results/s-abc', tools: { custodian: { status: 'failed', error: 'boom' } } },
    });
  });

  it('a failed execution, and a success without a results location, are failures with a reason', async () => {
    sfn.on(GetExecutionHistoryCommand).resolves({ events: [] });
    sfn
      .on(DescribeExecutionCommand)
      .resolvesOnce({ executionArn: EXECUTION, stateMachineArn: STATE_MACHINE, status: 'FAILED', startDate: new Date(), error: 'States.TaskFailed', cause: 'prowler exited 1' })
      .resolves({ executionArn: EXECUTION, stateMachineArn: STATE_MACHINE, status: 'SUCCEEDED', startDate: new Date(), output: '{"where":"?"}' });
    const runner = new SfnScanRunner({ stateMachineArn: STATE_MACHINE, client: new SFNClient({ region: 'eu-west-1' }) });
    expect(await runner.status(EXECUTION)).toMatchObject({ state: 'failed', error: expect.stringMatching(/ended failed \(States\.TaskFailed: prowler exited 1\)/) });
    expect(await runner.status(EXECUTION)).toMatchObject({ state: 'failed', error: expect.stringMatching(/does not say where the results are/) });
  });

  it('tool progress: entered is running, exited is done, a "failed" state marks the tool failed', () => {
    expect(toolProgress([entered('Prowler'), entered('CloudSploit scan'), exited('CloudSploit scan'), entered('ProwlerFailed')], ['prowler', 'cloudsploit', 'custodian'])).toEqual({
      prowler: 'failed',
      cloudsploit: 'succeeded',
      custodian: 'pending',
    });
  });
});

describe('pollExecution', () => {
  it('backs off while nothing changes, resets on progress, and doubles after errors', async () => {
    const statuses = [
      { state: 'running' as const, tools: { prowler: 'running' as const } },
      { state: 'running' as const, tools: { prowler: 'running' as const } },
      { state: 'running' as const, tools: { prowler: 'running' as const } },
      new Error('ThrottlingException'),
      { state: 'running' as const, tools: { prowler: 'succeeded' as const } },
      { state: 'succeeded' as const, tools: { prowler: 'succeeded' as const }, output: { location: '/tmp/x' } },
    ];
    const runner = {
      start: async () => ({ executionArn: EXECUTION }),
      status: async () => {
        const next = statuses.shift()!;
        if (next instanceof Error) throw next;
        return next;
      },
    };
    const waits: number[] = [];
    const progress: string[] = [];
    const errors: number[] = [];
    const result = await pollExecution(
      runner,
      EXECUTION,
      { initialMs: 1000, maxMs: 3000, factor: 2, timeoutMs: 3_600_000 },
      { clock: new ManualClock(), sleep: async (ms) => void waits.push(ms), random: () => 0.5, onError: (_e, n) => errors.push(n) },
      new AbortController().signal,
      async (s) => void progress.push(JSON.stringify(s.tools)),
    );
    expect(result).toMatchObject({ state: 'succeeded', output: { location: '/tmp/x' } });
    expect(waits).toEqual([1000, 2000, 3000, 3000, 1000]);
    expect(progress).toEqual(['{"prowler":"running"}', '{"prowler":"succeeded"}']);
    expect(errors).toEqual([1]);
  });

  it('stops when aborted and when the deadline passes', async () => {
    const clock = new ManualClock();
    const runner = { start: async () => ({ executionArn: EXECUTION }), status: async () => ({ state: 'running' as const, tools: {} }) };
    const controller = new AbortController();
    const aborted = pollExecution(runner, EXECUTION, { initialMs: 10, maxMs: 10, timeoutMs: 3_600_000 }, { clock, sleep: async () => controller.abort() }, controller.signal, async () => {});
    expect(await aborted).toEqual({ state: 'aborted' });
    const timedOut = pollExecution(runner, EXECUTION, { initialMs: 10, maxMs: 10, timeoutMs: 60_000 }, { clock, sleep: async () => clock.advanceMinutes(2) }, new AbortController().signal, async () => {});
    expect(await timedOut).toEqual({ state: 'timed_out' });
  });

  it('gives up after too many failed calls in a row', async () => {
    const runner = { start: async () => ({ executionArn: EXECUTION }), status: async () => Promise.reject(new Error('AccessDenied')) };
    await expect(
      pollExecution(runner, EXECUTION, { initialMs: 1, maxMs: 1, timeoutMs: 60_000, maxErrors: 3 }, { clock: new ManualClock(), sleep: async () => {} }, new AbortController().signal, async () => {}),
    ).rejects.toThrow('AccessDenied');
  });
});
