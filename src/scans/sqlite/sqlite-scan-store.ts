import Database from 'better-sqlite3';
import { z } from 'zod';
import { FINDING_STATUSES, SEVERITIES, type FindingStatus, type Severity, type Tool } from '../finding.js';
import { mergeFindings, type ScanFinding } from '../normalize/scan-finding.js';
import { ScanSchema, type PillarScore, type Scan } from '../scan.js';
import type { ClassificationKey, CreateScanResult, DetailsPage, PracticeGroup, ScanStore, StoredCounts } from '../store.js';
import { ScanFindingSchema } from '../finding-schema.js';
import { StoredPracticesSchema } from '../wafr/classification-cache.js';
import { PILLARS } from '../wafr/catalog-types.js';
import { SCAN_SQL } from './scan-sql.js';

/** A stored row that does not parse: names it so someone can find it. */
export class CorruptScanRowError extends Error {
  constructor(table: string, key: string, problem: string) {
    super(`Stored ${table} row ${JSON.stringify(key)} is corrupted: ${problem}`);
    this.name = 'CorruptScanRowError';
  }
}


function parseRow<S extends z.ZodType>(schema: S, body: string, table: string, key: string): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new CorruptScanRowError(table, key, 'body is not JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new CorruptScanRowError(table, key, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
}

const readScan = (row: { id: string; body: string }): Scan => parseRow(ScanSchema, row.body, 'scans', row.id);
const readFinding = (body: string, scanId: string): ScanFinding => parseRow(ScanFindingSchema, body, 'scan_findings', scanId);

function scanColumns(scan: Scan) {
  return {
    id: scan.id,
    accountId: scan.accountId,
    state: scan.state,
    version: scan.version,
    createdAt: scan.createdAt,
    finishedAt: scan.finishedAt,
    body: JSON.stringify(scan),
  };
}

const PILLAR_INDEX = new Map<string, number>(PILLARS.map((p, i) => [p.id, i]));

function findingColumns(scanId: string, f: ScanFinding) {
  // Passing findings are most of a scan and no card shows their remediation or message: not kept.
  const body = f.status === 'pass' && (f.remediation || f.detail) ? { ...f, remediation: '', detail: '' } : f;
  return {
    scanId,
    key: f.key,
    status: f.status,
    severityRank: SEVERITIES.indexOf(f.severity),
    practices: JSON.stringify(f.practices),
    pillarBits: f.pillars.reduce((bits, pillar) => bits | (1 << PILLAR_INDEX.get(pillar)!), 0),
    tools: JSON.stringify(f.tools),
    body: JSON.stringify(body),
  };
}

function zeroByStatus(): Record<FindingStatus, number> {
  return Object.fromEntries(FINDING_STATUSES.map((s) => [s, 0])) as Record<FindingStatus, number>;
}

function zeroBySeverity(): Record<Severity, { fail: number; pass: number }> {
  return Object.fromEntries(SEVERITIES.map((s) => [s, { fail: 0, pass: 0 }])) as Record<Severity, { fail: number; pass: number }>;
}

/**
 * The ScanStore over the same better-sqlite3 connection as the SQLite Store (its migrations create the
 * tables). Calls run synchronously on the connection, so a transaction is never interleaved.
 */
export class SqliteScanStore implements ScanStore {
  private readonly stmts;
  private readonly addFindingsTx: (scanId: string, findings: readonly ScanFinding[]) => void;

