import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
  type DescribeExecutionCommandOutput,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { s3OrLocalResults } from '../../../src/aws/sfn/s3-results.js';
import { executionArnFor, SfnScanRunner } from '../../../src/aws/sfn/sfn-scan-runner.js';
import type { RecordedCall } from '../../../src/playground/fake-slack/index.js';
import { parseScanEnv } from '../../../src/scans/config.js';
import { abortableSleep } from '../../../src/scans/poll.js';
import type { ScanPorts } from '../../../src/scans/ports.js';
import { SqliteScanStore } from '../../../src/scans/sqlite/sqlite-scan-store.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../../src/store/store.js';
import { tempDir } from '../../scans/support.js';
import { buttonValue, SLACK, startWardenHarness, visibleText, type WardenHarness } from '../../support/warden-harness.js';

const STATE_MACHINE = 'arn:aws:states:eu-west-1:111111111111:stateMachine:warden-scan';
const CHANNEL = 'C0GENERAL';
const FIXTURES = '../shared/fixtures/scans';
const sfn = mockClient(SFNClient);

let h: WardenHarness;
let tmp: ReturnType<typeof tempDir>;
let scanNumber: number;

/** Where each execution's results are, and what its history shows while it runs. */
interface FakeExecution {
  polls: number;
  /** Describe calls that answer RUNNING before SUCCEEDED; Infinity keeps it running. */
  runningFor: number;
  location: string;
}
let executions: Map<string, FakeExecution>;

function event(type: 'entered' | 'exited', name: string, id: number): HistoryEvent {
  return type === 'entered'
    ? { id, timestamp: new Date(), type: 'TaskStateEntered', stateEnteredEventDetails: { name } }
    : { id, timestamp: new Date(), type: 'TaskStateExited', stateExitedEventDetails: { name } };
}

/** The history grows by one event a poll: Prowler runs and ends, then Custodian, then CloudSploit. */
function historyAt(poll: number): HistoryEvent[] {
  const steps: HistoryEvent[] = [
    event('entered', 'Prowler', 1),
    event('exited', 'Prowler', 2),
    event('entered', 'Custodian', 3),
    event('exited', 'Custodian', 4),
    event('entered', 'CloudSploit', 5),
    event('exited', 'CloudSploit', 6),
  ];
  return steps.slice(0, Math.min(steps.length, poll));
}

/** Results as the state machine would leave them: one folder per tool. */
function writeResults(name: string, options: { dropRootMfa?: boolean; extraBucket?: boolean } = {}): string {
  const root = join(tmp.path, name);
  mkdirSync(join(root, 'prowler'), { recursive: true });
  cpSync(`${FIXTURES}/prowler/example_output_aws.ocsf.json`, join(root, 'prowler', 'output.ocsf.json'));
  cpSync(`${FIXTURES}/custodian`, join(root, 'custodian'), { recursive: true });
  type Result = { plugin: string; resource: string; status: string };
  let cloudsploit = JSON.parse(readFileSync(`${FIXTURES}/cloudsploit/generated_cloudsploit_output.json`, 'utf8')) as Result[];
  if (options.dropRootMfa) cloudsploit = cloudsploit.filter((r) => r.plugin !== 'rootMfaEnabled');
  if (options.extraBucket) cloudsploit.push({ ...cloudsploit.find((r) => r.plugin === 'bucketVersioning')!, resource: 'arn:aws:s3:::new-bucket', status: 'FAIL' });
  mkdirSync(join(root, 'cloudsploit'), { recursive: true });
  writeFileSync(join(root, 'cloudsploit', 'results.json'), JSON.stringify(cloudsploit, null, 2));
  return root;
}

function ports(store: Store): ScanPorts {
  if (!(store instanceof SqliteStore)) throw new Error('the scan flow tests use the SQLite store');
  const config = parseScanEnv({ WARDEN_SCAN_STATE_MACHINE_ARN: STATE_MACHINE, WARDEN_SCAN_LOCAL_ACCOUNT_ID: '111111111111', WARDEN_SCAN_IMPORT_DIR: tmp.path });
  return {
    store: new SqliteScanStore(store.connection),
    runner: new SfnScanRunner({ stateMachineArn: STATE_MACHINE, client: new SFNClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }) }),
    results: s3OrLocalResults(null),
    // Polls a few milliseconds apart: the test waits on real time, briefly.
    config: { ...config, poll: { initialMs: 5, maxMs: 20, timeoutMs: 60_000 } },
    ids: { scanId: () => `s-test${++scanNumber}` },
    poll: { sleep: abortableSleep },
  };
}

