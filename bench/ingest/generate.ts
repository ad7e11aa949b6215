import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';

const FIXTURE = '../shared/fixtures/scans/prowler/example_output_aws.ocsf.json';
const REGIONS = ['eu-west-1', 'us-east-1', 'eu-central-1', 'ap-southeast-2'];
/** Checks Prowler's compliance files map, and some they do not, so every mapping path is exercised. */
const CHECKS: [string, string][] = [
  ['s3_bucket_default_encryption', 's3'],
  ['iam_root_mfa_enabled', 'iam'],
  ['ec2_instance_imdsv2_enabled', 'ec2'],
  ['rds_instance_backup_enabled', 'rds'],
  ['cloudtrail_multi_region_enabled', 'cloudtrail'],
  ['accessanalyzer_enabled', 'accessanalyzer'],
  ['ec2_instance_older_than_specific_days', 'ec2'],
];
const SEVERITIES = ['Critical', 'High', 'Medium', 'Low', 'Informational'];

type Template = Record<string, unknown> & {
  metadata: { event_code: string };
  finding_info: { uid: string; title: string };
  resources: { uid: string; name: string; region: string; group: { name: string } }[];
  cloud: { account: { uid: string }; region: string };
  severity: string;
  status_code: string;
  unmapped: { compliance: Record<string, string[]> };
};

/**
 * Writes a Prowler OCSF file of `findings` records, pretty-printed as Prowler writes it (about 3–4 KB
 * a finding), built from the real example's records with varied checks, resources and statuses.
 */
export async function generateOcsf(path: string, findings: number): Promise<number> {
  const templates = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Template[];
  const out = createWriteStream(path);
  let bytes = 0;
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('[\n');
  for (let i = 0; i < findings; i++) {
    const record = structuredClone(templates[i % templates.length]!);
    const [check, service] = CHECKS[i % CHECKS.length]!;
    const region = REGIONS[i % REGIONS.length]!;
    record.metadata.event_code = check;
    record.finding_info.uid = `prowler-aws-${check}-111111111111-${region}-${i}`;
    record.resources[0]!.uid = `arn:aws:${service}:${region}:111111111111:resource/r-${i}`;
    record.resources[0]!.name = `r-${i}`;
    record.resources[0]!.region = region;
    record.resources[0]!.group.name = service;
    record.cloud.account.uid = '111111111111';
    record.cloud.region = region;
    record.severity = SEVERITIES[i % SEVERITIES.length]!;
    record.status_code = i % 3 === 0 ? 'PASS' : 'FAIL';
    // Drop the example's own compliance ids on most records so the check mapping does the work.
    if (i % 4 !== 0) delete record.unmapped.compliance['AWS-Well-Architected-Framework-Security-Pillar'];
    const text = JSON.stringify(record, null, 2).replace(/^/gm, '  ');
    await write(i < findings - 1 ? `${text},\n` : `${text}\n`);
  }
  await write(']\n');
  out.end();
  await once(out, 'finish');
  return bytes;
}