  constructor(private readonly db: Database.Database) {
    const s = SCAN_SQL;
    db.exec(s.createClassifications);
    this.stmts = {
      insertScan: db.prepare<ReturnType<typeof scanColumns>>(s.insertScan),
      updateScanIfVersion: db.prepare<ReturnType<typeof scanColumns> & { expectedVersion: number }>(s.updateScanIfVersion),
      getScan: db.prepare<[string], { id: string; body: string }>(s.getScan),
      activeFor: db.prepare<[string], { id: string; body: string }>(s.activeFor),
      activeScans: db.prepare<[], { id: string; body: string }>(s.activeScans),
      latestSucceeded: db.prepare<{ accountId: string; exceptId: string }, { id: string; body: string }>(s.latestSucceeded),
      recentScans: db.prepare<[number], { id: string; body: string }>(s.recentScans),
      pruneFinished: db.prepare<{ before: string }>(s.pruneFinished),
      getFinding: db.prepare<[string, string], { body: string }>(s.getFinding),
      upsertFinding: db.prepare<ReturnType<typeof findingColumns>>(s.upsertFinding),
      insertFindingIfNew: db.prepare<ReturnType<typeof findingColumns>>(s.insertFindingIfNew),
      countByStatusSeverity: db.prepare<[string], { status: string; rank: number; n: number }>(s.countByStatusSeverity),
      countByPillar: db.prepare<[string], { bits: number; status: string; n: number }>(s.countByPillar),
      failingByPractice: db.prepare<[string], { id: string; n: number; ai: number }>(s.failingByPractice),
      unmappedFailing: db.prepare<[string], { n: number }>(s.unmappedFailing),
      failingUnder: db.prepare<{ scanId: string; practiceId: string; limit: number }, { body: string }>(s.failingUnder),
      failingUnmapped: db.prepare<{ scanId: string; limit: number }, { body: string }>(s.failingUnmapped),
      deltaNew: db.prepare<{ current: string; previous: string }, { n: number }>(s.deltaNew),
      deltaStill: db.prepare<{ current: string; previous: string }, { n: number }>(s.deltaStill),
      deltaResolved: db.prepare<{ current: string; previous: string; tools: string }, { n: number }>(s.deltaResolved),
      getClassification: db.prepare<{ version: string; tool: string; checkId: string }, { practices: string }>(s.getClassification),
      saveClassification: db.prepare<{ version: string; tool: string; checkId: string; practices: string; classifiedAt: string }>(s.saveClassification),
    };
    this.addFindingsTx = db.transaction((scanId: string, findings: readonly ScanFinding[]) => {
      for (const finding of findings) {
        if (this.stmts.insertFindingIfNew.run(findingColumns(scanId, finding)).changes === 1) continue;
        const existing = this.stmts.getFinding.get(scanId, finding.key);
        const merged = existing ? mergeFindings(readFinding(existing.body, scanId), finding) : finding;
        this.stmts.upsertFinding.run(findingColumns(scanId, merged));
      }
    });
  }

  async createScan(scan: Scan): Promise<CreateScanResult> {
    if (scan.version !== 1) throw new RangeError(`A new scan starts at version 1; scan ${scan.id} has version ${scan.version}.`);
    try {
      this.stmts.insertScan.run(scanColumns(scan));
      return { created: true };
    } catch (error) {
      if (error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_UNIQUE') {
        const active = this.stmts.activeFor.get(scan.accountId);
        if (active) return { created: false, active: readScan(active) };
      }
      throw error;
    }
  }

  async getScan(id: string): Promise<Scan | undefined> {
    const row = this.stmts.getScan.get(id);
    return row ? readScan(row) : undefined;
  }

  async saveScan(next: Scan, expectedVersion: number): Promise<boolean> {
    if (next.version !== expectedVersion + 1) {
      throw new RangeError(`Scan ${next.id}: the new version must be expectedVersion + 1 (${expectedVersion + 1}), got ${next.version}.`);
    }
    return this.stmts.updateScanIfVersion.run({ ...scanColumns(next), expectedVersion }).changes === 1;
  }

  async activeScans(): Promise<Scan[]> {
    return this.stmts.activeScans.all().map(readScan);
  }

  async latestSucceeded(accountId: string, exceptId = ''): Promise<Scan | undefined> {
    const row = this.stmts.latestSucceeded.get({ accountId, exceptId });
    return row ? readScan(row) : undefined;
  }

  async recentScans(limit: number): Promise<Scan[]> {
    return this.stmts.recentScans.all(limit).map(readScan);
  }

  async addFindings(scanId: string, findings: readonly ScanFinding[]): Promise<void> {
    if (findings.length > 0) this.addFindingsTx(scanId, findings);
  }