beforeEach(async () => {
  tmp = tempDir();
  scanNumber = 0;
  executions = new Map();
  sfn.reset();
  sfn.on(StartExecutionCommand).callsFake((input: { name: string }) => ({ executionArn: executionArnFor(STATE_MACHINE, input.name), startDate: new Date() }));
  sfn.on(DescribeExecutionCommand).callsFake((input: { executionArn: string }): Partial<DescribeExecutionCommandOutput> => {
    const execution = executions.get(input.executionArn);
    if (!execution) throw new Error(`no execution ${input.executionArn}`);
    execution.polls += 1;
    const base = { executionArn: input.executionArn, stateMachineArn: STATE_MACHINE, startDate: new Date(), input: JSON.stringify({ tools: ['prowler', 'custodian', 'cloudsploit'] }) };
    if (execution.polls <= execution.runningFor) return { ...base, status: 'RUNNING' };
    return { ...base, status: 'SUCCEEDED', output: JSON.stringify({ location: execution.location }) };
  });
  sfn.on(GetExecutionHistoryCommand).callsFake((input: { executionArn: string }) => ({ events: historyAt(executions.get(input.executionArn)?.polls ?? 0) }));
  h = await startWardenHarness({ scans: ports });
});

afterEach(async () => {
  await h.close();
  tmp.dispose();
  sfn.reset();
});

function expectExecution(scanId: string, options: Partial<FakeExecution> & { location: string }): void {
  executions.set(executionArnFor(STATE_MACHINE, scanId), { polls: 0, runningFor: 6, ...options });
}

/** The ephemeral answer to a slash command, as the caller sees it. */
async function answer(since: number, pattern: RegExp): Promise<string> {
  const call = await h.fake.waitFor((c) => c.seq >= since && c.method === 'response_url' && pattern.test(JSON.stringify(c.args)), { description: `a /scan answer matching ${pattern}` });
  return JSON.stringify(call.args);
}

function updatesOf(post: RecordedCall): RecordedCall[] {
  return h.fake.callsTo('chat.update').filter((c) => c.args['ts'] === post.response['ts'] && c.args['channel'] === post.response['channel']);
}

async function runScan(user: string, text: string): Promise<RecordedCall> {
  const since = h.fake.calls.length;
  await h.sender.command('/scan', text, { user, channel: CHANNEL });
  const post = await h.fake.waitFor((c) => c.seq >= since && c.method === 'chat.postMessage' && c.args['channel'] === CHANNEL && /started by/.test(String(c.args['text'])), {
    description: 'the scan progress message',
  });
  // Finished: the message shows the summary (or the failure).
  await h.fake.waitFor((c) => c.seq > post.seq && c.method === 'chat.update' && c.args['ts'] === post.response['ts'] && /failing of \d+ findings|failed/.test(String(c.args['text'])), {
    description: 'the scan summary',
    timeoutMs: 10_000,
  });
  return post;
}

