import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { canonicalTime } from '../../store/shared/codec.js';
import { cancellationCodes, DynamoStoreError, failedItemString, isConditionFailure } from '../../store/dynamodb/errors.js';
import { indexPartition, keys, SORT, timeOrdered, type ItemKey } from '../../store/dynamodb/keys.js';
import { backoffMs, batchGet, queryAll, queryUpTo, sleep } from '../../store/dynamodb/reads.js';
import { INDEX } from '../../store/dynamodb/table-definition.js';
import { FINDING_STATUSES, SEVERITIES, type FindingStatus, type Severity, type Tool } from '../finding.js';
import { mergeFindings, type ScanFinding } from '../normalize/scan-finding.js';
import type { PillarScore, Scan } from '../scan.js';
import type { ClassificationKey, CreateScanResult, DetailsPage, PracticeGroup, ScanStore, StoredCounts } from '../store.js';
import { PILLARS } from '../wafr/catalog-types.js';
import { batchWrite, deletes, puts, queryItems } from './batch-write.js';
import {
  classificationItem,
  classificationKey,
  findingItem,
  isActive,
  readClassification,
  readFinding,
  readFindingSummary,
  readScan,
  scanItem,
  scanLockItem,
  type FindingSummary,
  type Item,
} from './scan-items.js';

export interface DynamoScanStoreOptions {
  /** The same table as the DynamoStore: scans are more item kinds in it (docs/dynamodb.md). */
  tableName: string;
  /** A client to use as it is; close() leaves it open. Without one, region/endpoint or the SDK's defaults. */
  client?: DynamoDBClient;
  region?: string | undefined;
  endpoint?: string | undefined;
}

/** Keys per BatchGetItem call: addFindings reads this many existing findings at a time to merge into. */
const MERGE_CHUNK = 100;
const MAX_CONFLICT_ATTEMPTS = 8;

/** The page size of summary folds: small items, so a page is well under DynamoDB's 1 MB. */
const FINDING_PREFIX_VALUE = SORT.findingPrefix;

/** DynamoDB orders string keys by their UTF-8 bytes; JS compares UTF-16 units, which differ above U+FFFF. */
function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function zeroByStatus(): Record<FindingStatus, number> {
  return Object.fromEntries(FINDING_STATUSES.map((s) => [s, 0])) as Record<FindingStatus, number>;
}

function zeroBySeverity(): Record<Severity, { fail: number; pass: number }> {
  return Object.fromEntries(SEVERITIES.map((s) => [s, { fail: 0, pass: 0 }])) as Record<Severity, { fail: number; pass: number }>;
}

/** The `limit` most severe failing findings of one group, kept sorted while streaming: memory stays O(limit). */
class TopFindings {
  readonly items: { rank: number; sk: string; item: Item }[] = [];
  constructor(private readonly limit: number) {}
  offer(rank: number, sk: string, item: Item): void {
    if (this.limit <= 0) return;
    const worst = this.items[this.items.length - 1];
    if (this.items.length === this.limit && worst && (worst.rank < rank || (worst.rank === rank && compareKeys(worst.sk, sk) <= 0))) return;
    let at = this.items.findIndex((e) => e.rank > rank || (e.rank === rank && compareKeys(e.sk, sk) > 0));
    if (at < 0) at = this.items.length;
    this.items.splice(at, 0, { rank, sk, item });
    if (this.items.length > this.limit) this.items.pop();
  }
}

/**
 * The ScanStore over Warden's single DynamoDB table (layout: keys.ts, docs/dynamodb.md).
 *
 * A scan and its findings form one item collection `SCAN#<id>`; findings are sorted by their
 * de-duplication key, so counts, pillar scores and the delta are folds over Query pages (a page at
 * a time, projecting only the small attributes) rather than loads of whole scans. "One active scan
 * per account" is a lock item per account, put in the same transaction as the scan.
 *
 * addFindings merges read-then-write without a transaction: a scan is ingested by one writer, the one
 * that won the compare-and-set to `ingesting`, so two writers never merge into the same scan.
 */
