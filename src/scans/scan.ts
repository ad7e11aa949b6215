import { z } from 'zod';
import { FINDING_STATUSES, SEVERITIES, TOOLS, type FindingStatus, type Severity, type Tool } from './finding.js';
import { PILLARS, type PillarId } from './wafr/catalog-types.js';

/**
 * A scan's lifecycle: starting (record written, Step Functions not yet called) → running (execution
 * started) → ingesting (results being read) → succeeded | failed. Every change is a compare-and-set on
 * `version`, so two replicas polling one execution ingest it once.
 */
export const SCAN_STATES = ['starting', 'running', 'ingesting', 'succeeded', 'failed'] as const;
export type ScanState = (typeof SCAN_STATES)[number];
/** At most one scan per account may be in these states. */
export const ACTIVE_SCAN_STATES: readonly ScanState[] = ['starting', 'running', 'ingesting'];

export const TOOL_STATES = ['pending', 'running', 'succeeded', 'failed', 'skipped'] as const;
export type ToolState = (typeof TOOL_STATES)[number];

export interface ChatMessageRef {
  channel: string;
  ts: string;
}

export interface SeverityCounts {
  fail: number;
  pass: number;
}

export interface PillarScore {
  pillar: PillarId;
  pass: number;
  fail: number;
}

export interface PracticeCount {
  id: string;
  failing: number;
  /** True when every failing finding under it was mapped by the AI classifier (absent in older summaries). */
  ai?: boolean;
}

export interface ScanDelta {
  previousScanId: string;
  previousAt: string;
  /** Failing now, not failing in the previous scan. */
  new: number;
  /** Failing in the previous scan, not now (among the tools both scans ran). */
  resolved: number;
  stillFailing: number;
}

/** What the summary card shows; computed once when the results are stored. */
export interface ScanSummary {
  /** Findings after de-duplication. */
  findings: number;
  byStatus: Record<FindingStatus, number>;
  bySeverity: Record<Severity, SeverityCounts>;
  pillars: PillarScore[];
  /** Failing best practices with the most failing findings first. */
  topPractices: PracticeCount[];
  /** Failing findings no best practice covers. */
  unmappedFailing: number;
  /**
   * Set when a Bedrock classifier was configured: how many findings (before de-duplication) it mapped,
   * with which model, and why some were left unmapped. Optional so summaries stored before it still read.
   */
  ai?: { classified: number; modelId: string; note?: string };
  delta: ScanDelta | null;
  /** Problems met while reading the results (damaged files), the first few in full. */
  problems: { total: number; examples: string[] };
}

export interface Scan {
  id: string;
  accountId: string;
  accountName: string;
  source: 'stepfunctions' | 'import';
  state: ScanState;
  version: number;
  tools: Tool[];
  regions: string[];
  toolStates: Partial<Record<Tool, ToolState>>;
  /** Org user id of who asked. */
  requestedBy: string;
  /** Where it was asked, and the one message that shows its progress and then its summary. */
  channel: string;
  message: ChatMessageRef | null;
  executionArn: string | null;
  resultsLocation: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  error: string | null;
  summary: ScanSummary | null;
}

const counts = z.object({ fail: z.number().int().nonnegative(), pass: z.number().int().nonnegative() });
const pillarIds = PILLARS.map((p) => p.id) as [PillarId, ...PillarId[]];

export const ScanSummarySchema = z.object({
  findings: z.number().int().nonnegative(),
  byStatus: z.record(z.enum(FINDING_STATUSES), z.number().int().nonnegative()),
  bySeverity: z.record(z.enum(SEVERITIES), counts),
  pillars: z.array(z.object({ pillar: z.enum(pillarIds), pass: z.number().int(), fail: z.number().int() })),
  topPractices: z.array(z.object({ id: z.string(), failing: z.number().int(), ai: z.boolean().optional() })),
  unmappedFailing: z.number().int().nonnegative(),
  ai: z.object({ classified: z.number().int().nonnegative(), modelId: z.string(), note: z.string().optional() }).optional(),
  delta: z
    .object({ previousScanId: z.string(), previousAt: z.string(), new: z.number().int(), resolved: z.number().int(), stillFailing: z.number().int() })
    .nullable(),
  problems: z.object({ total: z.number().int().nonnegative(), examples: z.array(z.string()) }),
});

/** Checks a scan read back from storage (the store's row codec uses it). */
export const ScanSchema = z.object({
  id: z.string().min(1),
  accountId: z.string(),
  accountName: z.string(),
  source: z.enum(['stepfunctions', 'import']),
  state: z.enum(SCAN_STATES),
  version: z.number().int().positive(),
  tools: z.array(z.enum(TOOLS)),
  regions: z.array(z.string()),
  toolStates: z.partialRecord(z.enum(TOOLS), z.enum(TOOL_STATES)),
  requestedBy: z.string(),
  channel: z.string(),
  message: z.object({ channel: z.string(), ts: z.string() }).nullable(),
  executionArn: z.string().nullable(),
  resultsLocation: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  summary: ScanSummarySchema.nullable(),
});
