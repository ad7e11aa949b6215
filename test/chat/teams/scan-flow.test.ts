import { cpSync, mkdirSync } from 'node:fs';
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
import { adaptiveCardOf, cardText, executeActions, type FakeTeamsMessage } from '../../../src/playground/fake-teams/index.js';
import { parseScanEnv } from '../../../src/scans/config.js';
import { abortableSleep } from '../../../src/scans/poll.js';
import type { ScanPorts } from '../../../src/scans/ports.js';
import { SqliteScanStore } from '../../../src/scans/sqlite/sqlite-scan-store.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../../src/store/store.js';
import { tempDir } from '../../scans/support.js';
import { AAD, shown, startTeamsHarness, type TeamsHarness } from '../../support/teams-harness.js';
import { SLACK } from '../../support/warden-harness.js';

const STATE_MACHINE = 'arn:aws:states:eu-west-1:111111111111:stateMachine:warden-scan';
const FIXTURES = '../shared/fixtures/scans';
const sfn = mockClient(SFNClient);

let h: TeamsHarness | undefined;
let tmp: ReturnType<typeof tempDir>;
let scanNumber: number;
/** Describe calls per execution: RUNNING for the first few, then SUCCEEDED with the results' location. */
let executions: Map<string, { polls: number; runningFor: number; location: string }>;

function event(type: 'entered' | 'exited', name: string, id: number): HistoryEvent {
  return type === 'entered'
    ? { id, timestamp: new Date(), type: 'TaskStateEntered', stateEnteredEventDetails: { name } }
    : { id, timestamp: new Date(), type: 'TaskStateExited', stateExitedEventDetails: { name } };
}

/** The history grows by one event a poll: Prowler runs and ends, then Custodian, then CloudSploit. */
function historyAt(poll: number): HistoryEvent[] {
  const names = ['Prowler', 'Custodian', 'CloudSploit'];
  const steps = names.flatMap((name, i) => [event('entered', name, 2 * i + 1), event('exited', name, 2 * i + 2)]);
  return steps.slice(0, Math.min(steps.length, poll));
}

/** Results as the state machine would leave them: one folder per tool. */
function writeResults(name: string): string {
  const root = join(tmp.path, name);
  mkdirSync(join(root, 'prowler'), { recursive: true });
  cpSync(`${FIXTURES}/prowler/example_output_aws.ocsf.json`, join(root, 'prowler', 'output.ocsf.json'));
  cpSync(`${FIXTURES}/custodian`, join(root, 'custodian'), { recursive: true });
  mkdirSync(join(root, 'cloudsploit'), { recursive: true });
  cpSync(`${FIXTURES}/cloudsploit/generated_cloudsploit_output.json`, join(root, 'cloudsploit', 'results.json'));
  return root;
}

function ports(store: Store): ScanPorts {
  if (!(store instanceof SqliteStore)) throw new Error('the scan flow tests use the SQLite store');
  const config = parseScanEnv({ WARDEN_SCAN_STATE_MACHINE_ARN: STATE_MACHINE, WARDEN_SCAN_LOCAL_ACCOUNT_ID: '111111111111', WARDEN_SCAN_IMPORT_DIR: tmp.path });
  return {
    store: new SqliteScanStore(store.connection),
    runner: new SfnScanRunner({ stateMachineArn: STATE_MACHINE, client: new SFNClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }) }),
    results: s3OrLocalResults(null),
    config: { ...config, poll: { initialMs: 5, maxMs: 20, timeoutMs: 60_000 } },
    ids: { scanId: () => `s-test${++scanNumber}` },
    poll: { sleep: abortableSleep },
  };
}

beforeEach(() => {
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
});

afterEach(async () => {
  await h?.close();
  h = undefined;
  tmp.dispose();
  sfn.reset();
});

function expectExecution(scanId: string, location: string, runningFor = 6): void {
  executions.set(executionArnFor(STATE_MACHINE, scanId), { polls: 0, runningFor, location });
}

/** `@Warden scan <text>` in the access-requests channel; returns the scan's message once it shows the summary. */
async function scanInChannel(t: TeamsHarness, from: string, text: string): Promise<{ conversationId: string; message: FakeTeamsMessage }> {
  const sent = await t.sender.message({ from, channel: 'access-requests', text: `scan ${text}` });
  expect(sent.status).toBe(200);
  const progress = await t.teams.waitForMessage(sent.conversationId, /started by/);
  const message = await vi.waitFor(
    () => {
      const current = t.teams.message(progress.conversationId, progress.id)!;
      expect(shown(current)).toMatch(/failing of \d+ findings/);
      return current;
    },
    { timeout: 10_000, interval: 20 },
  );
  return { conversationId: sent.conversationId, message };
}

