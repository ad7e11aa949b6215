import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/ai/circuit-breaker.js';
import { scanSummaryMessage } from '../../src/chat/cards/scan-summary.js';
import { memoryLogger } from '../../src/logger.js';
import type { ParsedFinding } from '../../src/scans/finding.js';
import { ingestResults } from '../../src/scans/ingest.js';
import { localFile, localFolder } from '../../src/scans/results/local-files.js';
import type { ResultSource } from '../../src/scans/results/detect.js';
import type { ScanSummary } from '../../src/scans/scan.js';
import { ScanSummarySchema } from '../../src/scans/scan.js';
import { SqliteScanStore } from '../../src/scans/sqlite/sqlite-scan-store.js';
import { summarizeScan } from '../../src/scans/summarize.js';
import {
  BedrockFindingClassifier,
  bedrockFindingClassifier,
  checkKey,
  CLASSIFY_BATCH_SIZE,
  MemoryClassificationCache,
  type Classification,
  type FindingClassifier,
} from '../../src/scans/wafr/ai-classifier.js';
import { wafrCatalog } from '../../src/scans/wafr/catalog.js';
import { CLASSIFY_TOOL_NAME } from '../../src/scans/wafr/prompts/classify-v1.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { FakeBedrock, fakeLlm, reply } from '../ai/support/fake-bedrock.js';
import { CLOUDSPLOIT_JSON, CUSTODIAN_DIR, importingScan } from './support.js';

let fake: FakeBedrock;
let logger: ReturnType<typeof memoryLogger>;

beforeAll(async () => {
  fake = await FakeBedrock.start();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
  fake.unscripted.length = 0;
  logger = memoryLogger();
});

function finding(checkId: string, overrides: Partial<ParsedFinding> = {}): ParsedFinding {
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
    ...overrides,
  };
}

function classifier(options: { cache?: MemoryClassificationCache; breaker?: CircuitBreaker } = {}): BedrockFindingClassifier {
  return new BedrockFindingClassifier({ llm: fakeLlm(fake, logger, { maxAttempts: 1 }), catalog: wafrCatalog, logger, ...options });
}

