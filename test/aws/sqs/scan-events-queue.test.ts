import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
  type DescribeExecutionCommandOutput,
} from '@aws-sdk/client-sfn';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { s3OrLocalResults } from '../../../src/aws/sfn/s3-results.js';
import { executionArnFor, SfnScanRunner } from '../../../src/aws/sfn/sfn-scan-runner.js';
import { sqsScanEvents } from '../../../src/aws/sqs/scan-events-queue.js';
import { memoryLogger } from '../../../src/logger.js';
import type { RecordedCall } from '../../../src/playground/fake-slack/index.js';
import { parseScanEnv } from '../../../src/scans/config.js';
import { abortableSleep } from '../../../src/scans/poll.js';
import { SqliteScanStore } from '../../../src/scans/sqlite/sqlite-scan-store.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../../scans/support.js';
import { SLACK, startWardenHarness, type WardenHarness } from '../../support/warden-harness.js';

const STATE_MACHINE = 'arn:aws:states:eu-west-1:111111111111:stateMachine:warden-scan';
const OTHER_STATE_MACHINE = 'arn:aws:states:eu-west-1:111111111111:stateMachine:billing-export';
const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/111111111111/warden-scan-events';
const CHANNEL = 'C0GENERAL';
const FIXTURES = '../shared/fixtures/scans';
const sfn = mockClient(SFNClient);
const sqs = mockClient(SQSClient);

type EndStatus = 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** An execution as DescribeExecution shows it: running until the test ends it. */
interface FakeExecution {
  describes: number;
  ended?: { status: EndStatus; location?: string; error?: string; cause?: string };
  /** DescribeExecution fails (throttled, unreachable) while set. */
  unreachable?: boolean;
}

/**
 * The queue as SQS behaves for one consumer: ReceiveMessage long-polls (here: up to 50 ms) and hands
 * out what is waiting; a message received and not deleted stays in flight (SQS would deliver it again
 * after the visibility timeout, later than any test waits).
 */
class FakeQueue {
  private waiting: Message[] = [];
  private readonly inFlight = new Map<string, Message>();
  readonly deleted: string[] = [];
  private next = 0;

  send(body: string): string {
    const id = `m-${++this.next}`;
    this.waiting.push({ MessageId: id, Body: body });
    return id;
  }

  async receive(): Promise<{ Messages: Message[] }> {
    for (let waited = 0; this.waiting.length === 0 && waited < 50; waited += 5) await new Promise((r) => setTimeout(r, 5));
    const messages = this.waiting.splice(0, 10).map((m) => ({ ...m, ReceiptHandle: `rh-${m.MessageId}-${Math.random()}` }));
    for (const m of messages) this.inFlight.set(m.ReceiptHandle!, m);
    return { Messages: messages };
  }

  delete(receiptHandle: string): void {
    const message = this.inFlight.get(receiptHandle);
    if (!message) throw new Error(`unknown receipt handle ${receiptHandle}`);
    this.inFlight.delete(receiptHandle);
    this.deleted.push(message.MessageId!);
  }

  isInFlight(id: string): boolean {
    return [...this.inFlight.values()].some((m) => m.MessageId === id);
  }
}

let h: WardenHarness | undefined;
let tmp: ReturnType<typeof tempDir>;
let executions: Map<string, FakeExecution>;
let queue: FakeQueue;
let logger: ReturnType<typeof memoryLogger>;

/** The EventBridge event Step Functions sends, as the rule delivers it to the queue. */
function statusChange(scanId: string, status: EndStatus | 'RUNNING', stateMachineArn = STATE_MACHINE): string {
  const executionArn = executionArnFor(stateMachineArn, scanId);
  return JSON.stringify({
    version: '0',
    id: `ev-${scanId}-${status}`,
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: '111111111111',
    time: new Date().toISOString(),
    region: 'eu-west-1',
    resources: [executionArn],
    detail: { executionArn, stateMachineArn, name: scanId, status, startDate: Date.now() - 60_000, stopDate: Date.now(), input: '{}', output: null },
  });
}

function writeResults(name: string): string {
  const root = join(tmp.path, name);
  mkdirSync(join(root, 'prowler'), { recursive: true });
  cpSync(`${FIXTURES}/prowler/example_output_aws.ocsf.json`, join(root, 'prowler', 'output.ocsf.json'));
  cpSync(`${FIXTURES}/custodian`, join(root, 'custodian'), { recursive: true });
  mkdirSync(join(root, 'cloudsploit'), { recursive: true });
  cpSync(`${FIXTURES}/cloudsploit/generated_cloudsploit_output.json`, join(root, 'cloudsploit', 'results.json'));
  return root;
}

