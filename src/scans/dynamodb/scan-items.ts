import { z } from 'zod';
import { canonicalTime } from '../../store/shared/codec.js';
import { indexPartition, keys, timeOrdered, type ItemKey } from '../../store/dynamodb/keys.js';
import { FINDING_STATUSES, SEVERITIES, TOOLS, type FindingStatus, type Tool } from '../finding.js';
import type { ScanFinding } from '../normalize/scan-finding.js';
import { ACTIVE_SCAN_STATES, ScanSchema, type Scan } from '../scan.js';
import { ScanFindingSchema } from '../finding-schema.js';
import { StoredPracticesSchema } from '../wafr/classification-cache.js';
import { MAPPING_SOURCES, type MappingSource } from '../wafr/mapper.js';
import { PILLARS } from '../wafr/catalog-types.js';

/*
 * Scans and findings ↔ DynamoDB items. As for requests, the JSON `body` is the source of truth and is
 * checked with zod on every read (a console edit or an older Warden can leave anything there); the
 * other attributes exist to be keyed, indexed, filtered or projected, so counting never parses bodies.
 */

export type Item = Record<string, unknown>;

/** A stored item that does not parse: names it so someone can find it. */
export class CorruptScanItemError extends Error {
  constructor(tableName: string, key: ItemKey | string, problem: string) {
    const where = typeof key === 'string' ? key : `PK ${JSON.stringify(key.PK)}, SK ${JSON.stringify(key.SK)}`;
    super(`Stored scan item (${where}) in DynamoDB table ${JSON.stringify(tableName)} is corrupted: ${problem}`);
    this.name = 'CorruptScanItemError';
  }
}


function itemKey(item: Item): ItemKey {
  return { PK: typeof item.PK === 'string' ? item.PK : '(no PK)', SK: typeof item.SK === 'string' ? item.SK : '(no SK)' };
}

function parseBody<S extends z.ZodType>(schema: S, item: Item, tableName: string): z.infer<S> {
  if (typeof item.body !== 'string') throw new CorruptScanItemError(tableName, itemKey(item), 'no string body');
  let value: unknown;
  try {
    value = JSON.parse(item.body);
  } catch {
    throw new CorruptScanItemError(tableName, itemKey(item), 'body is not JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new CorruptScanItemError(tableName, itemKey(item), parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  return parsed.data;
}

export const isActive = (scan: Pick<Scan, 'state'>): boolean => ACTIVE_SCAN_STATES.includes(scan.state);

/**
 * The scan item. GSI2 holds it under SCANS_ACTIVE (by creation) while active and SCANS_FINISHED (by
 * finish time) once finished; GSI1 holds succeeded scans under their account, by finish time.
 */
export function scanItem(scan: Scan): Item {
  const createdAt = canonicalTime(scan.createdAt, `Scan ${scan.id} createdAt`);
  const finishedAt = scan.finishedAt ? canonicalTime(scan.finishedAt, `Scan ${scan.id} finishedAt`) : undefined;
  const active = isActive(scan);
  const finished = !active && finishedAt !== undefined;
  const succeeded = scan.state === 'succeeded' && finishedAt !== undefined;
  return {
    ...keys.scan(scan.id),
    kind: 'scan',
    id: scan.id,
    accountId: scan.accountId,
    state: scan.state,
    version: scan.version,
    createdAt,
    finishedAt,
    body: JSON.stringify(scan),
    GSI1PK: succeeded ? indexPartition.accountScans(scan.accountId) : undefined,
    GSI1SK: succeeded ? timeOrdered(finishedAt, scan.id) : undefined,
    GSI2PK: active ? indexPartition.activeScans : finished ? indexPartition.finishedScans : undefined,
    GSI2SK: active ? timeOrdered(createdAt, scan.id) : finished ? timeOrdered(finishedAt, scan.id) : undefined,
  };
}

export function readScan(item: Item, tableName: string): Scan {
  return parseBody(ScanSchema, item, tableName);
}

export function scanLockItem(scan: Scan): Item {
  return { ...keys.scanLock(scan.accountId), kind: 'scan_lock', scanId: scan.id, accountId: scan.accountId };
}

const PILLAR_INDEX = new Map<string, number>(PILLARS.map((p, i) => [p.id, i]));

export function findingItem(scanId: string, f: ScanFinding): Item {
  // Passing findings are most of a scan and no card shows their remediation or message: not kept.
  const body = f.status === 'pass' && (f.remediation || f.detail) ? { ...f, remediation: '', detail: '' } : f;
  return {
    ...keys.finding(scanId, f.key),
    kind: 'finding',
    status: f.status,
    rank: SEVERITIES.indexOf(f.severity),
    // DynamoDB refuses empty sets, and lists keep order: the practices as a list (possibly empty).
    practices: f.practices,
    pillarBits: f.pillars.reduce((bits, pillar) => bits | (1 << PILLAR_INDEX.get(pillar)!), 0),
    tools: f.tools,
    // Projected when counting, to mark best practices only the AI classifier found.
    mappedBy: f.mappedBy,
    body: JSON.stringify(body),
  };
}

export function readFinding(item: Item, tableName: string): ScanFinding {
  return parseBody(ScanFindingSchema, item, tableName);
}

/** The few attributes counting and the delta read: no body. */
export interface FindingSummary {
  sk: string;
  status: FindingStatus;
  rank: number;
  practices: string[];
  pillarBits: number;
  tools: Tool[];
  /** Absent on items written before it was projected. */
  mappedBy?: MappingSource | undefined;
}

const SummarySchema = z.object({
  SK: z.string(),
  status: z.enum(FINDING_STATUSES),
  rank: z.number().int().min(0),
  practices: z.array(z.string()),
  pillarBits: z.number().int().min(0),
  tools: z.array(z.enum(TOOLS)),
  mappedBy: z.enum(MAPPING_SOURCES).optional(),
});

export function readFindingSummary(item: Item, tableName: string): FindingSummary {
  const parsed = SummarySchema.safeParse(item);
  if (!parsed.success) {
    throw new CorruptScanItemError(tableName, itemKey(item), parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  const { SK, ...rest } = parsed.data;
  return { sk: SK, ...rest };
}

/**
 * An AI classification: one small item per catalog/prompt version, tool and check, in its own
 * partition per version (a new catalog's classifications never mix with the old ones').
 */
export function classificationKey(version: string, check: { tool: Tool; checkId: string }): ItemKey {
  return { PK: `WAFR_CLASSIFICATION#${version}`, SK: `${check.tool}#${check.checkId}` };
}

export function classificationItem(version: string, check: { tool: Tool; checkId: string }, practices: readonly string[], classifiedAt: string): Item {
  return { ...classificationKey(version, check), kind: 'wafr_classification', practices: JSON.stringify(practices), classifiedAt };
}

export function readClassification(item: Item, tableName: string): string[] {
  return parseBody(StoredPracticesSchema, { ...item, body: item.practices }, tableName);
}
