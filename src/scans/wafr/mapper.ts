import type { ParsedFinding, Severity } from '../finding.js';
import type { WafrCatalog, PillarId } from './catalog.js';
import { CLOUDSPLOIT_CATEGORIES, CLOUDSPLOIT_PLUGINS, custodianRule, PROWLER_SUPPLEMENT } from './mapping-table.js';

/**
 * How a finding's best practices were found, most trusted first:
 * finding: the finding carries them (Prowler's compliance data); author: the Custodian policy's
 * metadata; prowler-compliance: Prowler's compliance files list the check; table: our own table, by
 * check, plugin or policy name; category: our table, by CloudSploit category only; ai: the Bedrock
 * classifier (ai-classifier.ts, applied at ingestion to what none of the others cover); none: nothing covers it.
 */
export const MAPPING_SOURCES = ['finding', 'author', 'prowler-compliance', 'table', 'category', 'ai', 'none'] as const;
export type MappingSource = (typeof MAPPING_SOURCES)[number];

export interface Mapping {
  practices: string[];
  pillars: PillarId[];
  via: MappingSource;
  severity: Severity;
  /** Ids the finding cited that the catalog does not know (e.g. from a newer framework edition). */
  unknownIds: string[];
}

function unique<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

/**
 * Maps a finding to catalog best practices and settles its severity. Deterministic: the same finding
 * always gets the same answer, and only ids that exist in the catalog come out.
 */
export function mapFinding(catalog: WafrCatalog, finding: ParsedFinding): Mapping {
  const unknownIds: string[] = [];
  const known = (ids: readonly string[]): string[] => {
    const out: string[] = [];
    for (const id of ids) {
      const practice = catalog.practice(id);
      if (practice) out.push(practice.id);
      else unknownIds.push(id);
    }
    return unique(out);
  };

  let practices: string[] = [];
  let via: MappingSource = 'none';
  let tableSeverity: Severity | undefined;
  const attempt = (ids: readonly string[], source: MappingSource): boolean => {
    if (practices.length > 0) return true;
    practices = known(ids);
    if (practices.length > 0) via = source;
    return practices.length > 0;
  };

  attempt(finding.compliance, 'finding');
  attempt(finding.authorMapping?.bestPractices ?? [], 'author');
  switch (finding.tool) {
    case 'prowler':
      attempt(catalog.prowlerCheck(finding.checkId), 'prowler-compliance');
      attempt(PROWLER_SUPPLEMENT[finding.checkId] ?? [], 'table');
      break;
    case 'cloudsploit': {
      const plugin = CLOUDSPLOIT_PLUGINS[finding.checkId];
      tableSeverity = plugin?.severity;
      attempt(plugin?.practices ?? [], 'table');
      const category = Object.entries(CLOUDSPLOIT_CATEGORIES).find(([name]) => name.toLowerCase() === finding.service.toLowerCase());
      attempt(category?.[1] ?? [], 'category');
      break;
    }
    case 'custodian': {
      const rule = custodianRule(finding.checkId);
      tableSeverity = rule?.severity;
      attempt(rule?.practices ?? [], 'table');
      break;
    }
  }
  const pillars = unique(practices.map((id) => catalog.pillarOf(id)).filter((p): p is PillarId => p !== undefined));
  return { practices, pillars, via, severity: finding.severity ?? tableSeverity ?? 'medium', unknownIds: unique(unknownIds) };
}

/** A finding's inputs to mapFinding, as one string: findings of one check usually share it. */
function mappingInputs(f: ParsedFinding): string {
  const author = f.authorMapping ? `${f.authorMapping.severity ?? ''}/${(f.authorMapping.bestPractices ?? []).join(',')}` : '';
  return `${f.tool}|${f.checkId}|${f.service}|${f.severity ?? ''}|${f.compliance.join(',')}|${author}`;
}

const MEMO_LIMIT = 10_000;

/**
 * mapFinding with a memo, for one ingestion: a scan has a few hundred distinct checks and many
 * thousands of findings. The mappings it returns are shared between findings, so never mutated.
 */
export function memoizedMapper(catalog: WafrCatalog): (finding: ParsedFinding) => Mapping {
  const memo = new Map<string, Mapping>();
  return (finding) => {
    const key = mappingInputs(finding);
    const known = memo.get(key);
    if (known) return known;
    // A file with endless distinct inputs must not grow the memo without bound.
    if (memo.size >= MEMO_LIMIT) memo.clear();
    const mapping = mapFinding(catalog, finding);
    memo.set(key, mapping);
    return mapping;
  };
}

/** The id two tools share for the same issue: CloudSploit plugins with a Prowler twin use the Prowler check's. */
export function issueKey(finding: Pick<ParsedFinding, 'tool' | 'checkId'>): string {
  if (finding.tool === 'cloudsploit') {
    const twin = CLOUDSPLOIT_PLUGINS[finding.checkId]?.sameAs;
    if (twin) return `prowler:${twin}`;
  }
  return `${finding.tool}:${finding.checkId}`;
}