/** Warden with scans and the queue consumer; `pollMs` is the usual first wait between status checks. */
async function start(pollMs: number): Promise<WardenHarness> {
  h = await startWardenHarness({
    scans: (store) => {
      if (!(store instanceof SqliteStore)) throw new Error('these tests use the SQLite store');
      const config = parseScanEnv({ WARDEN_SCAN_STATE_MACHINE_ARN: STATE_MACHINE, WARDEN_SCAN_LOCAL_ACCOUNT_ID: '111111111111' });
      return {
        store: new SqliteScanStore(store.connection),
        runner: new SfnScanRunner({ stateMachineArn: STATE_MACHINE, client: new SFNClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }) }),
        results: s3OrLocalResults(null),
        config: { ...config, poll: { initialMs: pollMs, maxMs: pollMs * 2, timeoutMs: 60 * 60_000 } },
        ids: { scanId: () => `s-ev${executions.size + 1}` },
        poll: { sleep: abortableSleep },
      };
    },
    scanEvents: sqsScanEvents({
      config: { queueUrl: QUEUE_URL, stateMachineArn: STATE_MACHINE, region: 'eu-west-1' },
      logger,
      client: new SQSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }),
    }),
  });
  return h;
}

beforeEach(() => {
  tmp = tempDir();
  executions = new Map();
  queue = new FakeQueue();
  logger = memoryLogger();
  sfn.reset();
  sqs.reset();
  sfn.on(StartExecutionCommand).callsFake((input: { name: string }) => {
    executions.set(executionArnFor(STATE_MACHINE, input.name), { describes: 0 });
    return { executionArn: executionArnFor(STATE_MACHINE, input.name), startDate: new Date() };
  });
  sfn.on(DescribeExecutionCommand).callsFake((input: { executionArn: string }): Partial<DescribeExecutionCommandOutput> => {
    const execution = executions.get(input.executionArn);
    if (!execution) throw new Error(`no execution ${input.executionArn}`);
    if (execution.unreachable) throw new Error('Rate exceeded');
    execution.describes += 1;
    const base = { executionArn: input.executionArn, stateMachineArn: STATE_MACHINE, startDate: new Date(), input: JSON.stringify({ tools: ['prowler', 'custodian', 'cloudsploit'] }) };
    const ended = execution.ended;
    if (!ended) return { ...base, status: 'RUNNING' };
    if (ended.status === 'SUCCEEDED') return { ...base, status: 'SUCCEEDED', output: JSON.stringify({ location: ended.location }) };
    return { ...base, status: ended.status, ...(ended.error ? { error: ended.error } : {}), ...(ended.cause ? { cause: ended.cause } : {}) };
  });
  sfn.on(GetExecutionHistoryCommand).resolves({ events: [] });
  sqs.on(ReceiveMessageCommand).callsFake(() => queue.receive());
  sqs.on(DeleteMessageCommand).callsFake((input: { ReceiptHandle: string }) => {
    queue.delete(input.ReceiptHandle);
    return {};
  });
});

afterEach(async () => {
  await h?.close();
  h = undefined;
  tmp.dispose();
  sfn.reset();
  sqs.reset();
});

/** Starts a scan of sandbox and waits until Warden watches its running execution. */
async function startScan(harness: WardenHarness, scanId: string): Promise<RecordedCall> {
  const since = harness.fake.calls.length;
  await harness.sender.command('/scan', 'sandbox', { user: SLACK.dave, channel: CHANNEL });
  const post = await harness.fake.waitFor((c) => c.seq >= since && c.method === 'chat.postMessage' && c.args['channel'] === CHANNEL && /started by/.test(String(c.args['text'])), {
    description: 'the scan progress message',
  });
  await vi.waitFor(() => expect(executions.get(executionArnFor(STATE_MACHINE, scanId))?.describes).toBeGreaterThan(0));
  return post;
}

function updatesMatching(harness: WardenHarness, post: RecordedCall, pattern: RegExp): RecordedCall[] {
  return harness.fake.callsTo('chat.update').filter((c) => c.args['ts'] === post.response['ts'] && pattern.test(String(c.args['text'])));
}

