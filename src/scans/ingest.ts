import type { ParsedFinding, Tool } from './finding.js';
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
import { checkKey, type FindingClassifier } from './wafr/ai-classifier.js';
import type { PillarId } from './wafr/catalog.js';
import { memoizedMapper, type Mapping } from './wafr/mapper.js';

/** Findings are written in batches: one transaction per batch, and memory bounded by the batch. */
const BATCH_SIZE = 2000;

export interface IngestReport {
  /** Findings read (before de-duplication). */
  read: number;
  tools: Tool[];
  issues: IssueLog;
  /** Best-practice ids findings cited that the catalog does not know, with how often. */
  unknownIds: Map<string, number>;
  /** Set when a classifier ran: findings (before de-duplication) mapped by it, and why some were not. */
  ai?: { classified: number; note?: string };
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
  deps: { scans: ScanStore; catalog: WafrCatalog; classifier?: FindingClassifier | undefined },
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
  const ai = deps.classifier ? aiMapping(deps.catalog, deps.classifier, map) : undefined;
  for (const source of sources) {
    tools.add(FORMAT_TOOL[source.format]);
    try {
      for await (const parsedBatch of parse(source, issues, context.account)) {
        // The deterministic mapping first; what it leaves unmapped goes to the model, a batch at a time.
        const batchMap = ai ? await ai.prepare(parsedBatch) : map;
        for (const parsed of parsedBatch) {
          const { finding, unknownIds: unknown } = normalize(deps.catalog, parsed, context, batchMap);
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
  return { read, tools: [...tools], issues, unknownIds, ...(ai ? { ai: ai.report() } : {}) };
}

/**
 * The deterministic mapper extended by the classifier: `prepare` classifies a parsed batch's unmapped
 * checks and returns the mapper to normalize that batch with. Answers are kept for the whole
 * ingestion (the classifier's cache keeps them across scans), so a check is asked about once.
 */
function aiMapping(catalog: WafrCatalog, classifier: FindingClassifier, map: (f: ParsedFinding) => Mapping) {
  const byCheck = new Map<string, Mapping | null>();
  let classified = 0;
  const notes = new Set<string>();
  const mapped = (finding: ParsedFinding): Mapping => {
    const base = map(finding);
    if (base.via !== 'none') return base;
    const ai = byCheck.get(checkKey(finding));
    if (!ai) return base;
    classified += 1;
    // The finding's own severity and unknown ids stay; only the practices come from the model.
    return { ...ai, severity: base.severity, unknownIds: base.unknownIds };
  };
  return {
    async prepare(batch: readonly ParsedFinding[]): Promise<(f: ParsedFinding) => Mapping> {
      const unmapped = batch.filter((f) => map(f).via === 'none' && !byCheck.has(checkKey(f)));
      if (unmapped.length > 0) {
        const result = await classifier.classify(unmapped);
        if (result.note) notes.add(result.note);
        for (const f of unmapped) {
          const practices = result.practices.get(checkKey(f));
          const pillars = [...new Set((practices ?? []).map((id) => catalog.pillarOf(id)).filter((p): p is PillarId => p !== undefined))];
          // null: asked and not classified; not asked again in this ingestion.
          byCheck.set(checkKey(f), practices ? { practices, pillars, via: 'ai', severity: 'medium', unknownIds: [] } : null);
        }
      }
      return mapped;
    },
    report(): { classified: number; note?: string } {
      return { classified, ...(notes.size > 0 ? { note: [...notes].join('; ') } : {}) };
    },
  };
}

/** The reading problems, as the summary keeps them. */
export function problemsOf(report: IngestReport, examples = 5): { total: number; examples: string[] } {
  return { total: report.issues.total, examples: report.issues.kept.slice(0, examples).map(describeIssue) };
}