export class DynamoScanStore implements ScanStore {
  private readonly doc: DynamoDBDocumentClient;

  private constructor(
    private readonly client: DynamoDBClient,
    private readonly ownsClient: boolean,
    readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  static create(options: DynamoScanStoreOptions): DynamoScanStore {
    if (options.client) {
      if (options.region || options.endpoint) throw new TypeError('DynamoScanStore.create: pass either a client or region/endpoint, not both.');
      return new DynamoScanStore(options.client, false, options.tableName);
    }
    const client = new DynamoDBClient({
      ...(options.region ? { region: options.region } : {}),
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    });
    return new DynamoScanStore(client, true, options.tableName);
  }

  close(): void {
    if (this.ownsClient) this.client.destroy();
  }

  // ---- scans ------------------------------------------------------------------------------------------

  async createScan(scan: Scan): Promise<CreateScanResult> {
    if (scan.version !== 1) throw new RangeError(`A new scan starts at version 1; scan ${scan.id} has version ${scan.version}.`);
    const item = scanItem(scan);
    const doing = `creating scan ${scan.id}`;
    for (let attempt = 0; attempt < MAX_CONFLICT_ATTEMPTS; attempt++) {
      if (attempt > 0) await sleep(backoffMs(attempt));
      try {
        await this.doc.send(
          new TransactWriteCommand({
            ClientRequestToken: randomUUID(),
            TransactItems: [
              { Put: { TableName: this.tableName, Item: scanLockItem(scan), ConditionExpression: 'attribute_not_exists(PK)' } },
              { Put: { TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' } },
            ],
          }),
        );
        return { created: true };
      } catch (error) {
        const codes = cancellationCodes(error);
        if (!codes) throw new DynamoStoreError(doing, this.tableName, error);
        if (codes[1] === 'ConditionalCheckFailed') throw new RangeError(`Scan ${scan.id} already exists.`);
        if (codes[0] === 'ConditionalCheckFailed') {
          const active = await this.holderOfLock(scan.accountId);
          if (active) return { created: false, active };
          // The lock was released meanwhile, or was stale and has just been cleared: try again.
          continue;
        }
        if (codes.includes('TransactionConflict')) continue;
        throw new DynamoStoreError(doing, this.tableName, error);
      }
    }
    throw new DynamoStoreError(doing, this.tableName, new Error(`gave up after ${MAX_CONFLICT_ATTEMPTS} conflicting attempts`));
  }

  /**
   * The active scan holding an account's lock. A lock naming a scan that is no longer active is left
   * over from a saveScan that stopped between its two writes: it is cleared here, so it blocks nothing.
   */
  private async holderOfLock(accountId: string): Promise<Scan | undefined> {
    const lockKey = keys.scanLock(accountId);
    const lock = await this.run('reading an account scan lock', () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: lockKey, ConsistentRead: true })),
    );
    const scanId = lock.Item?.scanId;
    if (typeof scanId !== 'string') return undefined;
    const holder = await this.getScan(scanId);
    if (holder && isActive(holder)) return holder;
    await this.releaseLock(accountId, scanId);
    return undefined;
  }