const SUMMARY = /^Scan of sandbox: \d+ failing of \d+ findings/;

async function handled(id: string): Promise<void> {
  await vi.waitFor(() => expect(queue.deleted).toContain(id), { timeout: 5000 });
}

describe('scan completion events from the SQS queue', () => {
  it('a SUCCEEDED event finishes the tracked scan at once, the summary is posted once, and the message is deleted', async () => {
    // Polls minutes apart: only the event can finish this scan while the test waits.
    const harness = await start(60_000);
    const post = await startScan(harness, 's-ev1');
    executions.get(executionArnFor(STATE_MACHINE, 's-ev1'))!.ended = { status: 'SUCCEEDED', location: writeResults('run1') };

    const id = queue.send(statusChange('s-ev1', 'SUCCEEDED'));
    await harness.fake.waitFor((c) => c.seq > post.seq && c.method === 'chat.update' && c.args['ts'] === post.response['ts'] && SUMMARY.test(String(c.args['text'])), {
      description: 'the summary',
    });
    await handled(id);
    expect(updatesMatching(harness, post, SUMMARY)).toHaveLength(1);
    expect(harness.fake.message(CHANNEL, String(post.response['ts']))!.text).toMatch(/^Scan of sandbox: 5 failing of 10 findings/);
    expect(logger.lines).toContainEqual(expect.objectContaining({ message: 'scan finished by its completion event', fields: expect.objectContaining({ scanId: 's-ev1', state: 'succeeded' }) }));
    // The queue is long-polled, and nothing was left in flight.
    expect(sqs.commandCalls(ReceiveMessageCommand)[0]!.args[0].input).toMatchObject({ QueueUrl: QUEUE_URL, WaitTimeSeconds: 20 });
    expect(queue.isInFlight(id)).toBe(false);
  });

  it('a duplicate event posts nothing more', async () => {
    const harness = await start(60_000);
    const post = await startScan(harness, 's-ev1');
    executions.get(executionArnFor(STATE_MACHINE, 's-ev1'))!.ended = { status: 'SUCCEEDED', location: writeResults('run1') };
    await handled(queue.send(statusChange('s-ev1', 'SUCCEEDED')));
    await vi.waitFor(() => expect(updatesMatching(harness, post, SUMMARY)).toHaveLength(1));
    const callsBefore = harness.fake.calls.length;

    // EventBridge delivers at least once: the same event again, and once more at the same time as a third copy.
    const again = [queue.send(statusChange('s-ev1', 'SUCCEEDED')), queue.send(statusChange('s-ev1', 'SUCCEEDED'))];
    for (const id of again) await handled(id);

    expect(harness.fake.calls.slice(callsBefore).filter((c) => c.method.startsWith('chat.'))).toEqual([]);
    expect(updatesMatching(harness, post, SUMMARY)).toHaveLength(1);
    expect(logger.lines.filter((l) => l.message === 'scan event dropped: the scan has already finished')).toHaveLength(2);
  });

  it.each([
    { status: 'FAILED' as const, error: 'States.TaskFailed', cause: 'Prowler exited with code 3', shown: /Scan of sandbox failed: .*ended failed \(States\.TaskFailed: Prowler exited with code 3\)/ },
    { status: 'TIMED_OUT' as const, shown: /Scan of sandbox failed: .*ended timed out/ },
    { status: 'ABORTED' as const, shown: /Scan of sandbox failed: .*ended aborted/ },
  ])('a $status event reports the failure in the scan message', async ({ status, error, cause, shown }) => {
    const harness = await start(60_000);
    const post = await startScan(harness, 's-ev1');
    executions.get(executionArnFor(STATE_MACHINE, 's-ev1'))!.ended = { status, ...(error ? { error } : {}), ...(cause ? { cause } : {}) };

    await handled(queue.send(statusChange('s-ev1', status)));
    await vi.waitFor(() => expect(harness.fake.message(CHANNEL, String(post.response['ts']))!.text).toMatch(shown));
    expect(updatesMatching(harness, post, SUMMARY)).toHaveLength(0);
    // Failed, so the account can be scanned again.
    const second = await startScan(harness, 's-ev2');
    expect(second.seq).toBeGreaterThan(post.seq);
  });

  it('drops, with a log line, events of another state machine, unreadable bodies and executions Warden does not run', async () => {
    const harness = await start(60_000);
    const post = await startScan(harness, 's-ev1');
    // Even ended: an event that is not this state machine's must not finish the scan of the same name.
    executions.get(executionArnFor(STATE_MACHINE, 's-ev1'))!.ended = { status: 'SUCCEEDED', location: writeResults('run1') };
    const ids = {
      other: queue.send(statusChange('s-ev1', 'SUCCEEDED', OTHER_STATE_MACHINE)),
      notJson: queue.send('{"detail-type": "Step Functions Execution Status Change", '),
      wrongShape: queue.send(JSON.stringify({ source: 'aws.states', 'detail-type': 'Step Functions Execution Status Change', detail: { status: 'SUCCEEDED' } })),
      notOurs: queue.send(statusChange('s-manual-run', 'SUCCEEDED')),
      running: queue.send(statusChange('s-ev1', 'RUNNING')),
    };
    for (const id of Object.values(ids)) await handled(id);

    const logged = (id: string) => logger.lines.find((l) => l.fields?.['messageId'] === id);
    expect(logged(ids.other)).toMatchObject({ message: 'scan event dropped: another state machine', fields: { stateMachineArn: OTHER_STATE_MACHINE } });
    expect(logged(ids.notJson)).toMatchObject({ level: 'error', message: 'scan event dropped: unreadable', fields: { problem: 'the body is not JSON' } });
    expect(logged(ids.wrongShape)).toMatchObject({ level: 'error', message: 'scan event dropped: unreadable' });
    expect(String(logged(ids.wrongShape)!.fields!['problem'])).toMatch(/detail\.executionArn/);
    expect(logged(ids.notOurs)).toMatchObject({ message: 'scan event dropped: no running scan has this execution' });
    // None of them finished the scan: it is still running, its message untouched by a summary.
    expect(updatesMatching(harness, post, SUMMARY)).toHaveLength(0);
    const scan = await new SqliteScanStore((harness.store as SqliteStore).connection).getScan('s-ev1');
    expect(scan?.state).toBe('running');
  });

  it('keeps a message it could not handle, so the queue delivers it again (and finally dead-letters it)', async () => {
    const harness = await start(60_000);
    const post = await startScan(harness, 's-ev1');
    const execution = executions.get(executionArnFor(STATE_MACHINE, 's-ev1'))!;
    execution.ended = { status: 'SUCCEEDED', location: writeResults('run1') };
    execution.unreachable = true;

    const id = queue.send(statusChange('s-ev1', 'SUCCEEDED'));
    await vi.waitFor(() => expect(logger.lines.some((l) => l.message === 'scan event not handled; it will be delivered again' && l.fields?.['messageId'] === id)).toBe(true));
    expect(queue.isInFlight(id)).toBe(true);
    expect(queue.deleted).not.toContain(id);

    // The redelivery, once Step Functions answers again, finishes the scan.
    execution.unreachable = false;
    const redelivered = queue.send(statusChange('s-ev1', 'SUCCEEDED'));
    await handled(redelivered);
    await vi.waitFor(() => expect(updatesMatching(harness, post, SUMMARY)).toHaveLength(1));
  });

  it('polling still finishes a scan when no event arrives', async () => {
    // Events on: polling is the (slower) fallback, here a few milliseconds apart.
    const harness = await start(5);
    const post = await startScan(harness, 's-ev1');
    executions.get(executionArnFor(STATE_MACHINE, 's-ev1'))!.ended = { status: 'SUCCEEDED', location: writeResults('run1') };

    await harness.fake.waitFor((c) => c.seq > post.seq && c.method === 'chat.update' && c.args['ts'] === post.response['ts'] && SUMMARY.test(String(c.args['text'])), {
      description: 'the summary, from polling',
    });
    expect(updatesMatching(harness, post, SUMMARY)).toHaveLength(1);
    expect(logger.lines.some((l) => l.message === 'scan finished by its completion event')).toBe(false);
    expect(sqs.commandCalls(ReceiveMessageCommand).length).toBeGreaterThan(0);
  });

  it('stops receiving when Warden stops', async () => {
    const harness = await start(60_000);
    await vi.waitFor(() => expect(sqs.commandCalls(ReceiveMessageCommand).length).toBeGreaterThan(0));
    await harness.stopWarden();
    const receives = sqs.commandCalls(ReceiveMessageCommand).length;
    await new Promise((r) => setTimeout(r, 150));
    expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(receives);
  });
});
