import type { Tool } from './finding.js';
import type { FindingBatches } from './parsers/common.js';
import { normalize, type ScanFinding } from './normalize/scan-finding.js';
import { parseCloudSploitCsv, parseCloudSploitJson } from './parsers/cloudsploit.js';
import { parseCustodianFolder } from './parsers/custodian.js';
import { describeIssue, IssueLog } from './parsers/issues.js';
import { parseProwlerAsff } from './parsers/prowler-asff.js';
import { parseProwlerCsv } from './parsers/prowler-csv.js';
import { parseProwlerOcsf } from './parsers/prowler-ocsf.js';
import { FORMAT_TOOL, type ResultSource } from './results/detect.js';
import type { ScanStore } from './store.js';
import type { WafrCatalog } from './wafr/catalog.js';
import { memoizedMapper } from './wafr/mapper.js';

/** Findings are written in batches: one transaction per batch, and memory bounded by the batch. */
const BATCH_SIZE = 2000;

export interface IngestReport {
  /** Findings read (before de-duplication). */
  read: number;
  tools: Tool[];
  issues: IssueLog;
  /** Best-practice ids findings cited that the catalog does not know, with how often. */
  unknownIds: Map<string, number>;
}

function parse(source: ResultSource, issues: IssueLog, account: string): FindingBatches {
  switch (source.format) {
    case 'prowler-ocsf':
      return parseProwlerOcsf(source.file, issues);
    case 'prowler-asff':
      return parseProwlerAsff(source.file, issues);
    case 'prowler-csv':
      return parseProwlerCsv(source.file, issues);
    case 'cloudsploit-json':
      return parseCloudSploitJson(source.file, issues);
    case 'cloudsploit-csv':
      return parseCloudSploitCsv(source.file, issues);
    case 'custodian':
      return parseCustodianFolder(source.folder, issues, { account });
  }
}

/**
 * Reads every source as a stream, normalizes and maps each finding, and stores them in batches (the
 * store merges duplicates). A source that cannot be opened is a problem in the report, not a failure
 * of the whole ingestion: the other tools' findings are still worth having.
 */
export async function ingestResults(
  deps: { scans: ScanStore; catalog: WafrCatalog },
  scanId: string,
  sources: readonly ResultSource[],
  context: { account: string },
): Promise<IngestReport> {
  const issues = new IssueLog();
  const unknownIds = new Map<string, number>();
  const tools = new Set<Tool>();
  let read = 0;
  let batch: ScanFinding[] = [];
  const map = memoizedMapper(deps.catalog);
  for (const source of sources) {
    tools.add(FORMAT_TOOL[source.format]);
    try {
      for await (const parsedBatch of parse(source, issues, context.account)) {
        for (const parsed of parsedBatch) {
          const { finding, unknownIds: unknown } = normalize(deps.catalog, parsed, context, map);
          for (const id of unknown) unknownIds.set(id, (unknownIds.get(id) ?? 0) + 1);
          batch.push(finding);
        }
        read += parsedBatch.length;
        if (batch.length >= BATCH_SIZE) {
          await deps.scans.addFindings(scanId, batch);
          batch = [];
        }
      }
    } catch (error) {
      const name = source.format === 'custodian' ? source.folder.name : source.file.name;
      issues.add({ file: name, message: `could not be read: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  if (batch.length > 0) await deps.scans.addFindings(scanId, batch);
  return { read, tools: [...tools], issues, unknownIds };
}

/** The reading problems, as the summary keeps them. */
export function problemsOf(report: IngestReport, examples = 5): { total: number; examples: string[] } {
  return { total: report.issues.total, examples: report.issues.kept.slice(0, examples).map(describeIssue) };
}
