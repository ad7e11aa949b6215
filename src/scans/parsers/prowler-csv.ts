import { z } from 'zod';
import type { ParsedFinding } from '../finding.js';
import { parseSeverity } from '../finding.js';
import type { ResultFile } from '../results/files.js';
import { accountId, CSV_BATCH, prowlerStatus, regionOrGlobal, reportShape, type FindingBatches } from './common.js';
import { readCsvRecords } from './csv-records.js';
import type { IssueLog } from './issues.js';

/** Prowler's `-M csv` output: `;`-delimited, one finding per row, 42 columns; the ones we use. */
const ProwlerCsvRowSchema = z.object({
  CHECK_ID: z.string().min(1),
  CHECK_TITLE: z.string().default(''),
  STATUS: z.string().default(''),
  STATUS_EXTENDED: z.string().default(''),
  SERVICE_NAME: z.string().default(''),
  SEVERITY: z.string().default(''),
  RESOURCE_UID: z.string().default(''),
  RESOURCE_NAME: z.string().default(''),
  REGION: z.string().default(''),
  ACCOUNT_UID: z.string().default(''),
  REMEDIATION_RECOMMENDATION_TEXT: z.string().default(''),
  COMPLIANCE: z.string().default(''),
});

/**
 * The COMPLIANCE column: "Framework: ID, ID | Framework: ID". Returns the Well-Architected ids.
 * Ids may themselves hold commas in other frameworks, but Well-Architected ids (SEC01-BP01) never do.
 */
export function wellArchitectedFromCsv(column: string): string[] {
  const ids: string[] = [];
  for (const part of column.split(' | ')) {
    const colon = part.indexOf(':');
    if (colon < 0) continue;
    if (!part.slice(0, colon).trim().startsWith('AWS-Well-Architected-Framework')) continue;
    ids.push(...part.slice(colon + 1).split(',').map((id) => id.trim()).filter(Boolean));
  }
  return ids;
}

export async function* parseProwlerCsv(file: ResultFile, issues: IssueLog): FindingBatches {
  let batch: ParsedFinding[] = [];
  for await (const row of readCsvRecords(await file.open(), { file: file.name, issues, delimiter: ';' })) {
    const parsed = ProwlerCsvRowSchema.safeParse(row.value);
    if (!parsed.success) {
      reportShape(issues, file.name, { line: row.line, column: 1 }, row.index, 'Prowler CSV row', parsed.error);
      continue;
    }
    const r = parsed.data;
    const severity = parseSeverity(r.SEVERITY);
    batch.push({
      tool: 'prowler',
      checkId: r.CHECK_ID,
      title: r.CHECK_TITLE || r.CHECK_ID,
      ...(severity ? { severity } : {}),
      status: prowlerStatus(r.STATUS),
      resource: r.RESOURCE_UID || r.RESOURCE_NAME,
      region: regionOrGlobal(r.REGION),
      account: accountId(r.ACCOUNT_UID),
      service: r.SERVICE_NAME || r.CHECK_ID.split('_')[0] || '',
      remediation: r.REMEDIATION_RECOMMENDATION_TEXT,
      detail: r.STATUS_EXTENDED,
      compliance: wellArchitectedFromCsv(r.COMPLIANCE),
      raw: { file: file.name, line: row.line, record: row.index },
    });
    if (batch.length >= CSV_BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
