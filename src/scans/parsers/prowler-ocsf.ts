import { z } from 'zod';
import type { ParsedFinding } from '../finding.js';
import { parseSeverity } from '../finding.js';
import type { ResultFile } from '../results/files.js';
import { accountId, prowlerStatus, regionOrGlobal, reportShape, wellArchitectedIds, type FindingBatches } from './common.js';
import type { IssueLog } from './issues.js';
import { readJsonRecordBatches } from './json-records.js';

/**
 * Prowler's `-M json-ocsf` output: a JSON array of OCSF Detection Findings (class 2004). Only the
 * fields we use are checked; the rest of each record is ignored (and not kept in memory).
 */
const OcsfFindingSchema = z.object({
  // Prowler 4+ puts the check id in event_code; 3.x in product.feature.uid.
  metadata: z
    .object({
      event_code: z.string().min(1).optional(),
      product: z.object({ feature: z.object({ uid: z.string().min(1).optional() }).optional() }).optional(),
    })
    .refine((m) => Boolean(m.event_code ?? m.product?.feature?.uid), 'no check id (metadata.event_code)'),
  severity: z.string().optional(),
  status_code: z.string().optional(),
  status_detail: z.string().optional(),
  message: z.string().optional(),
  finding_info: z.object({ title: z.string().optional(), desc: z.string().optional() }).optional(),
  resources: z
    .array(
      z.object({
        uid: z.string().optional(),
        name: z.string().optional(),
        region: z.string().optional(),
        group: z.object({ name: z.string().optional() }).optional(),
      }),
    )
    .optional(),
  cloud: z.object({ account: z.object({ uid: z.string().optional() }).optional(), region: z.string().optional() }).optional(),
  remediation: z.object({ desc: z.string().optional() }).optional(),
  unmapped: z.object({ compliance: z.record(z.string(), z.array(z.string())).optional() }).optional(),
  // Prowler 3.x: compliance.status and "Framework: ['ID', 'ID']" strings.
  compliance: z.object({ status: z.string().optional(), requirements: z.array(z.string()).optional() }).optional(),
});

export type OcsfFinding = z.infer<typeof OcsfFindingSchema>;

/** The service a Prowler check belongs to: its resource group, else the check id's first word. */
function service(checkId: string, group: string | undefined): string {
  return group || checkId.split('_')[0] || '';
}

/** Prowler 3.x requirement strings: "AWS-Well-Architected-Framework-Security-Pillar: ['SEC09-BP01']". */
function legacyRequirements(requirements: string[] | undefined): string[] {
  const ids: string[] = [];
  for (const line of requirements ?? []) {
    if (!line.startsWith('AWS-Well-Architected-Framework')) continue;
    ids.push(...(line.match(/[A-Z]{3,4}\d{2}-BP\d{2}/g) ?? []));
  }
  return ids;
}

export function fromOcsf(record: OcsfFinding, raw: ParsedFinding['raw']): ParsedFinding[] {
  const checkId = record.metadata.event_code ?? record.metadata.product?.feature?.uid ?? '';
  const resources = record.resources && record.resources.length > 0 ? record.resources : [{}];
  const severity = parseSeverity(record.severity);
  return resources.map((resource: NonNullable<OcsfFinding['resources']>[number]) => ({
    tool: 'prowler',
    checkId,
    title: record.finding_info?.title ?? checkId,
    ...(severity ? { severity } : {}),
    status: prowlerStatus(record.status_code ?? record.compliance?.status),
    resource: resource.uid ?? resource.name ?? '',
    region: regionOrGlobal(resource.region ?? record.cloud?.region),
    account: accountId(record.cloud?.account?.uid),
    service: service(checkId, resource.group?.name),
    remediation: record.remediation?.desc ?? '',
    detail: record.status_detail ?? record.message ?? '',
    compliance: [...wellArchitectedIds(record.unmapped?.compliance), ...legacyRequirements(record.compliance?.requirements)],
    raw,
  }));
}

export async function* parseProwlerOcsf(file: ResultFile, issues: IssueLog): FindingBatches {
  for await (const records of readJsonRecordBatches(await file.open(), { file: file.name, issues })) {
    const batch: ParsedFinding[] = [];
    for (const record of records) {
      const parsed = OcsfFindingSchema.safeParse(record.value);
      const index = record.indexExact ? record.index : undefined;
      if (!parsed.success) {
        reportShape(issues, file.name, record.at, index, 'Prowler OCSF finding', parsed.error);
        continue;
      }
      batch.push(...fromOcsf(parsed.data, { file: file.name, line: record.at.line, ...(index === undefined ? {} : { record: index }) }));
    }
    if (batch.length > 0) yield batch;
  }
}
