import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FILE_DOWNLOAD_METHOD, type RecordedCall } from '../../../src/playground/fake-slack/index.js';
import { parseScanEnv } from '../../../src/scans/config.js';
import type { ScanPorts } from '../../../src/scans/ports.js';
import { s3OrLocalResults } from '../../../src/aws/sfn/s3-results.js';
import { SqliteScanStore } from '../../../src/scans/sqlite/sqlite-scan-store.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../../src/store/store.js';
import { CLOUDSPLOIT_JSON, PROWLER_OCSF } from '../../scans/support.js';
import { SLACK, startWardenHarness, visibleText, type WardenHarness } from '../../support/warden-harness.js';

const CHANNEL = 'C0GENERAL';
let h: WardenHarness;
let scanNumber = 0;

/** Scans without a state machine or an import folder: only files shared in chat can be imported. */
function ports(store: Store): ScanPorts {
  if (!(store instanceof SqliteStore)) throw new Error('these tests use the SQLite store');
  return {
    store: new SqliteScanStore(store.connection),
    runner: null,
    results: s3OrLocalResults(null),
    config: parseScanEnv({}),
    ids: { scanId: () => `s-file${++scanNumber}` },
  };
}

beforeEach(async () => {
  h = await startWardenHarness({ scans: ports });
});

afterEach(async () => {
  await h.close();
});

async function share(user: string, name: string, content: string, text: string, channel?: string): Promise<{ channel: string; ts: string; since: number }> {
  const file = h.fake.putFile({ user, name, content, mimetype: 'application/json' });
  const since = h.fake.calls.length;
  const { message } = await h.sender.fileShare({ user, text, files: [file.id], ...(channel ? { channel } : {}) });
  return { channel: message.channel, ts: message.ts, since };
}

/** The scan's message in `channel` once it shows the summary. */
async function summaryIn(channel: string, since: number): Promise<string> {
  const post = await h.fake.waitFor((c) => c.seq >= since && c.method === 'chat.postMessage' && c.args['channel'] === channel, { description: 'the scan message' });
  await h.fake.waitFor((c: RecordedCall) => c.seq > post.seq && c.method === 'chat.update' && /Imported results for/.test(String(c.args['text'])), { description: 'the summary' });
  return visibleText(h.fake.message(channel, String(post.response['ts'])));
}

async function refusal(at: { channel: string; ts: string; since: number }, pattern: RegExp): Promise<string> {
  const call = await h.fake.waitFor(
    (c) => c.seq >= at.since && c.method === 'chat.postEphemeral' && c.args['channel'] === at.channel && c.args['thread_ts'] === at.ts && pattern.test(JSON.stringify(c.args)),
    { description: `a refusal matching ${pattern}` },
  );
  return JSON.stringify(call.args);
}

describe('scan import with a shared file', () => {
  it('a Prowler OCSF file shared in a channel with `scan import payments-prod` posts the summary there', async () => {
    const at = await share(SLACK.carla, 'output.ocsf.json', readFileSync(PROWLER_OCSF, 'utf8'), 'scan import payments-prod', CHANNEL);
    const summary = await summaryIn(CHANNEL, at.since);
    expect(summary).toMatch(/Imported results for payments-prod: 2 failing of 5 findings/);
    expect(summary).toContain('Prowler ✅');
    const downloads = h.fake.callsTo(FILE_DOWNLOAD_METHOD);
    expect(downloads.length).toBeGreaterThan(0);
    expect(downloads.every((d) => d.args['authorized'] === true)).toBe(true);

    // The imported scan is the account's latest, like any other.
    const since = h.fake.calls.length;
    await h.sender.command('/scan', 'last payments-prod', { user: SLACK.ana, channel: CHANNEL });
    const last = await h.fake.waitFor((c) => c.seq >= since && c.method === 'response_url');
    expect(JSON.stringify(last.args)).toMatch(/2 failing of 5 findings/);
  });

  it('a truncated file gives the complete findings and says where it was cut', async () => {
    const text = readFileSync(PROWLER_OCSF, 'utf8');
    const at = await share(SLACK.carla, 'cut.ocsf.json', text.slice(0, Math.floor(text.length * 0.7)), 'scan import payments-prod', CHANNEL);
    const summary = await summaryIn(CHANNEL, at.since);
    expect(summary).toMatch(/of 3 findings/);
    expect(summary).toMatch(/1 problem\(s\) reading the results; the valid findings were kept/);
    expect(summary).toMatch(/cut\.ocsf\.json:\d+:3 \(record 4\): the file ends inside this record/);
  });

  it('a CloudSploit file in a DM is summarized in the DM', async () => {
    const at = await share(SLACK.dave, 'results.json', readFileSync(CLOUDSPLOIT_JSON, 'utf8'), 'scan import sandbox');
    const summary = await summaryIn(at.channel, at.since);
    expect(summary).toMatch(/Imported results for sandbox/);
    expect(summary).toContain('CloudSploit ✅');
  });

  it('a file that is no scanner output, or an account the sharer may not scan, is refused', async () => {
    const notes = await share(SLACK.dave, 'notes.json', '{"hello": "world"}', 'scan import sandbox');
    expect(await refusal(notes, /not a Prowler/)).toMatch(/notes\.json` is not a Prowler .* or CloudSploit .* output file/);
    const ana = await share(SLACK.ana, 'output.ocsf.json', readFileSync(PROWLER_OCSF, 'utf8'), 'scan import payments-prod');
    expect(await refusal(ana, /may scan it/)).toMatch(/Only the approvers of payments-prod/);
    expect(h.fake.callsTo('chat.postMessage').filter((c) => /Importing|Imported/.test(String(c.args['text'])))).toHaveLength(0);
  });

  it('/scan import with no path says how to attach a file', async () => {
    const since = h.fake.calls.length;
    await h.sender.command('/scan', 'import', { user: SLACK.carla, channel: CHANNEL });
    const call = await h.fake.waitFor((c) => c.seq >= since && c.method === 'response_url');
    expect(JSON.stringify(call.args)).toMatch(/upload it to me in a DM \(or in a channel I am in\) with the message `scan import \[account\]`/);
  });
});
