import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Card } from '../../src/chat/cards/model.js';
import { sendWeeklyPosture } from '../../src/digests/jobs.js';
import { DigestScheduler } from '../../src/digests/scheduler.js';
import type { ScanChat } from '../../src/scans/chat.js';
import { SEVERITIES, type Severity } from '../../src/scans/finding.js';
import type { ChatMessageRef, Scan, ScanSummary } from '../../src/scans/scan.js';
import { SqliteScanStore } from '../../src/scans/sqlite/sqlite-scan-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { ManualClock } from '../support/manual-clock.js';
import { scan } from '../support/scan-store-contract.js';

class RecordingScanChat implements ScanChat {
  readonly posts: { channel: string; card: Card }[] = [];
  async post(channel: string, card: Card): Promise<ChatMessageRef> {
    this.posts.push({ channel, card });
    return { channel, ts: String(this.posts.length) };
  }
  async update(): Promise<void> {}
  async permalink(): Promise<string | undefined> {
    return undefined;
  }
}

function summary(failing: Partial<Record<Severity, number>>): ScanSummary {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, { fail: failing[s] ?? 0, pass: 3 }])) as ScanSummary['bySeverity'];
  const fail = Object.values(failing).reduce((a, b) => a + b, 0);
  return {
    findings: fail + 15,
    byStatus: { fail, pass: 15, manual: 0, unknown: 0 },
    bySeverity,
    pillars: [],
    topPractices: [],
    unmappedFailing: 0,
    delta: null,
    problems: { total: 0, examples: [] },
  };
}

let store: SqliteStore;
let scans: SqliteScanStore;
let chat: RecordingScanChat;
const clock = new ManualClock('2026-11-23T09:00:00Z');

beforeEach(() => {
  store = SqliteStore.open(':memory:');
  scans = new SqliteScanStore(store.connection);
  chat = new RecordingScanChat();
});

afterEach(async () => {
  await store.close();
});

/** A scan of `account` that succeeded at `finishedAt` with these failing counts, posted in `channel`. */
async function finished(id: string, finishedAt: string, failing: Partial<Record<Severity, number>>, overrides: Partial<Scan> = {}): Promise<void> {
  const started = scan(id, { createdAt: finishedAt, updatedAt: finishedAt, ...overrides });
  expect(await scans.createScan(started)).toEqual({ created: true });
  expect(await scans.saveScan({ ...started, state: 'succeeded', version: 2, finishedAt, summary: summary(failing) }, 1)).toBe(true);
}

function shown(card: Card): string {
  return `${card.fallback}\n${JSON.stringify(card.blocks)}`;
}

describe('weekly posture digest', () => {
  it('sends nothing when there are no scans', async () => {
    expect(await sendWeeklyPosture({ scans, chat }, clock.now())).toEqual({ sent: [], failed: [] });
    expect(chat.posts).toEqual([]);
  });

  it('shows per account the latest failing counts by severity and the change since the scan a week before, in the scans channel', async () => {
    // payments-prod: a scan two weeks ago, one a week ago (the baseline), one yesterday (the latest).
    await finished('s-old', '2026-11-09T08:00:00.000Z', { critical: 9 }, { message: { channel: 'C0SEC', ts: '1.1' } });
    await finished('s-week', '2026-11-16T08:00:00.000Z', { critical: 2, high: 5, medium: 1 }, { message: { channel: 'C0SEC', ts: '1.2' } });
    await finished('s-mid', '2026-11-19T08:00:00.000Z', { critical: 7 }, { message: { channel: 'C0SEC', ts: '1.3' } });
    await finished('s-new', '2026-11-22T08:00:00.000Z', { critical: 3, high: 2, medium: 1, low: 4 }, { message: { channel: 'C0SEC', ts: '1.4' } });
    // sandbox: scanned once, from another channel.
    await finished('s-sbx', '2026-11-21T08:00:00.000Z', { high: 1 }, { accountId: '222222222222', accountName: 'sandbox', channel: 'C0SANDBOX' });
    // A failed scan is not posture.
    await scans.createScan(scan('s-bad', { accountId: '333333333333', accountName: 'shared' }));
    const bad = (await scans.getScan('s-bad'))!;
    await scans.saveScan({ ...bad, state: 'failed', version: 2, finishedAt: '2026-11-22T10:00:00.000Z', error: 'boom' }, 1);

    const report = await sendWeeklyPosture({ scans, chat }, clock.now());
    expect(report.sent.sort()).toEqual(['C0SANDBOX', 'C0SEC']);
    expect(chat.posts).toHaveLength(2);

    const sec = shown(chat.posts.find((p) => p.channel === 'C0SEC')!.card);
    expect(sec).toContain('Weekly security posture');
    expect(sec).toContain('payments-prod');
    expect(sec).not.toContain('sandbox');
    expect(sec).not.toContain('shared');
    // 10 failing now against 8 a week ago; per severity: critical 3 (+1), high 2 (−3), medium 1 (±0), low 4 (+4).
    expect(sec).toContain('10 failing (▲ +2)');
    expect(sec).toContain('"label":"🛑 Critical","value":"3 (▲ +1)"');
    expect(sec).toContain('"label":"🔴 High","value":"2 (▼ -3)"');
    expect(sec).toContain('"label":"🟠 Medium","value":"1 (±0)"');
    expect(sec).toContain('"label":"🟡 Low","value":"4 (▲ +4)"');
    expect(sec).toContain('compared with `s-week`');

    const sandbox = shown(chat.posts.find((p) => p.channel === 'C0SANDBOX')!.card);
    expect(sandbox).toContain('sandbox');
    expect(sandbox).toContain('1 failing');
    expect(sandbox).toContain('no scan from a week before to compare with');
  });

  it('is sent once per week when two replicas tick together', async () => {
    await finished('s-1', '2026-11-22T08:00:00.000Z', { high: 1 });
    const job = { name: 'posture', cron: '0 9 * * 1', run: (now: Date) => sendWeeklyPosture({ scans, chat }, now) };
    const replicas = ['a', 'b'].map((owner) => new DigestScheduler({ store, clock, owner, timezone: 'UTC', jobs: [job] }));
    const results = await Promise.all(replicas.map((r) => r.tick('posture', clock.now())));
    expect(results.filter((r) => r.ran)).toHaveLength(1);
    expect(chat.posts).toHaveLength(1);
  });
});
