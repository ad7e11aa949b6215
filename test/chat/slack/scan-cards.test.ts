import { describe, expect, it } from 'vitest';
import { scanDetailsMessage } from '../../../src/chat/cards/scan-details.js';
import { scanProgressCard } from '../../../src/chat/cards/scan-progress.js';
import { bar, pillarScore, scanSummaryMessage } from '../../../src/chat/cards/scan-summary.js';
import { renderScanMessage } from '../../../src/chat/slack/handlers/scan-slack-chat.js';
import type { ScanFinding } from '../../../src/scans/normalize/scan-finding.js';
import type { Scan, ScanSummary } from '../../../src/scans/scan.js';
import { wafrCatalog } from '../../../src/scans/wafr/catalog.js';

const scan: Scan = {
  id: 's-abc',
  accountId: '111111111111',
  accountName: 'payments-prod',
  source: 'stepfunctions',
  state: 'succeeded',
  version: 5,
  tools: ['prowler', 'custodian', 'cloudsploit'],
  regions: [],
  toolStates: { prowler: 'succeeded', custodian: 'failed', cloudsploit: 'succeeded' },
  requestedBy: 'ana',
  channel: 'C1',
  message: { channel: 'C1', ts: '1.1' },
  executionArn: null,
  resultsLocation: null,
  createdAt: '2026-11-23T10:00:00.000Z',
  updatedAt: '2026-11-23T10:00:00.000Z',
  finishedAt: '2026-11-23T11:00:00.000Z',
  error: null,
  summary: null,
};

const summary: ScanSummary = {
  findings: 120,
  byStatus: { fail: 42, pass: 70, manual: 8, unknown: 0 },
  bySeverity: {
    critical: { fail: 2, pass: 1 },
    high: { fail: 10, pass: 9 },
    medium: { fail: 20, pass: 30 },
    low: { fail: 10, pass: 30 },
    informational: { fail: 0, pass: 0 },
  },
  pillars: [
    { pillar: 'security', pass: 60, fail: 40 },
    { pillar: 'reliability', pass: 10, fail: 2 },
    { pillar: 'operationalExcellence', pass: 0, fail: 0 },
    { pillar: 'performance', pass: 0, fail: 0 },
    { pillar: 'costOptimization', pass: 0, fail: 3 },
    { pillar: 'sustainability', pass: 0, fail: 0 },
  ],
  topPractices: [
    { id: 'SEC03-BP07', failing: 12 },
    { id: 'SEC08-BP02', failing: 9 },
    { id: 'REL09-BP03', failing: 2 },
  ],
  unmappedFailing: 4,
  delta: { previousScanId: 's-old', previousAt: '2026-11-16T10:00:00.000Z', new: 3, resolved: 5, stillFailing: 39 },
  problems: { total: 2, examples: ['prowler/out.json:120:3 (record 40): invalid JSON'] },
};

function limits(blocks: { type: string; text?: { text: string }; fields?: unknown[]; elements?: unknown[] }[]): void {
  expect(blocks.length).toBeLessThanOrEqual(50);
  for (const block of blocks) {
    if (block.type === 'section' && block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
    if (block.type === 'header') expect(block.text!.text.length).toBeLessThanOrEqual(150);
    if (block.fields) expect(block.fields.length).toBeLessThanOrEqual(10);
  }
}

describe('scan cards on Slack', () => {
  it('draws bars', () => {
    expect(bar(0.8)).toBe('████████░░');
    expect(bar(0)).toBe('░░░░░░░░░░');
    expect(pillarScore({ pass: 0, fail: 0 })).toBeUndefined();
  });

  it('the summary: severities, pillar bars, top best practices, delta, problems and buttons', () => {
    const { text, blocks } = renderScanMessage(scanSummaryMessage(scan, summary, { catalog: wafrCatalog, requestedByName: 'Ana Lima' }));
    limits(blocks as never);
    expect(text).toBe('Scan of payments-prod: 42 failing of 120 findings (critical 2, high 10).');
    const shown = JSON.stringify(blocks);
    expect(shown).toContain('Prowler ✅  Custodian ❌  CloudSploit ✅');
    expect(shown).toContain('2 failing · 1 passing');
    expect(shown).toMatch(/Security {15}██████░░░░  60%` 40 failing/);
    expect(shown).toMatch(/Operational Excellence ·{10} {3}–` no findings/);
    expect(shown).toMatch(/Cost Optimization {6}░{10} {3}0%` 3 failing/);
    expect(shown).toContain('`SEC03-BP07` Analyze public and cross account access — 12 failing');
    expect(shown).toContain('🆕 3 new · ✅ 5 resolved · ⏳ 39 still failing');
    expect(shown).toContain('4 failing finding(s) not mapped to a best practice (AI classification is not configured)');
    expect(shown).toContain('2 problem(s) reading the results');
    const actions = blocks.at(-1) as { type: string; elements: { action_id: string; value: string }[] };
    expect(actions.type).toBe('actions');
    expect(actions.elements.map((e) => [e.action_id, e.value])).toEqual([
      ['scan.details', 's-abc:0'],
      ['scan.fix_access', 's-abc|SEC03-BP07'],
    ]);
  });

  it('progress, and details pages that stay within Block Kit’s limits', () => {
    const progress = renderScanMessage(scanProgressCard({ ...scan, state: 'running', toolStates: { prowler: 'succeeded', custodian: 'running' } }, 'Ana Lima'));
    expect(progress.text).toBe('Scan of payments-prod started by Ana Lima: Prowler ✅  Custodian 🔄  CloudSploit ⏳');

    const finding = (i: number): ScanFinding => ({
      key: `k${i}`,
      tools: ['prowler', 'cloudsploit'],
      checkId: 's3_bucket_level_public_access_block',
      title: 't',
      severity: 'high',
      status: 'fail',
      resource: `arn:aws:s3:::${'very-long-bucket-name-'.repeat(5)}${i}`,
      region: 'eu-west-1',
      account: '111111111111',
      service: 's3',
      remediation: '',
      detail: '',
      practices: ['SEC03-BP07'],
      pillars: ['security'],
      mappedBy: 'finding',
      raw: { file: 'f', line: 1 },
    });
    const page = { page: 0, hasMore: true, groups: [{ practiceId: 'SEC03-BP07', total: 40, findings: [1, 2, 3, 4, 5].map(finding) }, { practiceId: null, total: 1, findings: [finding(9)] }] };
    const details = renderScanMessage(scanDetailsMessage(scan, page, wafrCatalog));
    limits(details.blocks as never);
    const shown = JSON.stringify(details.blocks);
    expect(shown).toContain('`SEC03-BP07` Analyze public and cross account access* — 40 failing');
    expect(shown).toContain('…and 35 more');
    expect(shown).toContain('Not mapped to a best practice');
    expect(shown).toContain('Prowler, CloudSploit');
    expect(shown).toContain('"action_id":"scan.details","text":{"type":"plain_text","text":"More"},"value":"s-abc:1"');
  });
});
