import { worse, type FindingStatus, type ParsedFinding, type RawRef, type Severity, type Tool } from '../finding.js';
import type { PillarId, WafrCatalog } from '../wafr/catalog.js';
import { issueKey, mapFinding, type Mapping, type MappingSource } from '../wafr/mapper.js';

/** A finding as stored: normalized, mapped to best practices, and keyed so duplicates merge. */
export interface ScanFinding {
  /** Same issue + same resource ⇒ same key, whichever tool reported it. */
  key: string;
  tools: Tool[];
  checkId: string;
  title: string;
  severity: Severity;
  status: FindingStatus;
  resource: string;
  region: string;
  account: string;
  service: string;
  remediation: string;
  detail: string;
  practices: string[];
  pillars: PillarId[];
  mappedBy: MappingSource;
  raw: RawRef;
}

export interface NormalizeContext {
  /** The scanned account, for findings whose output does not name one. */
  account: string;
}

/**
 * The de-duplication key. ARNs already hold the region where it matters (and IAM's global ARNs
 * must match whatever region a tool filed them under), so the region counts only for bare ids.
 */
export function findingKey(f: Pick<ScanFinding, 'account' | 'resource' | 'region'> & Pick<ParsedFinding, 'tool' | 'checkId'>): string {
  const resource = f.resource || '(account)';
  const region = resource.startsWith('arn:') ? '' : `|${f.region}`;
  return `${issueKey(f)}|${f.account}|${resource}${region}`;
}

export function normalize(
  catalog: WafrCatalog,
  parsed: ParsedFinding,
  context: NormalizeContext,
  map: (finding: ParsedFinding) => Mapping = (f) => mapFinding(catalog, f),
): { finding: ScanFinding; unknownIds: string[] } {
  const mapping = map(parsed);
  const account = parsed.account || context.account;
  const base = { ...parsed, account };
  return {
    finding: {
      key: findingKey(base),
      tools: [parsed.tool],
      checkId: parsed.checkId,
      title: parsed.title,
      severity: mapping.severity,
      status: parsed.status,
      resource: parsed.resource,
      region: parsed.region,
      account,
      service: parsed.service,
      remediation: parsed.remediation,
      detail: parsed.detail,
      practices: mapping.practices,
      pillars: mapping.pillars,
      mappedBy: mapping.via,
      raw: parsed.raw,
    },
    unknownIds: mapping.unknownIds,
  };
}

// A failure anywhere wins: two tools disagreeing about one resource is worth a look, not a pass.
const STATUS_PRECEDENCE: FindingStatus[] = ['fail', 'manual', 'unknown', 'pass'];
function stronger(a: FindingStatus, b: FindingStatus): FindingStatus {
  return STATUS_PRECEDENCE.indexOf(a) <= STATUS_PRECEDENCE.indexOf(b) ? a : b;
}

function union<T>(a: readonly T[], b: readonly T[]): T[] {
  return [...new Set([...a, ...b])];
}

/** Merges two reports of the same issue on the same resource (same key). */
export function mergeFindings(kept: ScanFinding, other: ScanFinding): ScanFinding {
  const first = kept.mappedBy === 'none' && other.mappedBy !== 'none' ? other : kept;
  return {
    ...kept,
    tools: union(kept.tools, other.tools),
    severity: worse(kept.severity, other.severity),
    status: stronger(kept.status, other.status),
    practices: union(kept.practices, other.practices),
    pillars: union(kept.pillars, other.pillars),
    mappedBy: first.mappedBy,
    remediation: kept.remediation || other.remediation,
    detail: kept.status === 'fail' || other.status !== 'fail' ? kept.detail : other.detail,
  };
}
