import { describe, expect, it } from 'vitest';
import type { Card } from '../../../src/chat/cards/model.js';
import { AI_MARK, scanDetailsMessage } from '../../../src/chat/cards/scan-details.js';
import { scanFailedCard, scanProgressCard } from '../../../src/chat/cards/scan-progress.js';
import { recentScansCard, scanBusyCard, scanHelpCard, scanStatusCard } from '../../../src/chat/cards/scan-status.js';
import { scanSummaryMessage } from '../../../src/chat/cards/scan-summary.js';
import { renderBlocks } from '../../../src/chat/slack/blocks.js';
import { renderAdaptiveCard, type AdaptiveCard } from '../../../src/chat/teams/adaptive.js';
import { isJsonObject, type JsonObject } from '../../../src/playground/fake-slack/json.js';
import { cardText, executeActions } from '../../../src/playground/fake-teams/index.js';
import type { ScanFinding } from '../../../src/scans/normalize/scan-finding.js';
import type { Scan, ScanSummary } from '../../../src/scans/scan.js';
import type { DetailsPage } from '../../../src/scans/store.js';
import { wafrCatalog } from '../../../src/scans/wafr/catalog.js';
import type { MappingSource } from '../../../src/scans/wafr/mapper.js';
import { adaptiveCardProblems } from '../../support/adaptive-validity.js';

const scan: Scan = {
  id: 's-abc',
  accountId: '111111111111',
  accountName: 'payments-prod',
  source: 'stepfunctions',
  state: 'succeeded',
  version: 5,
  tools: ['prowler', 'custodian', 'cloudsploit'],
  regions: ['eu-west-1'],
  toolStates: { prowler: 'succeeded', custodian: 'failed', cloudsploit: 'succeeded' },
  requestedBy: 'ana',
  channel: '19:c@thread.tacv2;messageid=1',
  message: { channel: '19:c@thread.tacv2;messageid=1', ts: '2' },
  executionArn: null,
  resultsLocation: null,
  createdAt: '2026-11-23T10:00:00.000Z',
  updatedAt: '2026-11-23T10:00:00.000Z',
  finishedAt: '2026-11-23T11:00:00.000Z',
  error: 'The results at s3://b/x could not be read',
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
  ],
  topPractices: [
    { id: 'SEC03-BP07', failing: 12 },
    { id: 'SEC08-BP02', failing: 9 },
  ],
  unmappedFailing: 4,
  ai: { classified: 3, modelId: 'test-model' },
  delta: { previousScanId: 's-old', previousAt: '2026-11-16T10:00:00.000Z', new: 3, resolved: 5, stillFailing: 39 },
  problems: { total: 1, examples: ['prowler/out.json:120:3 (record 40): invalid JSON'] },
};

function finding(i: number, practice: string, mappedBy: MappingSource): ScanFinding {
  return {
    key: `k${i}`,
    tools: ['prowler'],
    checkId: `check_${i}`,
    title: 't',
    severity: 'high',
    status: 'fail',
    resource: `arn:aws:s3:::bucket-${i}`,
    region: 'eu-west-1',
    account: '111111111111',
    service: 's3',
    remediation: '',
    detail: '',
    practices: [practice],
    pillars: ['security'],
    mappedBy,
    raw: { file: 'f', line: 1 },
  };
}

const page: DetailsPage = {
  page: 0,
  hasMore: true,
  groups: [
    { practiceId: 'SEC03-BP07', total: 2, findings: [finding(1, 'SEC03-BP07', 'finding'), finding(2, 'SEC03-BP07', 'table')] },
    { practiceId: 'SEC08-BP02', total: 1, findings: [finding(3, 'SEC08-BP02', 'ai')] },
    { practiceId: 'SEC01-BP02', total: 2, findings: [finding(4, 'SEC01-BP02', 'prowler-compliance'), finding(5, 'SEC01-BP02', 'ai')] },
  ],
};

/** The card as the fake Teams client reads it: plain JSON. */
function json(card: AdaptiveCard): JsonObject {
  const value: unknown = JSON.parse(JSON.stringify(card));
  if (!isJsonObject(value)) throw new Error('an Adaptive Card is a JSON object');
  return value;
}