describe('/scan through Step Functions', () => {
  it('posts one message that follows each tool, then becomes the summary', async () => {
    expectExecution('s-test1', { location: writeResults('run1') });
    const post = await runScan(SLACK.dave, 'sandbox');

    expect(String(post.args['text'])).toMatch(/Scan of sandbox started by Dave Kim: Prowler ⏳ {2}Custodian ⏳ {2}CloudSploit ⏳/);
    const start = sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input;
    expect(start.name).toBe('s-test1');
    expect(JSON.parse(start.input!)).toMatchObject({
      scanId: 's-test1',
      account: { id: '222222222222', name: 'sandbox' },
      roleArn: 'arn:aws:iam::222222222222:role/warden-scan',
      tools: ['prowler', 'custodian', 'cloudsploit'],
      requestedBy: 'dave',
      channel: CHANNEL,
      message: { channel: CHANNEL, ts: post.response['ts'] },
    });

    // The same message, updated: tools finishing one after the other, then the summary.
    const texts = updatesOf(post).map((c) => String(c.args['text']));
    expect(texts.some((t) => /Prowler ✅ {2}Custodian 🔄/.test(t))).toBe(true);
    expect(texts.some((t) => /Prowler ✅ {2}Custodian ✅ {2}CloudSploit ✅/.test(t))).toBe(true);
    const final = h.fake.message(CHANNEL, String(post.response['ts']))!;
    const shown = visibleText(final);
    expect(final.text).toMatch(/^Scan of sandbox: 5 failing of 10 findings/);
    expect(shown).toContain('Well-Architected pillars');
    expect(shown).toMatch(/Security +█+░* +\d+%/);
    expect(shown).toContain('`SEC01-BP02` Secure account root user and properties');
    expect(shown).toContain('first scan of this account');
    expect(buttonValue(final, 'scan.details')).toBe('s-test1:0');
    // Only the one message was posted in the channel.
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args['channel'] === CHANNEL)).toHaveLength(1);
  });

  it('refuses someone the access rules do not allow to scan the account', async () => {
    const since = h.fake.calls.length;
    await h.sender.command('/scan', 'sandbox', { user: SLACK.ana, channel: CHANNEL });
    expect(await answer(since, /Only the approvers/)).toMatch(/Only the approvers of sandbox and the members of `platform`/);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    // An approver of the account may (Ben approves sandbox through payments-leads).
    expectExecution('s-test1', { location: writeResults('run1') });
    await runScan(SLACK.ben, 'sandbox');
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
  });

  it('refuses a second scan of the account while one runs, with a link to it; /scan status lists it', async () => {
    expectExecution('s-test1', { location: writeResults('run1'), runningFor: Infinity });
    let since = h.fake.calls.length;
    await h.sender.command('/scan', 'sandbox --tools prowler,cloudsploit --region eu-west-1', { user: SLACK.dave, channel: CHANNEL });
    const post = await h.fake.waitFor((c) => c.seq >= since && c.method === 'chat.postMessage' && c.args['channel'] === CHANNEL);
    await vi.waitFor(() => expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1));
    expect(JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input.input!)).toMatchObject({ tools: ['prowler', 'cloudsploit'], regions: ['eu-west-1'] });

    since = h.fake.calls.length;
    await h.sender.command('/scan', 'sandbox', { user: SLACK.ben, channel: CHANNEL });
    const refused = await answer(since, /already running/);
    expect(refused).toContain(`slack.com/archives/${CHANNEL}/p${String(post.response['ts']).replace('.', '')}`);
    expect(refused).toContain('Dave Kim');
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);

    since = h.fake.calls.length;
    await h.sender.command('/scan', 'status', { user: SLACK.ben, channel: CHANNEL });
    expect(await answer(since, /Scans running/)).toMatch(/sandbox.*running.*Dave Kim/);
  });

  it('a scan that fails says so in its message, and the account can be scanned again', async () => {
    expectExecution('s-test1', { location: join(tmp.path, 'nothing-here'), runningFor: 1 });
    const post = await runScan(SLACK.dave, 'sandbox');
    expect(h.fake.message(CHANNEL, String(post.response['ts']))!.text).toMatch(/Scan of sandbox failed: .*no results were found/);
    // One tool without results: the others are summed up, and the missing one is said to have failed.
    const partial = writeResults('run2');
    rmSync(join(partial, 'custodian'), { recursive: true });
    expectExecution('s-test2', { location: partial });
    const second = await runScan(SLACK.dave, 'sandbox');
    const shown = visibleText(h.fake.message(CHANNEL, String(second.response['ts'])));
    expect(shown).toMatch(/4 failing of 9 findings/);
    expect(shown).toContain('Custodian ❌');
    expect(shown).toMatch(/custodian: no results under/);
  });

  it('a restarted Warden picks the running scan up again and finishes it', async () => {
    expectExecution('s-test1', { location: writeResults('run1'), runningFor: Infinity });
    const since = h.fake.calls.length;
    await h.sender.command('/scan', 'sandbox', { user: SLACK.dave, channel: CHANNEL });
    const post = await h.fake.waitFor((c) => c.seq >= since && c.method === 'chat.postMessage' && c.args['channel'] === CHANNEL);
    await vi.waitFor(() => expect(executions.get(executionArnFor(STATE_MACHINE, 's-test1'))!.polls).toBeGreaterThan(2));
    await h.stopWarden();
    executions.get(executionArnFor(STATE_MACHINE, 's-test1'))!.runningFor = 0;
    await h.startWarden();
    await h.fake.waitFor((c) => c.seq > post.seq && c.method === 'chat.update' && c.args['ts'] === post.response['ts'] && /failing of 10 findings/.test(String(c.args['text'])), {
      description: 'the summary after the restart',
    });
  });

  it('a scan left starting by a stopped Warden is started again (once) at the next start', async () => {
    expect(h.store).toBeInstanceOf(SqliteStore);
    const scans = new SqliteScanStore((h.store as SqliteStore).connection);
    const longAgo = new Date(h.clock.now().getTime() - 60 * 60_000).toISOString();
    await scans.createScan({
      id: 's-left',
      accountId: '222222222222',
      accountName: 'sandbox',
      source: 'stepfunctions',
      state: 'starting',
      version: 1,
      tools: ['prowler', 'custodian', 'cloudsploit'],
      regions: [],
      toolStates: {},
      requestedBy: 'dave',
      channel: CHANNEL,
      message: null,
      executionArn: null,
      resultsLocation: null,
      createdAt: longAgo,
      updatedAt: longAgo,
      finishedAt: null,
      error: null,
      summary: null,
    });
    expectExecution('s-left', { location: writeResults('left'), runningFor: 1 });
    const since = h.fake.calls.length;
    await h.restart();
    const post = await h.fake.waitFor((c) => c.seq >= since && c.method === 'chat.postMessage' && c.args['channel'] === CHANNEL);
    await h.fake.waitFor((c) => c.seq > post.seq && c.method === 'chat.update' && /failing of 10 findings/.test(String(c.args['text'])));
    expect(sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input.name)).toEqual(['s-left']);
    expect(await scans.getScan('s-left')).toMatchObject({ state: 'succeeded' });
  });

  it('shows the delta against the previous scan of the same account', async () => {
    expectExecution('s-test1', { location: writeResults('run1') });
    await runScan(SLACK.dave, 'sandbox');
    expectExecution('s-test2', { location: writeResults('run2', { dropRootMfa: true, extraBucket: true }) });
    const second = await runScan(SLACK.dave, 'sandbox');
    const final = h.fake.message(CHANNEL, String(second.response['ts']))!;
    expect(visibleText(final)).toMatch(/Since the last scan.*🆕 1 new · ✅ 1 resolved · ⏳ 4 still failing/);

    const since = h.fake.calls.length;
    await h.sender.command('/scan', 'last sandbox', { user: SLACK.carla, channel: CHANNEL });
    expect(await answer(since, /Scan of sandbox/)).toContain('1 new');
  });

  it('Details posts the failing findings by best practice in the summary’s thread, a page per click', async () => {
    expectExecution('s-test1', { location: writeResults('run1') });
    const post = await runScan(SLACK.dave, 'sandbox');
    const summary = h.fake.message(CHANNEL, String(post.response['ts']))!;
    let since = h.fake.calls.length;
    await h.sender.blockAction({ user: SLACK.ana, actionId: 'scan.details', message: { channel: CHANNEL, ts: summary.ts } });
    const page = await h.fake.waitFor((c) => c.seq >= since && c.method === 'chat.postMessage' && c.args['thread_ts'] === summary.ts);
    const pageText = JSON.stringify(page.args);
    expect(pageText).toContain('page 1');
    expect(pageText).toContain('arn:aws:iam::111122223333:root');
    expect(pageText).toMatch(/Prowler|CloudSploit|Custodian/);
    const next = h.fake.message(CHANNEL, String(page.response['ts']))!;
    since = h.fake.calls.length;
    await h.sender.blockAction({ user: SLACK.ana, actionId: 'scan.details', value: buttonValue(next, 'scan.details'), message: { channel: CHANNEL, ts: next.ts } });
    const page2 = await h.fake.waitFor((c) => c.seq >= since && c.method === 'chat.postMessage' && c.args['thread_ts'] === summary.ts);
    expect(JSON.stringify(page2.args)).toContain('page 2');
  });

  it('Request fix access drafts an access request in the clicker’s DMs', async () => {
    expectExecution('s-test1', { location: writeResults('run1') });
    const post = await runScan(SLACK.dave, 'sandbox');
    const summary = h.fake.message(CHANNEL, String(post.response['ts']))!;
    const since = h.fake.calls.length;
    await h.sender.blockAction({ user: SLACK.ben, actionId: 'scan.fix_access', message: { channel: CHANNEL, ts: summary.ts } });
    const dm = h.fake.dmChannelOf(SLACK.ben);
    const intro = await h.fake.waitFor((c) => c.seq >= since && c.method === 'chat.postMessage' && c.args['channel'] === dm && /Drafting access to fix/.test(String(c.args['text'])));
    expect(String(intro.args['text'])).toContain('sandbox');
    // The drafter answers in that thread: a draft to submit, or its questions.
    await h.fake.waitFor((c) => c.seq > intro.seq && c.method === 'chat.postMessage' && c.args['thread_ts'] === intro.response['ts'], { description: 'the drafter’s answer in the DM thread' });
    // The conversation is saved last: the request can be continued in that thread.
    await vi.waitFor(async () => expect(await h.store.getConversation(`slack:${dm}:${String(intro.response['ts'])}`)).toMatchObject({ userId: 'ben' }));
  });
});

