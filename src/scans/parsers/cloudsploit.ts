import { z } from 'zod';
import type { FindingStatus, ParsedFinding, Severity } from '../finding.js';
import type { ResultFile } from '../results/files.js';
import { cloudsploitPluginByTitle } from '../wafr/mapping-table.js';
import { accountOfArn, CSV_BATCH, regionOrGlobal, reportShape, type FindingBatches } from './common.js';
import { readCsvRecords } from './csv-records.js';
import type { IssueLog } from './issues.js';
import { readJsonRecordBatches } from './json-records.js';

/**
 * CloudSploit's `--json` output: an array of {plugin, category, title, description, resource,
 * region, status, message}. `status` is OK/WARN/FAIL/UNKNOWN, or 0/1/2/3 in some versions. There is
 * no severity: a FAIL gets the one our mapping table gives the plugin; a WARN counts as a low failure.
 */
const StatusSchema = z.union([z.string(), z.number()]);
const CloudSploitResultSchema = z.object({
  plugin: z.string().min(1),
  category: z.string().default(''),
  title: z.string().default(''),
  description: z.string().default(''),
  resource: z.string().default('N/A'),
  region: z.string().default('global'),
  status: StatusSchema,
  message: z.string().default(''),
});
type CloudSploitResult = z.infer<typeof CloudSploitResultSchema>;

const NUMERIC_STATUS = ['OK', 'WARN', 'FAIL', 'UNKNOWN'] as const;

function status(value: string | number): { status: FindingStatus; severity?: Severity } {
  const word = typeof value === 'number' ? (NUMERIC_STATUS[value] ?? 'UNKNOWN') : value.toUpperCase();
  switch (word) {
    case 'OK':
    case 'PASS':
      return { status: 'pass' };
    case 'WARN':
      return { status: 'fail', severity: 'low' };
    case 'FAIL':
      return { status: 'fail' };
    default:
      return { status: 'unknown' };
  }
}

function toFinding(r: CloudSploitResult, raw: ParsedFinding['raw']): ParsedFinding {
  const resource = r.resource === 'N/A' ? '' : r.resource;
  return {
    tool: 'cloudsploit',
    checkId: r.plugin,
    title: r.title || r.plugin,
    ...status(r.status),
    resource,
    region: regionOrGlobal(r.region),
    account: accountOfArn(resource),
    service: r.category.toLowerCase(),
    remediation: '',
    detail: r.message,
    compliance: [],
    raw,
  };
}

export async function* parseCloudSploitJson(file: ResultFile, issues: IssueLog): FindingBatches {
  for await (const records of readJsonRecordBatches(await file.open(), { file: file.name, issues })) {
    const batch: ParsedFinding[] = [];
    for (const record of records) {
      const parsed = CloudSploitResultSchema.safeParse(record.value);
      const index = record.indexExact ? record.index : undefined;
      if (!parsed.success) {
        reportShape(issues, file.name, record.at, index, 'CloudSploit result', parsed.error);
        continue;
      }
      batch.push(toFinding(parsed.data, { file: file.name, line: record.at.line, ...(index === undefined ? {} : { record: index }) }));
    }
    if (batch.length > 0) yield batch;
  }
}

/** "Root MFA Enabled" → "rootMfaEnabled": CloudSploit's own naming, for plugins our table does not know. */
function camelCase(title: string): string {
  const words = title.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase())).join('');
}

const CsvRowSchema = z.object({
  category: z.string().default(''),
  title: z.string().min(1),
  description: z.string().default(''),
  resource: z.string().default('N/A'),
  region: z.string().default('global'),
  statusWord: z.string(),
  message: z.string().default(''),
});

/** CloudSploit's `--csv` output has no plugin column: the plugin is found from its title. */
export async function* parseCloudSploitCsv(file: ResultFile, issues: IssueLog): FindingBatches {
  let batch: ParsedFinding[] = [];
  for await (const row of readCsvRecords(await file.open(), { file: file.name, issues, delimiter: ',' })) {
    const parsed = CsvRowSchema.safeParse(row.value);
    if (!parsed.success) {
      reportShape(issues, file.name, { line: row.line, column: 1 }, row.index, 'CloudSploit CSV row', parsed.error);
      continue;
    }
    const r = parsed.data;
    const plugin = cloudsploitPluginByTitle(r.title) ?? camelCase(r.title);
    batch.push(toFinding({ ...r, plugin, status: r.statusWord }, { file: file.name, line: row.line, record: row.index }));
    if (batch.length >= CSV_BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