  /** Deletes the account's lock if `scanId` still holds it; someone else's lock is left alone. */
  private async releaseLock(accountId: string, scanId: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.scanLock(accountId),
          ConditionExpression: 'scanId = :id',
          ExpressionAttributeValues: { ':id': scanId },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return;
      throw new DynamoStoreError(`releasing the scan lock of account ${accountId}`, this.tableName, error);
    }
  }

  // ---- AI classifications ----------------------------------------------------------------------------

  async getClassification(version: string, check: ClassificationKey): Promise<string[] | undefined> {
    const result = await this.run(`reading the classification of ${check.tool}:${check.checkId}`, () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: classificationKey(version, check) })),
    );
    return result.Item ? readClassification(result.Item, this.tableName) : undefined;
  }

  async saveClassification(version: string, check: ClassificationKey, practices: readonly string[], classifiedAt: string): Promise<void> {
    await this.run(`storing the classification of ${check.tool}:${check.checkId}`, () =>
      this.doc.send(new PutCommand({ TableName: this.tableName, Item: classificationItem(version, check, practices, classifiedAt) })),
    );
  }

  async getScan(id: string): Promise<Scan | undefined> {
    const result = await this.run(`reading scan ${id}`, () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.scan(id), ConsistentRead: true })),
    );
    return result.Item ? readScan(result.Item, this.tableName) : undefined;
  }

  async saveScan(next: Scan, expectedVersion: number): Promise<boolean> {
    if (next.version !== expectedVersion + 1) {
      throw new RangeError(`Scan ${next.id}: the new version must be expectedVersion + 1 (${expectedVersion + 1}), got ${next.version}.`);
    }
    const put = {
      TableName: this.tableName,
      Item: scanItem(next),
      ConditionExpression: 'attribute_exists(PK) AND version = :expected',
      ExpressionAttributeValues: { ':expected': expectedVersion },
    };
    const doing = `saving scan ${next.id}`;
    if (isActive(next)) {
      // Still active: the scan must keep (or take) its account's lock, atomically with the write.
      for (let attempt = 0; attempt < MAX_CONFLICT_ATTEMPTS; attempt++) {
        if (attempt > 0) await sleep(backoffMs(attempt));
        try {
          await this.doc.send(
            new TransactWriteCommand({
              ClientRequestToken: randomUUID(),
              TransactItems: [
                { Put: put },
                {
                  Put: {
                    TableName: this.tableName,
                    Item: scanLockItem(next),
                    ConditionExpression: 'attribute_not_exists(PK) OR scanId = :id',
                    ExpressionAttributeValues: { ':id': next.id },
                  },
                },
              ],
            }),
          );
          return true;
        } catch (error) {
          const codes = cancellationCodes(error);
          if (codes?.[0] === 'ConditionalCheckFailed') return false;
          if (codes?.[1] === 'ConditionalCheckFailed') {
            throw new RangeError(`Scan ${next.id} cannot become active: account ${next.accountId} already has an active scan.`);
          }
          if (codes?.includes('TransactionConflict')) continue;
          throw new DynamoStoreError(doing, this.tableName, error);
        }
      }
      throw new DynamoStoreError(doing, this.tableName, new Error(`gave up after ${MAX_CONFLICT_ATTEMPTS} conflicting attempts`));
    }
    // Finished: write the scan, then free the account. Not one transaction, because a finished scan
    // being saved again (another scan of the account may hold the lock by then) must not touch the
    // lock; a crash between the two leaves a stale lock that holderOfLock clears.
    try {
      await this.doc.send(new PutCommand({ ...put, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
    } catch (error) {
      if (!isConditionFailure(error)) throw new DynamoStoreError(doing, this.tableName, error);
      // An SDK retry of our own write whose response was lost fails its condition on what it wrote:
      // the stored body being exactly ours means the write happened.
      if (failedItemString(error, 'body') !== put.Item.body) return false;
    }
    await this.releaseLock(next.accountId, next.id);
    return true;
  }

  async activeScans(): Promise<Scan[]> {
    const items = await this.run('listing active scans', () => queryAll(this.doc, this.indexQuery(INDEX.byCollection, indexPartition.activeScans, true)));
    // The index is updated asynchronously: a just-finished scan may linger there for a moment.
    return items.map((item) => readScan(item, this.tableName)).filter(isActive);
  }

  async latestSucceeded(accountId: string, exceptId = ''): Promise<Scan | undefined> {
    return this.run(`finding the latest succeeded scan of ${accountId}`, async () => {
      const input = { ...this.indexQuery(INDEX.byOwner, indexPartition.accountScans(accountId), false), Limit: 2 };
      for await (const item of queryItems(this.doc, input)) {
        if (item.id !== exceptId) return readScan(item, this.tableName);
      }
      return undefined;
    });
  }

  async recentScans(limit: number): Promise<Scan[]> {
    if (limit <= 0) return [];
    const items = await this.run('listing recent scans', () =>
      queryUpTo(this.doc, this.indexQuery(INDEX.byCollection, indexPartition.finishedScans, false), limit),
    );
    return items.map((item) => readScan(item, this.tableName));
  }

  // ---- findings -----------------------------------------------------------------------------------------

  async addFindings(scanId: string, findings: readonly ScanFinding[]): Promise<void> {
    for (let offset = 0; offset < findings.length; offset += MERGE_CHUNK) {
      // Duplicates within the chunk merge in memory first, so each key is read and written once.
      const chunk = new Map<string, ScanFinding>();
      for (const f of findings.slice(offset, offset + MERGE_CHUNK)) {
        const kept = chunk.get(f.key);
        chunk.set(f.key, kept ? mergeFindings(kept, f) : f);
      }
      await this.run(`adding findings to scan ${scanId}`, async () => {
        const stored = await batchGet(this.doc, this.tableName, [...chunk.keys()].map((key) => keys.finding(scanId, key)));
        for (const item of stored) {
          const existing = readFinding(item, this.tableName);
          const incoming = chunk.get(existing.key);
          if (incoming) chunk.set(existing.key, mergeFindings(existing, incoming));
        }
        await batchWrite(this.doc, this.tableName, puts([...chunk.values()].map((f) => findingItem(scanId, f))));
      });
    }
  }

  async countFindings(scanId: string, topPractices: number, pillarOf: (practiceId: string) => string | undefined): Promise<StoredCounts> {
    const byStatus = zeroByStatus();
    const bySeverity = zeroBySeverity();
    const pillars: PillarScore[] = PILLARS.map((p) => ({ pillar: p.id, pass: 0, fail: 0 }));
    const failingPerPractice = new Map<string, number>();
    const aiPerPractice = new Map<string, number>();
    let findings = 0;
    let unmappedFailing = 0;
    await this.run(`counting the findings of scan ${scanId}`, async () => {
      for await (const f of this.summaries(scanId)) {
        findings += 1;
        byStatus[f.status] += 1;
        if (f.status !== 'fail' && f.status !== 'pass') continue;
        const severity = SEVERITIES[f.rank] ?? 'medium';
        bySeverity[severity][f.status] += 1;
        const status = f.status;
        pillars.forEach((score, i) => {
          if (f.pillarBits & (1 << i)) score[status] += 1;
        });
        if (status === 'fail') {
          if (f.practices.length === 0) unmappedFailing += 1;
          for (const id of new Set(f.practices)) {
            failingPerPractice.set(id, (failingPerPractice.get(id) ?? 0) + 1);
            if (f.mappedBy === 'ai') aiPerPractice.set(id, (aiPerPractice.get(id) ?? 0) + 1);
          }
        }
      }
    });
    const practices = rankPractices(failingPerPractice).filter((p) => pillarOf(p.id) !== undefined);
    return {
      findings,
      byStatus,
      bySeverity,
      pillars,
      topPractices: practices.slice(0, topPractices).map((p) => ({ id: p.id, failing: p.n, ...(aiPerPractice.get(p.id) === p.n ? { ai: true } : {}) })),
      unmappedFailing,
    };
  }

  async delta(scanId: string, previousId: string, tools: readonly Tool[]) {
    const reran = new Set(tools);
    let added = 0;
    let resolved = 0;
    let stillFailing = 0;
    // A merge join of the two scans' failing findings, both read in key order: constant memory.
    await this.run(`comparing scan ${scanId} with ${previousId}`, async () => {
      const current = this.failingSummaries(scanId)[Symbol.asyncIterator]();
      const previous = this.failingSummaries(previousId)[Symbol.asyncIterator]();
      let c = await current.next();
      let p = await previous.next();
      while (!c.done || !p.done) {
        const order = c.done ? 1 : p.done ? -1 : compareKeys(c.value.sk, p.value.sk);
        if (order === 0) {
          stillFailing += 1;
          c = await current.next();
          p = await previous.next();
        } else if (order < 0) {
          added += 1;
          c = await current.next();
        } else {
          // Resolved only if a tool that reported it ran again: a tool left out of this scan proves nothing.
          if (!p.done && p.value.tools.some((tool) => reran.has(tool))) resolved += 1;
          p = await previous.next();
        }
      }
    });
    return { new: added, resolved, stillFailing };
  }

  async failingUnder(scanId: string, practiceId: string, limit: number): Promise<ScanFinding[]> {
    const top = new TopFindings(limit);
    await this.run(`listing failing findings of scan ${scanId} under ${practiceId}`, async () => {
      const input = this.findingsQuery(scanId, {
        FilterExpression: '#st = :fail AND contains(#pr, :practice)',
        ExpressionAttributeNames: { '#st': 'status', '#pr': 'practices' },
        ExpressionAttributeValues: { ':fail': 'fail', ':practice': practiceId },
      });
      for await (const item of queryItems(this.doc, input)) {
        const f = readFindingSummary(item, this.tableName);
        top.offer(f.rank, f.sk, item);
      }
    });
    return top.items.map((e) => readFinding(e.item, this.tableName));
  }

  async failingByPractice(scanId: string, page: { page: number; practicesPerPage: number; findingsPerPractice: number }): Promise<DetailsPage> {
    const failingPerPractice = new Map<string, number>();
    let unmapped = 0;
    return this.run(`paging the failing findings of scan ${scanId}`, async () => {
      // First pass, small attributes only: how many failing findings each practice has.
      for await (const f of this.failingSummaries(scanId)) {
        if (f.practices.length === 0) unmapped += 1;
        for (const id of new Set(f.practices)) failingPerPractice.set(id, (failingPerPractice.get(id) ?? 0) + 1);
      }
      const groups: { id: string | null; n: number }[] = rankPractices(failingPerPractice);
      if (unmapped > 0) groups.push({ id: null, n: unmapped });
      const from = page.page * page.practicesPerPage;
      const slice = groups.slice(from, from + page.practicesPerPage);
      // Second pass: only the page's groups, each keeping its few most severe findings.
      const tops = new Map<string | null, TopFindings>(slice.map((g) => [g.id, new TopFindings(page.findingsPerPractice)]));
      if (slice.length > 0 && page.findingsPerPractice > 0) {
        const input = this.findingsQuery(scanId, {
          FilterExpression: '#st = :fail',
          ExpressionAttributeNames: { '#st': 'status' },
          ExpressionAttributeValues: { ':fail': 'fail' },
        });
        for await (const item of queryItems(this.doc, input)) {
          const f = readFindingSummary(item, this.tableName);
          if (f.practices.length === 0) tops.get(null)?.offer(f.rank, f.sk, item);
          for (const id of new Set(f.practices)) tops.get(id)?.offer(f.rank, f.sk, item);
        }
      }
      const result: PracticeGroup[] = slice.map((group) => ({
        practiceId: group.id,
        total: group.n,
        findings: (tops.get(group.id)?.items ?? []).map((e) => readFinding(e.item, this.tableName)),
      }));
      return { page: page.page, groups: result, hasMore: groups.length > from + page.practicesPerPage };
    });
  }

  async pruneFinished(before: string): Promise<number> {
    const cutoff = canonicalTime(before, 'pruneFinished before');
    return this.run('pruning finished scans', async () => {
      // Every finished scan with finishedAt < cutoff sorts below "<cutoff>#" (same-length times).
      const input: QueryCommandInput = {
        ...this.indexQuery(INDEX.byCollection, indexPartition.finishedScans, true),
        KeyConditionExpression: '#pk = :pk AND #sk < :bound',
        ExpressionAttributeNames: { '#pk': INDEX.byCollection.partition, '#sk': INDEX.byCollection.sort },
        ExpressionAttributeValues: { ':pk': indexPartition.finishedScans, ':bound': timeOrdered(cutoff, '') },
      };
      const newest = new Map<string, string | undefined>();
      let pruned = 0;
      for (const item of await queryAll(this.doc, input)) {
        const scan = readScan(item, this.tableName);
        if (!newest.has(scan.accountId)) newest.set(scan.accountId, (await this.latestSucceeded(scan.accountId))?.id);
        // The next delta of the account compares against its newest succeeded scan: never pruned.
        if (newest.get(scan.accountId) === scan.id) continue;
        await this.deleteScan(scan.id);
        pruned += 1;
      }
      return pruned;
    });
  }

  /** Findings first, the scan item last: a prune cut short leaves the scan listed, to be pruned again. */
  private async deleteScan(scanId: string): Promise<void> {
    const input = this.findingsQuery(scanId, { ProjectionExpression: 'PK, SK' });
    let batch: ItemKey[] = [];
    for await (const item of queryItems(this.doc, input)) {
      batch.push({ PK: String(item.PK), SK: String(item.SK) });
      if (batch.length === 25 * 4) {
        await batchWrite(this.doc, this.tableName, deletes(batch));
        batch = [];
      }
    }
    await batchWrite(this.doc, this.tableName, deletes([...batch, keys.scan(scanId)]));
  }

  // ---- helpers ----------------------------------------------------------------------------------------

  private findingsQuery(scanId: string, extra: Partial<QueryCommandInput>): QueryCommandInput {
    return {
      TableName: this.tableName,
      ...extra,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :findings)',
      ExpressionAttributeValues: { ...extra.ExpressionAttributeValues, ':pk': keys.scanPartition(scanId), ':findings': FINDING_PREFIX_VALUE },
    };
  }

  /** Every finding of a scan without its body, one Query page at a time. */
  private async *summaries(scanId: string, failingOnly = false): AsyncGenerator<FindingSummary> {
    const names = { '#sk': 'SK', '#st': 'status', '#rk': 'rank', '#pr': 'practices', '#pb': 'pillarBits', '#tl': 'tools', '#mb': 'mappedBy' };
    const input = this.findingsQuery(scanId, {
      ProjectionExpression: Object.keys(names).join(', '),
      ExpressionAttributeNames: names,
      ...(failingOnly ? { FilterExpression: '#st = :fail', ExpressionAttributeValues: { ':fail': 'fail' } } : {}),
    });
    for await (const item of queryItems(this.doc, input)) yield readFindingSummary(item, this.tableName);
  }

  private failingSummaries(scanId: string): AsyncGenerator<FindingSummary> {
    return this.summaries(scanId, true);
  }

  private indexQuery(index: { name: string; partition: string }, partition: string, ascending: boolean): QueryCommandInput {
    return {
      TableName: this.tableName,
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': index.partition },
      ExpressionAttributeValues: { ':pk': partition },
      ScanIndexForward: ascending,
    };
  }

  private async run<T>(doing: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      // Our own errors (corrupt items, refusals) already say what is wrong.
      if (error instanceof DynamoStoreError || (error instanceof Error && error.name === 'CorruptScanItemError')) throw error;
      throw new DynamoStoreError(doing, this.tableName, error);
    }
  }
}

/** Most failing first, then by id: the order of the SQLite adapter's GROUP BY … ORDER BY n DESC, id. */
function rankPractices(counts: ReadonlyMap<string, number>): { id: string; n: number }[] {
  return [...counts]
    .map(([id, n]) => ({ id, n }))
    .sort((a, b) => b.n - a.n || compareKeys(a.id, b.id));
}