describe('/scan import, last and help', () => {
  it('imports a local output file and summarizes it like a scan', async () => {
    writeResults('mine');
    let since = h.fake.calls.length;
    await h.sender.command('/scan', 'import payments-prod mine/prowler/output.ocsf.json', { user: SLACK.carla, channel: CHANNEL });
    const post = await h.fake.waitFor((c) => c.seq >= since && c.method === 'chat.postMessage' && c.args['channel'] === CHANNEL);
    await h.fake.waitFor((c) => c.seq > post.seq && c.method === 'chat.update' && /Imported results for payments-prod/.test(String(c.args['text'])));
    const final = h.fake.message(CHANNEL, String(post.response['ts']))!;
    expect(final.text).toMatch(/^Imported results for payments-prod: 2 failing of 5 findings/);
    expect(visibleText(final)).toContain('Prowler ✅');
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);

    since = h.fake.calls.length;
    await h.sender.command('/scan', 'last', { user: SLACK.ana, channel: CHANNEL });
    expect(await answer(since, /Recent scans/)).toContain('payments-prod');
  });

  it('imports a whole results folder, and refuses paths outside the import folder', async () => {
    writeResults('folder');
    let since = h.fake.calls.length;
    await h.sender.command('/scan', 'import sandbox folder', { user: SLACK.dave, channel: CHANNEL });
    const post = await h.fake.waitFor((c) => c.seq >= since && c.method === 'chat.postMessage' && c.args['channel'] === CHANNEL);
    await h.fake.waitFor((c) => c.seq > post.seq && c.method === 'chat.update' && /Imported results/.test(String(c.args['text'])));
    expect(h.fake.message(CHANNEL, String(post.response['ts']))!.text).toMatch(/5 failing of 10 findings/);

    since = h.fake.calls.length;
    await h.sender.command('/scan', 'import sandbox ../../etc', { user: SLACK.dave, channel: CHANNEL });
    expect(await answer(since, /import folder/)).toMatch(/outside the import folder|no `\.\.\/\.\.\/etc`/);
  });

  it('help, bad options and unknown accounts are answered to the caller only', async () => {
    let since = h.fake.calls.length;
    await h.sender.command('/scan', 'help', { user: SLACK.ana, channel: CHANNEL });
    expect(await answer(since, /scan status/)).toContain('/scan import');
    since = h.fake.calls.length;
    await h.sender.command('/scan', 'sandbox --tools nmap', { user: SLACK.dave, channel: CHANNEL });
    expect(await answer(since, /nmap/)).toMatch(/not a scanner/);
    since = h.fake.calls.length;
    await h.sender.command('/scan', 'nowhere', { user: SLACK.dave, channel: CHANNEL });
    expect(await answer(since, /nowhere/)).toMatch(/don't know the account/);
    since = h.fake.calls.length;
    await h.sender.command('/scan', 'last sandbox', { user: SLACK.dave, channel: CHANNEL });
    expect(await answer(since, /No finished scan/)).toContain('/scan sandbox');
    expect(h.fake.callsTo('response_url').every((c) => c.args['response_type'] === 'ephemeral')).toBe(true);
  });
});