describe('scan on Teams', () => {
  it('posts one card that follows each tool and becomes the summary, in a Teams-only Warden', async () => {
    const t = (h = await startTeamsHarness({ slack: false, scans: ports }));
    expectExecution('s-test1', writeResults('run1'));
    const { conversationId, message } = await scanInChannel(t, AAD.dave, 'payments-prod');

    // Its first version said who started it, with every tool waiting; later ones showed progress.
    const versions = message.history.map((v) => cardText(adaptiveCardOf({ ...message, attachments: v.attachments })));
    expect(versions[0]).toMatch(/Scan of \*\*payments-prod\*\* started by Dave Kim — Prowler ⏳ {2}Custodian ⏳ {2}CloudSploit ⏳/);
    expect(versions.some((v) => /Prowler ✅ {2}Custodian 🔄/.test(v))).toBe(true);
    const summary = shown(message);
    expect(summary).toMatch(/Scan of payments-prod: 5 failing of 10 findings/);
    expect(summary).toContain('Well-Architected pillars');
    expect(summary).toContain('SEC01-BP02');
    // Its buttons are Universal Actions naming the scan only.
    expect(executeActions(adaptiveCardOf(message)).map((a) => [a.verb, a.data])).toEqual([
      ['scan.details', { scan: 's-test1:0' }],
      ['scan.fix_access', { scan: expect.stringMatching(/^s-test1\|[A-Z]{3}\d\d-BP\d\d$/) }],
    ]);
    // One message in the thread the command was typed in; nothing went to Slack.
    expect(t.teams.messages(conversationId).filter((m) => /Scan of/.test(shown(m)))).toHaveLength(1);
    expect(t.slack.callsTo('chat.postMessage')).toHaveLength(0);
    expect(JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input.input!)).toMatchObject({ account: { id: '111111111111', name: 'payments-prod' }, requestedBy: 'dave', channel: conversationId });
  });

  it('Details posts the failing findings by best practice in the thread; More pages on', async () => {
    const t = (h = await startTeamsHarness({ slack: false, scans: ports }));
    expectExecution('s-test1', writeResults('run1'));
    const { conversationId, message } = await scanInChannel(t, AAD.dave, 'payments-prod');

    const clicked = await t.sender.click({ from: AAD.ana, message, verb: 'scan.details' });
    // The clicked card stays the summary for the clicker, with a line saying where the details went.
    expect(cardText(clicked.card)).toMatch(/5 failing of 10 findings/);
    expect(cardText(clicked.card)).toContain('posted in this conversation');
    await t.idle();
    const details = await t.teams.waitForMessage(conversationId, /Failing findings of scan/);
    const text = shown(details);
    expect(text).toContain('page 1');
    expect(text).toContain('arn:aws:iam::111122223333:root');
    expect(text).toMatch(/Prowler|CloudSploit|Custodian/);

    await t.sender.click({ from: AAD.ana, message: details, verb: 'scan.details' });
    await t.idle();
    await t.teams.waitForMessage(conversationId, /page 2/);
  });

  it('Request fix access drafts an access request in the clicker’s personal chat', async () => {
    const t = (h = await startTeamsHarness({ slack: false, scans: ports }));
    expectExecution('s-test1', writeResults('run1'));
    const { message } = await scanInChannel(t, AAD.dave, 'payments-prod');
    t.teams.install(AAD.ben);

    const clicked = await t.sender.click({ from: AAD.ben, message, verb: 'scan.fix_access' });
    expect(cardText(clicked.card)).toMatch(/5 failing of 10 findings/);
    await t.idle();
    const personal = t.teams.personalChatOf(AAD.ben).id;
    const intro = await t.teams.waitForMessage(personal, /Drafting access to fix/);
    expect(shown(intro)).toContain('payments-prod');
    // The drafter answers in the same chat, and the conversation can be continued there.
    await vi.waitFor(async () => expect(await t.store.getConversation(`teams:${personal}:${intro.id}`)).toMatchObject({ userId: 'ben' }));
  });

  it('refuses someone the access rules do not allow to scan the account, and starts nothing', async () => {
    const t = (h = await startTeamsHarness({ slack: false, scans: ports }));
    const sent = await t.sender.message({ from: AAD.ana, channel: 'access-requests', text: 'scan payments-prod' });
    await t.idle();
    // Ana never wrote to Warden in a personal chat: the refusal goes where she asked (Teams has no ephemeral messages).
    const refusal = await t.teams.waitForMessage(sent.conversationId, /Only the approvers/);
    expect(shown(refusal)).toMatch(/Only the approvers of payments-prod and the members of `platform`/);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    expect(t.teams.messages(sent.conversationId).some((m) => /started by/.test(shown(m)))).toBe(false);
  });

  it('a person Warden does not know cannot use the scan buttons', async () => {
    const t = (h = await startTeamsHarness({ slack: false, scans: ports }));
    expectExecution('s-test1', writeResults('run1'));
    const { conversationId, message } = await scanInChannel(t, AAD.dave, 'payments-prod');
    // Someone in the tenant whom the org config does not map.
    const stranger = 'e0000000-0000-4000-8000-00000000e0e0';
    t.teams.state.addUser({ aadObjectId: stranger, name: 'Eve Stranger' });
    const clicked = await t.sender.invoke({ from: stranger, message, verb: 'scan.details', data: { scan: 's-test1:0' } });
    expect(cardText(clicked.card)).toMatch(/not in Warden's org config/);
    expect(cardText(clicked.card)).not.toMatch(/failing of/);
    await t.idle();
    expect(t.teams.messages(conversationId).some((m) => /Failing findings of scan/.test(shown(m)))).toBe(false);
  });

  it('status, last, help, a second scan of a running account, and each scan on its own platform', async () => {
    const t = (h = await startTeamsHarness({ scans: ports }));
    t.teams.install(AAD.dave);
    t.teams.install(AAD.ben);
    const personal = (aad: string) => t.teams.personalChatOf(aad).id;
    expectExecution('s-test1', writeResults('run1'), Infinity);
    const sent = await t.sender.message({ from: AAD.dave, text: 'scan payments-prod --tools prowler,cloudsploit' });
    await t.teams.waitForMessage(sent.conversationId, /started by/);
    await vi.waitFor(() => expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1));

    await t.sender.message({ from: AAD.ben, text: 'scan payments-prod' });
    expect(shown(await t.teams.waitForMessage(personal(AAD.ben), /already running/))).toContain('Dave Kim');
    await t.sender.message({ from: AAD.ben, text: 'scan status' });
    expect(shown(await t.teams.waitForMessage(personal(AAD.ben), /Scans running/))).toMatch(/payments-prod.*running.*Dave Kim/);
    await t.sender.message({ from: AAD.ben, text: 'scan last payments-prod' });
    await t.teams.waitForMessage(personal(AAD.ben), /No finished scan of payments-prod yet/);
    await t.sender.message({ from: AAD.ben, text: 'scan help' });
    // On Teams the commands are typed without the slash.
    expect(shown(await t.teams.waitForMessage(personal(AAD.ben), /runs Prowler/))).toContain('`scan status`');
    await t.sender.message({ from: AAD.ben, text: 'scan payments-prod --colour red' });
    await t.teams.waitForMessage(personal(AAD.ben), /I don't know `--colour`/);
    // The Teams scan went to Teams only, though Slack is configured too.
    expect(t.slack.callsTo('chat.postMessage')).toHaveLength(0);
    // Slack's /scan still answers on Slack, from the same scans.
    const since = t.slack.calls.length;
    await t.slackSender.command('/scan', 'status', { user: SLACK.dave, channel: 'C0ACCESS' });
    const answer = await t.slack.waitFor((c) => c.seq >= since && c.method === 'response_url' && /Scans running/.test(JSON.stringify(c.args)));
    expect(JSON.stringify(answer.args)).toContain('payments-prod');
    // A scan started on Slack posts its progress on Slack, not on Teams.
    expectExecution('s-test2', writeResults('run2'), Infinity);
    const teamsPosts = t.teams.requests.filter((r) => r.operation === 'sendToConversation').length;
    await t.slackSender.command('/scan', 'sandbox', { user: SLACK.dave, channel: 'C0ACCESS' });
    const post = await t.slack.waitFor((c) => c.seq >= since && c.method === 'chat.postMessage' && c.args['channel'] === 'C0ACCESS');
    expect(String(post.args['text'])).toMatch(/Scan of sandbox started by Dave Kim/);
    expect(t.teams.requests.filter((r) => r.operation === 'sendToConversation' && /sandbox/.test(JSON.stringify(r.body)))).toHaveLength(0);
    expect(t.teams.requests.filter((r) => r.operation === 'sendToConversation').length).toBe(teamsPosts);
  });

  it('imports a local output file with `scan import`', async () => {
    const t = (h = await startTeamsHarness({ slack: false, scans: ports }));
    writeResults('mine');
    const sent = await t.sender.message({ from: AAD.carla, channel: 'access-requests', text: 'scan import payments-prod mine/prowler/output.ocsf.json' });
    const post = await t.teams.waitForMessage(sent.conversationId, /started by/);
    await vi.waitFor(() => expect(shown(t.teams.message(post.conversationId, post.id))).toMatch(/Imported results for payments-prod: 2 failing of 5 findings/), { timeout: 10_000 });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});