const cards: Record<string, Card> = {
  progress: scanProgressCard({ ...scan, state: 'running', toolStates: { prowler: 'succeeded', custodian: 'running' } }, 'Ana Lima'),
  failed: scanFailedCard({ ...scan, state: 'failed' }, 'Ana Lima'),
  summary: scanSummaryMessage(scan, summary, { catalog: wafrCatalog, requestedByName: 'Ana Lima' }),
  details: scanDetailsMessage(scan, page, wafrCatalog),
  'last details page': scanDetailsMessage(scan, { page: 3, hasMore: false, groups: [] }, wafrCatalog),
  status: scanStatusCard([{ scan: { ...scan, state: 'running' }, requestedByName: 'Ana Lima' }]),
  'no status': scanStatusCard([]),
  recent: recentScansCard([{ ...scan, summary }]),
  busy: scanBusyCard(scan, undefined, 'Ana Lima'),
  help: scanHelpCard(),
};

describe('scan cards on Teams', () => {
  it.each(Object.entries(cards))('the %s card is a valid Adaptive Card', (_name, card) => {
    expect(adaptiveCardProblems(renderAdaptiveCard(card))).toEqual([]);
  });

  it('renders the scan buttons as Action.Execute carrying the scan ids, as Slack renders them as buttons', () => {
    const teams = executeActions(json(renderAdaptiveCard(cards['summary']!))).map((a) => [a.verb, a.data]);
    expect(teams).toEqual([
      ['scan.details', { scan: 's-abc:0' }],
      ['scan.fix_access', { scan: 's-abc|SEC03-BP07' }],
    ]);
    const slack = JSON.stringify(renderBlocks(cards['summary']!).blocks);
    expect(slack).toContain('"action_id":"scan.details"');
    expect(slack).toContain('"value":"s-abc|SEC03-BP07"');
    // The details page's buttons say which page they sit on.
    expect(executeActions(json(renderAdaptiveCard(cards['details']!))).map((a) => a.data)).toEqual([{ scan: 's-abc:1' }, { scan: 's-abc|SEC03-BP07|0' }]);
  });
});

describe('AI-mapped best practices in the details', () => {
  const text = cardText(json(renderAdaptiveCard(cards['details']!)));

  it('marks a best practice all of whose findings the AI mapped, once, and leaves deterministic ones unmarked', () => {
    expect(text).toContain(`SEC08-BP02\` ${AI_MARK}`);
    expect(text).not.toMatch(/SEC03-BP07` \(mapped by AI\)/);
    expect(text).not.toMatch(/bucket-[12]`.*mapped by AI/);
  });

  it('marks only the AI-mapped findings of a mixed best practice, and says AI mappings are suggestions', () => {
    expect(text).not.toMatch(/SEC01-BP02` \(mapped by AI\)/);
    expect(text).toMatch(/bucket-5`.*\(mapped by AI\)/);
    expect(text).not.toMatch(/bucket-4`.*\(mapped by AI\)/);
    expect(text).toMatch(/suggested by the AI classifier.*suggestions/);
  });

  it('marks the summary’s top best practices that only the AI found, and says they are suggestions', () => {
    const marked = { ...summary, topPractices: [{ id: 'SEC03-BP07', failing: 12 }, { id: 'SEC08-BP02', failing: 9, ai: true }] };
    const shown = cardText(json(renderAdaptiveCard(scanSummaryMessage(scan, marked, { catalog: wafrCatalog, requestedByName: 'Ana Lima' }))));
    expect(shown).toContain(`SEC08-BP02\` ${AI_MARK}`);
    expect(shown).not.toMatch(/SEC03-BP07` \(mapped by AI\)/);
    expect(shown).toMatch(/marked \(mapped by AI\) come only from it: suggestions/);
    // Without such a practice, the summary keeps its plain AI count.
    expect(cardText(json(renderAdaptiveCard(cards['summary']!)))).not.toContain(AI_MARK);
  });

  it('says nothing about AI on a page without AI mappings', () => {
    const plain = cardText(json(renderAdaptiveCard(scanDetailsMessage(scan, { ...page, groups: page.groups.slice(0, 1) }, wafrCatalog))));
    expect(plain).not.toContain('AI');
  });
});