  async countFindings(scanId: string, topPractices: number, pillarOf: (practiceId: string) => string | undefined): Promise<StoredCounts> {
    const byStatus = zeroByStatus();
    const bySeverity = zeroBySeverity();
    let findings = 0;
    for (const row of this.stmts.countByStatusSeverity.all(scanId)) {
      const status = row.status as FindingStatus;
      const severity = SEVERITIES[row.rank] ?? 'medium';
      findings += row.n;
      byStatus[status] += row.n;
      if (status === 'fail' || status === 'pass') bySeverity[severity][status] += row.n;
    }
    const pillars: PillarScore[] = PILLARS.map((p) => ({ pillar: p.id, pass: 0, fail: 0 }));
    for (const row of this.stmts.countByPillar.all(scanId)) {
      const status = row.status;
      if (status !== 'pass' && status !== 'fail') continue;
      pillars.forEach((score, i) => {
        if (row.bits & (1 << i)) score[status] += row.n;
      });
    }
    const practices = this.stmts.failingByPractice.all(scanId).filter((row) => pillarOf(row.id) !== undefined);
    return {
      findings,
      byStatus,
      bySeverity,
      pillars,
      topPractices: practices.slice(0, topPractices).map((row) => ({ id: row.id, failing: row.n, ...(row.ai === row.n ? { ai: true } : {}) })),
      unmappedFailing: this.stmts.unmappedFailing.get(scanId)?.n ?? 0,
    };
  }

  async delta(scanId: string, previousId: string, tools: readonly Tool[]) {
    const ids = { current: scanId, previous: previousId };
    return {
      new: this.stmts.deltaNew.get(ids)?.n ?? 0,
      resolved: this.stmts.deltaResolved.get({ ...ids, tools: JSON.stringify(tools) })?.n ?? 0,
      stillFailing: this.stmts.deltaStill.get(ids)?.n ?? 0,
    };
  }

  async failingUnder(scanId: string, practiceId: string, limit: number): Promise<ScanFinding[]> {
    return this.stmts.failingUnder.all({ scanId, practiceId, limit }).map((row) => readFinding(row.body, scanId));
  }

  async failingByPractice(scanId: string, page: { page: number; practicesPerPage: number; findingsPerPractice: number }): Promise<DetailsPage> {
    const groups: { id: string | null; n: number }[] = this.stmts.failingByPractice.all(scanId);
    const unmapped = this.stmts.unmappedFailing.get(scanId)?.n ?? 0;
    if (unmapped > 0) groups.push({ id: null, n: unmapped });
    const from = page.page * page.practicesPerPage;
    const slice = groups.slice(from, from + page.practicesPerPage);
    const limit = page.findingsPerPractice;
    const result: PracticeGroup[] = slice.map((group) => ({
      practiceId: group.id,
      total: group.n,
      findings:
        group.id === null
          ? this.stmts.failingUnmapped.all({ scanId, limit }).map((row) => readFinding(row.body, scanId))
          : this.stmts.failingUnder.all({ scanId, practiceId: group.id, limit }).map((row) => readFinding(row.body, scanId)),
    }));
    return { page: page.page, groups: result, hasMore: groups.length > from + page.practicesPerPage };
  }

  async pruneFinished(before: string): Promise<number> {
    return this.stmts.pruneFinished.run({ before }).changes;
  }

  async getClassification(version: string, check: ClassificationKey): Promise<string[] | undefined> {
    const row = this.stmts.getClassification.get({ version, tool: check.tool, checkId: check.checkId });
    return row ? parseRow(StoredPracticesSchema, row.practices, 'wafr_classifications', `${version}/${check.tool}:${check.checkId}`) : undefined;
  }

  async saveClassification(version: string, check: ClassificationKey, practices: readonly string[], classifiedAt: string): Promise<void> {
    this.stmts.saveClassification.run({ version, tool: check.tool, checkId: check.checkId, practices: JSON.stringify(practices), classifiedAt });
  }
}
