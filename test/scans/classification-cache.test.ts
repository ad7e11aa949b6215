import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { scanDetailsMessage } from '../../src/chat/cards/scan-details.js';
import { memoryLogger } from '../../src/logger.js';
import type { ParsedFinding } from '../../src/scans/finding.js';
import { ingestResults } from '../../src/scans/ingest.js';
import { localFile, localFolder } from '../../src/scans/results/local-files.js';
import { SqliteScanStore } from '../../src/scans/sqlite/sqlite-scan-store.js';
import { BedrockFindingClassifier, bedrockFindingClassifier, checkKey, type Classification, type FindingClassifier } from '../../src/scans/wafr/ai-classifier.js';
import { CATALOG_DATA } from '../../src/scans/wafr/catalog-data.js';
import { WafrCatalog, wafrCatalog } from '../../src/scans/wafr/catalog.js';
import { classificationVersion, StoredClassificationCache } from '../../src/scans/wafr/classification-cache.js';
import { CLASSIFY_TOOL_NAME } from '../../src/scans/wafr/prompts/classify-v1.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { FakeBedrock, fakeLlm, reply, testBedrockConfig } from '../ai/support/fake-bedrock.js';
import { ManualClock } from '../support/manual-clock.js';
import { CLOUDSPLOIT_JSON, CUSTODIAN_DIR, importingScan, tempDir } from './support.js';

let fake: FakeBedrock;
let tmp: ReturnType<typeof tempDir>;
const logger = memoryLogger();
const clock = new ManualClock();

beforeAll(async () => {
  fake = await FakeBedrock.start();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
  fake.unscripted.length = 0;
  tmp = tempDir();
});
afterEach(() => tmp.dispose());

function finding(checkId: string): ParsedFinding {
  return {
    tool: 'custodian',
    checkId,
    title: `Policy ${checkId}`,
    status: 'fail',
    resource: `arn:aws:s3:::${checkId}`,
    region: 'eu-west-1',
    account: '111111111111',
    service: 's3',
    remediation: 'Fix it.',
    detail: '',
    compliance: [],
    raw: { file: 'resources.json', line: 1 },
  };
}

/** A Warden process: the database file opened, a classifier over Bedrock whose cache is the scan store. */
function start(path: string, catalog = wafrCatalog): { classifier: BedrockFindingClassifier; close(): void } {
  const store = SqliteStore.open(path);
  const scans = new SqliteScanStore(store.connection);
  const classifier = new BedrockFindingClassifier({
    llm: fakeLlm(fake, logger, { maxAttempts: 1 }),
    catalog,
    logger,
    cache: new StoredClassificationCache(scans, classificationVersion(catalog), clock),
  });
  return { classifier, close: () => store.close() };
}