describe('BedrockFindingClassifier', () => {
  it('sends the catalog in the system prompt, asks for the tool, and keeps only catalog ids', async () => {
    fake.enqueue(
      reply.toolUse(CLASSIFY_TOOL_NAME, {
        classifications: [
          { ref: '1', practices: ['SEC03-BP02', 'SEC99-BP99'] },
          { ref: '2', practices: ['REL09-BP03'] },
        ],
      }),
    );
    const result = await classifier().classify([finding('a'), finding('b'), finding('a', { resource: 'other' })]);
    expect(fake.requests).toHaveLength(1);
    const body = fake.requests[0]!.body;
    expect(body.system?.[0]?.text).toContain('SEC03-BP02: Grant least privilege access');
    // The catalog prefix is marked for Bedrock's prompt cache.
    expect(body.system?.[1]).toEqual({ cachePoint: { type: 'default' } });
    expect(body.toolConfig?.toolChoice).toEqual({ any: {} });
    expect(body.toolConfig?.tools[0]?.toolSpec.name).toBe(CLASSIFY_TOOL_NAME);
    expect(body.toolConfig?.tools[0]?.toolSpec.inputSchema.json).toMatchObject({ type: 'object', required: ['classifications'] });
    // One finding per check is sent, as data inside <findings>.
    const sent = FakeBedrock.textOf(fake.requests[0]!);
    expect(sent).toContain('<findings>');
    expect(sent.match(/\\"check\\"/g)).toHaveLength(2);
    // The unknown id is dropped, the known ones kept.
    expect(result.practices).toEqual(new Map([['custodian:a', ['SEC03-BP02']], ['custodian:b', ['REL09-BP03']]]));
    expect(result.note).toBeUndefined();
  });

  it(`batches ${CLASSIFY_BATCH_SIZE} checks a call and never classifies a check twice`, async () => {
    const cache = new MemoryClassificationCache();
    const many = Array.from({ length: CLASSIFY_BATCH_SIZE + 2 }, (_, i) => finding(`p${i}`));
    // Refs are numbered per batch, so the answers can be scripted ahead.
    fake.enqueue(reply.toolUse(CLASSIFY_TOOL_NAME, refsTo(CLASSIFY_BATCH_SIZE, ['SEC03-BP02'])), reply.toolUse(CLASSIFY_TOOL_NAME, refsTo(2, [])));
    const first = await classifier({ cache }).classify(many);
    expect(fake.requests).toHaveLength(2);
    expect(FakeBedrock.textOf(fake.requests[0]!).match(/\\"check\\"/g)).toHaveLength(CLASSIFY_BATCH_SIZE);
    expect(FakeBedrock.textOf(fake.requests[1]!).match(/\\"check\\"/g)).toHaveLength(2);
    expect(first.practices.size).toBe(CLASSIFY_BATCH_SIZE);
    expect(first.calls).toBe(2);
    // Both answers are cached, "no practice fits" too: a second scan asks nothing.
    expect(await cache.get('custodian:p11')).toEqual([]);
    const again = await classifier({ cache }).classify(many);
    expect(fake.requests).toHaveLength(2);
    expect(again.calls).toBe(0);
    expect(again.practices).toEqual(first.practices);
  });

  it('retries once, with the problem as the tool result, when the answer does not fit the schema', async () => {
    fake.enqueue(reply.toolUse(CLASSIFY_TOOL_NAME, { classifications: [{ ref: 1, bp: 'x' }] }), reply.toolUse(CLASSIFY_TOOL_NAME, refsTo(1, ['SEC03-BP02'])));
    const result = await classifier().classify([finding('a')]);
    expect(fake.requests).toHaveLength(2);
    const repair = fake.requests[1]!.body.messages;
    expect(repair).toHaveLength(3);
    expect(JSON.stringify(repair[2])).toContain('"status":"error"');
    expect(result.practices.get('custodian:a')).toEqual(['SEC03-BP02']);
  });

  it('retries when every id is invented, then gives up with a note and caches nothing', async () => {
    const cache = new MemoryClassificationCache();
    fake.enqueue(reply.toolUse(CLASSIFY_TOOL_NAME, refsTo(1, ['SEC42-BP01'])), reply.text('I think SEC03.'));
    const result = await classifier({ cache }).classify([finding('a')]);
    expect(fake.requests).toHaveLength(2);
    expect(JSON.stringify(fake.requests[1]!.body.messages[2])).toContain('SEC42-BP01');
    expect(result.practices.size).toBe(0);
    expect(result.note).toMatch(/unusable after a retry/);
    expect(await cache.get('custodian:a')).toBeUndefined();
  });

  it('stops at a model failure, with a note, and tells the circuit breaker', async () => {
    const breaker = new CircuitBreaker({ clock: { now: () => new Date('2026-11-23T12:00:00Z') }, failureThreshold: 1 });
    fake.enqueue({ status: 500, headers: { 'x-amzn-errortype': 'InternalServerException' }, json: { message: 'boom' } });
    const many = Array.from({ length: CLASSIFY_BATCH_SIZE + 1 }, (_, i) => finding(`p${i}`));
    const result = await classifier({ breaker }).classify(many);
    expect(fake.requests).toHaveLength(1);
    expect(result.note).toMatch(/the model was unreachable/);
    expect(breaker.state()).toBe('open');
    // With the circuit open nothing is sent.
    const paused = await classifier({ breaker }).classify([finding('z')]);
    expect(fake.requests).toHaveLength(1);
    expect(paused.note).toMatch(/paused/);
  });
});

