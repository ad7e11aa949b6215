import type { Tool } from './finding.js';
import type { ScanFinding } from './normalize/scan-finding.js';
import type { Scan, ScanDelta, ScanSummary } from './scan.js';

/** One best practice's failing findings on a details page (only the first few are listed). */
export interface PracticeGroup {
  /** A best-practice id, or null for findings no best practice covers. */
  practiceId: string | null;
  total: number;
  findings: ScanFinding[];
}

export interface DetailsPage {
  page: number;
  groups: PracticeGroup[];
  hasMore: boolean;
}

/** What the store counts for a summary; the workflow adds the delta and the reading problems. */
export type StoredCounts = Omit<ScanSummary, 'delta' | 'problems'>;

export type CreateScanResult = { created: true } | { created: false; active: Scan };

/**
 * Persistence of scans and their findings, separate from the access Store so either can move to
 * another database on its own. Scan writes are compare-and-set on `version`, like requests.
 */
export interface ScanStore {
  /**
   * Inserts a new scan (version 1). At most one scan per account may be active (starting, running or
   * ingesting): if one is, nothing is written and it is returned.
   */
  createScan(scan: Scan): Promise<CreateScanResult>;
  getScan(id: string): Promise<Scan | undefined>;
  /** Writes `next` (version expectedVersion + 1) only if the stored version is still expectedVersion. */
  saveScan(next: Scan, expectedVersion: number): Promise<boolean>;
  /** Every active scan, oldest first: for `/scan status` and to resume tracking after a restart. */
  activeScans(): Promise<Scan[]>;
  /** The newest succeeded scan of an account, other than `exceptId`. */
  latestSucceeded(accountId: string, exceptId?: string): Promise<Scan | undefined>;
  /** The newest finished scans (succeeded or failed), newest first. */
  recentScans(limit: number): Promise<Scan[]>;

  /** Adds findings to a scan; a finding whose key is already there is merged into it (de-duplication). */
  addFindings(scanId: string, findings: readonly ScanFinding[]): Promise<void>;
  countFindings(scanId: string, topPractices: number, pillarOf: (practiceId: string) => string | undefined): Promise<StoredCounts>;
  /** New, resolved and still failing against `previousId`; "resolved" only counts what `tools` re-checked. */
  delta(scanId: string, previousId: string, tools: readonly Tool[]): Promise<Omit<ScanDelta, 'previousScanId' | 'previousAt'>>;
  /** Failing findings grouped by best practice (most failing first, unmapped last), a page of groups at a time. */
  failingByPractice(scanId: string, page: { page: number; practicesPerPage: number; findingsPerPractice: number }): Promise<DetailsPage>;
  /** Failing findings under one best practice, most severe first. */
  failingUnder(scanId: string, practiceId: string, limit: number): Promise<ScanFinding[]>;
  /** Deletes finished scans that finished before `before`, keeping each account's newest succeeded one. */
  pruneFinished(before: string): Promise<number>;

  /**
   * The AI classification of a check (best-practice ids, possibly none) stored under a catalog/prompt
   * `version`; undefined when that check was never classified under it. Kept apart from scans: pruning
   * scans leaves it, so the same check is not classified twice.
   */
  getClassification(version: string, check: ClassificationKey): Promise<string[] | undefined>;
  /** Stores a classification that passed the deterministic checks; a later one for the same key replaces it. */
  saveClassification(version: string, check: ClassificationKey, practices: readonly string[], classifiedAt: string): Promise<void>;
}

/** What a classification is kept by: the tool and its check id (the check, not the resource, decides the practice). */
export interface ClassificationKey {
  tool: Tool;
  checkId: string;
}