describe('the classification cache in the scan store', () => {
  it('a second scan after a restart asks Bedrock nothing about checks it already classified', async () => {
    const path = `${tmp.path}/warden.db`;
    const first = start(path);
    fake.enqueue(reply.toolUse(CLASSIFY_TOOL_NAME, { classifications: [{ ref: '1', practices: ['SEC03-BP02'] }, { ref: '2', practices: [] }] }));
    const answered = await first.classifier.classify([finding('public-bucket'), finding('odd-one')]);
    expect(answered.calls).toBe(1);
    expect(answered.practices.get('custodian:public-bucket')).toEqual(['SEC03-BP02']);
    first.close();

    const second = start(path);
    const again = await second.classifier.classify([finding('public-bucket'), finding('odd-one')]);
    second.close();
    expect(fake.requests).toHaveLength(1);
    expect(again.calls).toBe(0);
    expect(again.practices.get('custodian:public-bucket')).toEqual(['SEC03-BP02']);
    // "No practice fits" was an answer too: not asked again, still unmapped.
    expect(again.practices.has('custodian:odd-one')).toBe(false);
  });

  it('a new catalog classifies the checks again', async () => {
    const path = `${tmp.path}/warden.db`;
    const first = start(path);
    fake.enqueue(reply.toolUse(CLASSIFY_TOOL_NAME, { classifications: [{ ref: '1', practices: ['SEC03-BP02'] }] }));
    await first.classifier.classify([finding('public-bucket')]);
    first.close();

    const revised = new WafrCatalog({ ...CATALOG_DATA, practices: CATALOG_DATA.practices.map((p, i) => (i === 0 ? { ...p, title: `${p.title} (revised)` } : p)) });
    expect(classificationVersion(revised)).not.toBe(classificationVersion(wafrCatalog));
    const second = start(path, revised);
    fake.enqueue(reply.toolUse(CLASSIFY_TOOL_NAME, { classifications: [{ ref: '1', practices: ['SEC03-BP01'] }] }));
    const result = await second.classifier.classify([finding('public-bucket')]);
    second.close();
    expect(fake.requests).toHaveLength(2);
    expect(result.practices.get('custodian:public-bucket')).toEqual(['SEC03-BP01']);
  });

  it('the classifier main.ts builds keeps its answers in the scan store', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_BEDROCK_RUNTIME', fake.url);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDTESTTESTTEST');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test-secret');
    try {
      const store = SqliteStore.open(':memory:');
      const scans = new SqliteScanStore(store.connection);
      const built = bedrockFindingClassifier({ enabled: true, bedrock: testBedrockConfig({ maxAttempts: 1 }) }, { logger, clock, store: scans });
      fake.enqueue(reply.toolUse(CLASSIFY_TOOL_NAME, { classifications: [{ ref: '1', practices: ['SEC03-BP02'] }] }));
      await built!.classify([finding('public-bucket')]);
      expect(fake.requests).toHaveLength(1);
      expect(await scans.getClassification(classificationVersion(wafrCatalog), { tool: 'custodian', checkId: 'public-bucket' })).toEqual(['SEC03-BP02']);
      store.close();
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('an edited row with ids the catalog does not know maps to nothing rather than to them', async () => {
    const path = `${tmp.path}/warden.db`;
    const store = SqliteStore.open(path);
    const scans = new SqliteScanStore(store.connection);
    await scans.saveClassification(classificationVersion(wafrCatalog), { tool: 'custodian', checkId: 'tampered' }, ['SEC99-BP99', 'SEC03-BP02'], clock.now().toISOString());
    store.close();
    const process = start(path);
    const result = await process.classifier.classify([finding('tampered')]);
    process.close();
    expect(fake.requests).toHaveLength(0);
    expect(result.practices.get('custodian:tampered')).toEqual(['SEC03-BP02']);
  });
});

/** A classifier that maps every check it is asked about to one best practice, as a model might. */
class OnePracticeClassifier implements FindingClassifier {
  readonly modelId = 'test-model';
  async classify(findings: readonly ParsedFinding[]): Promise<Classification> {
    return { practices: new Map(findings.map((f) => [checkKey(f), ['REL09-BP03']])), calls: 1 };
  }
}

describe('AI-mapped findings in the details', () => {
  it('marks the findings the classifier mapped, and only those', async () => {
    const store = SqliteStore.open(':memory:');
    try {
      const scans = new SqliteScanStore(store.connection);
      const now = clock.now().toISOString();
      const scan = importingScan('s-ai', now);
      await scans.createScan(scan);
      const sources = [
        { format: 'custodian' as const, folder: localFolder(CUSTODIAN_DIR) },
        { format: 'cloudsploit-json' as const, file: localFile(CLOUDSPLOIT_JSON) },
      ];
      const report = await ingestResults({ scans, catalog: wafrCatalog, classifier: new OnePracticeClassifier() }, scan.id, sources, { account: scan.accountId });
      expect(report.ai?.classified).toBeGreaterThan(0);
      const page = await scans.failingByPractice(scan.id, { page: 0, practicesPerPage: 100, findingsPerPractice: 100 });
      const ai = page.groups.find((g) => g.practiceId === 'REL09-BP03');
      expect(ai?.findings.every((f) => f.mappedBy === 'ai')).toBe(true);
      const deterministic = page.groups.filter((g) => g.practiceId && g.practiceId !== 'REL09-BP03' && g.findings.every((f) => f.mappedBy !== 'ai'));
      expect(deterministic.length).toBeGreaterThan(0);

      const text = JSON.stringify(scanDetailsMessage({ ...scan, state: 'succeeded' }, page, wafrCatalog));
      expect(text).toContain('`REL09-BP03` (mapped by AI)');
      for (const group of deterministic) expect(text).not.toContain(`\`${group.practiceId}\` (mapped by AI)`);
      expect(text).toContain('treat them as suggestions');
    } finally {
      store.close();
    }
  });
});
