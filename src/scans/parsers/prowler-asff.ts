import { z } from 'zod';
import type { ParsedFinding } from '../finding.js';
import { parseSeverity } from '../finding.js';
import type { ResultFile } from '../results/files.js';
import { accountId, accountOfArn, prowlerStatus, regionOrGlobal, reportShape, type FindingBatches } from './common.js';
import type { IssueLog } from './issues.js';
import { readJsonRecordBatches } from './json-records.js';

/**
 * Prowler's `-M json-asff` output (the AWS Security Finding Format it sends to Security Hub): a JSON
 * array of findings; the check id is GeneratorId without its "prowler-" prefix.
 */
const AsffFindingSchema = z.object({
  GeneratorId: z.string().min(1),
  AwsAccountId: z.string().optional(),
  Title: z.string().optional(),
  Description: z.string().optional(),
  Severity: z.object({ Label: z.string().optional() }).optional(),
  Resources: z.array(z.object({ Id: z.string().optional(), Type: z.string().optional(), Region: z.string().optional() })).optional(),
  Compliance: z.object({ Status: z.string().optional(), RelatedRequirements: z.array(z.string()).optional() }).optional(),
  Remediation: z.object({ Recommendation: z.object({ Text: z.string().optional() }).optional() }).optional(),
  ProductFields: z.record(z.string(), z.string()).optional(),
});

/** "AWS-Well-Architected-Framework-Security-Pillar SEC09-BP01 SEC01-BP02" → the ids. */
function wellArchitected(requirements: string[] | undefined): string[] {
  return (requirements ?? []).filter((r) => r.startsWith('AWS-Well-Architected-Framework')).flatMap((r) => r.split(/\s+/).slice(1));
}

function fromAsff(f: z.infer<typeof AsffFindingSchema>, raw: ParsedFinding['raw']): ParsedFinding[] {
  const checkId = f.GeneratorId.replace(/^prowler-/, '');
  const severity = parseSeverity(f.Severity?.Label);
  const resources: { Id?: string; Region?: string }[] = f.Resources && f.Resources.length > 0 ? f.Resources : [{}];
  return resources.map((resource) => {
    const id = resource.Id ?? '';
    return {
      tool: 'prowler',
      checkId,
      title: f.Title ?? checkId,
      ...(severity ? { severity } : {}),
      status: prowlerStatus(f.Compliance?.Status),
      resource: id,
      region: regionOrGlobal(resource.Region),
      account: accountId(f.AwsAccountId) || accountOfArn(id),
      service: checkId.split('_')[0] ?? '',
      remediation: f.Remediation?.Recommendation?.Text ?? '',
      detail: f.Description ?? '',
      compliance: wellArchitected(f.Compliance?.RelatedRequirements),
      raw,
    };
  });
}

export async function* parseProwlerAsff(file: ResultFile, issues: IssueLog): FindingBatches {
  for await (const records of readJsonRecordBatches(await file.open(), { file: file.name, issues })) {
    const batch: ParsedFinding[] = [];
    for (const record of records) {
      const parsed = AsffFindingSchema.safeParse(record.value);
      const index = record.indexExact ? record.index : undefined;
      if (!parsed.success) {
        reportShape(issues, file.name, record.at, index, 'Prowler ASFF finding', parsed.error);
        continue;
      }
      batch.push(...fromAsff(parsed.data, { file: file.name, line: record.at.line, ...(index === undefined ? {} : { record: index }) }));
    }
    if (batch.length > 0) yield batch;
  }
}