/** A fake classifier that maps every check to SEC03-BP02 and records what it was asked. */
class TableClassifier implements FindingClassifier {
  readonly modelId = 'test-model';
  readonly asked: string[] = [];
  async classify(findings: readonly ParsedFinding[]): Promise<Classification> {
    const practices = new Map<string, string[]>();
    for (const f of findings) {
      this.asked.push(checkKey(f));
      practices.set(checkKey(f), ['SEC03-BP02']);
    }
    return { practices, calls: 1 };
  }
}

describe('ingestion with a classifier', () => {
  const sources: ResultSource[] = [
    { format: 'custodian', folder: localFolder(CUSTODIAN_DIR) },
    { format: 'cloudsploit-json', file: localFile(CLOUDSPLOIT_JSON) },
  ];

  async function ingest(classifier?: FindingClassifier): Promise<{ summary: ScanSummary; mappedBy: string[] }> {
    const store = SqliteStore.open(':memory:');
    try {
      const scans = new SqliteScanStore(store.connection);
      const scan = importingScan('s1');
      await scans.createScan(scan);
      const report = await ingestResults({ scans, catalog: wafrCatalog, classifier }, scan.id, sources, { account: scan.accountId });
      const summary = await summarizeScan({ scans, catalog: wafrCatalog }, scan, report.tools, { total: 0, examples: [] });
      const page = await scans.failingByPractice(scan.id, { page: 0, practicesPerPage: 1000, findingsPerPractice: 1000 });
      const mappedBy = page.groups.flatMap((g) => g.findings.map((f) => f.mappedBy));
      return { summary: report.ai ? { ...summary, ai: { ...report.ai, modelId: 'test-model' } } : summary, mappedBy };
    } finally {
      store.close();
    }
  }

  it('classifies only what the deterministic mapping leaves unmapped, each check once, and marks it', async () => {
    const without = await ingest();
    expect(without.summary.unmappedFailing).toBeGreaterThan(0);
    expect(without.summary.ai).toBeUndefined();

    const table = new TableClassifier();
    const withAi = await ingest(table);
    expect(withAi.summary.unmappedFailing).toBe(0);
    expect(new Set(table.asked).size).toBe(table.asked.length);
    expect(withAi.summary.ai!.classified).toBeGreaterThanOrEqual(without.summary.unmappedFailing);
    expect(withAi.mappedBy).toContain('ai');
    // The stored summary still reads back through its schema.
    expect(ScanSummarySchema.parse(withAi.summary)).toEqual(withAi.summary);

    const text = JSON.stringify(scanSummaryMessage({ ...importingScan('s1'), state: 'succeeded' }, withAi.summary, { catalog: wafrCatalog, requestedByName: 'Dave' }));
    expect(text).toContain(`${withAi.summary.ai!.classified} finding(s) mapped to best practices by AI (test-model)`);
    expect(text).not.toContain('AI classification is not configured');

    const plain = JSON.stringify(scanSummaryMessage({ ...importingScan('s1'), state: 'succeeded' }, without.summary, { catalog: wafrCatalog, requestedByName: 'Dave' }));
    expect(plain).toContain('(AI classification is not configured)');
    expect(plain).not.toContain('by AI');
  });
});

function refsTo(count: number, ids: string[]): { classifications: { ref: string; practices: string[] }[] } {
  return { classifications: Array.from({ length: count }, (_, i) => ({ ref: String(i + 1), practices: ids })) };
}

describe('bedrockFindingClassifier', () => {
  it('is absent without a model, so the summary says classification is not configured', () => {
    const clock = { now: () => new Date() };
    expect(bedrockFindingClassifier({ enabled: false }, { logger, clock })).toBeUndefined();
    const bedrock = { modelId: 'anthropic.claude-test-v1:0', region: 'us-east-1', maxTokens: 1024, temperature: 0, timeoutMs: 1000, maxAttempts: 1 };
    expect(bedrockFindingClassifier({ enabled: true, bedrock }, { logger, clock })?.modelId).toBe('anthropic.claude-test-v1:0');
  });
});
