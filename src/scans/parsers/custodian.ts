import { z } from 'zod';
import { parseSeverity, type ParsedFinding, type Severity } from '../finding.js';
import { baseName, dirName, type ResultFile, type ResultFolder } from '../results/files.js';
import { accountId, accountOfArn, REGION_NAME, shapeProblem, type FindingBatches } from './common.js';
import type { IssueLog } from './issues.js';
import { readJsonRecordBatches, readJsonRecords } from './json-records.js';

/**
 * Cloud Custodian output folders: one folder per policy holding `resources.json` (the raw AWS API
 * resources the policy matched) and usually `metadata.json` (the policy as data, the run's config);
 * with several regions, `<dir>/<region>/<policy>/`. A finding is a matched resource: it has no rule
 * id or severity of its own, so the policy name is the check id and the severity comes from the
 * policy's metadata when its author set one (else from our mapping table, else medium).
 */

/** The parts of metadata.json we use. Every field is optional: outputs vary by version. */
const MetadataSchema = z.object({
  policy: z
    .object({
      name: z.string().optional(),
      resource: z.string().optional(),
      description: z.string().optional(),
      comment: z.string().optional(),
      metadata: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  config: z.object({ region: z.string().optional(), account_id: z.string().optional() }).optional(),
});
type Metadata = z.infer<typeof MetadataSchema>;

/** How to name a resource of a Custodian resource type: its id field and how to build its ARN. */
interface ResourceNaming {
  id: string;
  /** A field that already holds the ARN… */
  arnField?: string;
  /** …or a template ({region}, {account}, {id}). */
  arn?: string;
  service: string;
}

// The id fields are those of Custodian's resource managers (c7n/resources/*.py, resource_type.id).
const NAMING: Record<string, ResourceNaming> = {
  ec2: { id: 'InstanceId', arn: 'arn:aws:ec2:{region}:{account}:instance/{id}', service: 'ec2' },
  ebs: { id: 'VolumeId', arn: 'arn:aws:ec2:{region}:{account}:volume/{id}', service: 'ec2' },
  'ebs-snapshot': { id: 'SnapshotId', arn: 'arn:aws:ec2:{region}::snapshot/{id}', service: 'ec2' },
  ami: { id: 'ImageId', arn: 'arn:aws:ec2:{region}::image/{id}', service: 'ec2' },
  'security-group': { id: 'GroupId', arn: 'arn:aws:ec2:{region}:{account}:security-group/{id}', service: 'ec2' },
  vpc: { id: 'VpcId', arn: 'arn:aws:ec2:{region}:{account}:vpc/{id}', service: 'vpc' },
  subnet: { id: 'SubnetId', arn: 'arn:aws:ec2:{region}:{account}:subnet/{id}', service: 'vpc' },
  eni: { id: 'NetworkInterfaceId', arn: 'arn:aws:ec2:{region}:{account}:network-interface/{id}', service: 'ec2' },
  s3: { id: 'Name', arn: 'arn:aws:s3:::{id}', service: 's3' },
  'iam-user': { id: 'UserName', arnField: 'Arn', service: 'iam' },
  'iam-role': { id: 'RoleName', arnField: 'Arn', service: 'iam' },
  'iam-policy': { id: 'PolicyName', arnField: 'Arn', service: 'iam' },
  'iam-group': { id: 'GroupName', arnField: 'Arn', service: 'iam' },
  rds: { id: 'DBInstanceIdentifier', arnField: 'DBInstanceArn', service: 'rds' },
  'rds-cluster': { id: 'DBClusterIdentifier', arnField: 'DBClusterArn', service: 'rds' },
  'rds-snapshot': { id: 'DBSnapshotIdentifier', arnField: 'DBSnapshotArn', service: 'rds' },
  lambda: { id: 'FunctionName', arnField: 'FunctionArn', service: 'lambda' },
  elb: { id: 'LoadBalancerName', arn: 'arn:aws:elasticloadbalancing:{region}:{account}:loadbalancer/{id}', service: 'elb' },
  'app-elb': { id: 'LoadBalancerName', arnField: 'LoadBalancerArn', service: 'elbv2' },
  'kms-key': { id: 'KeyId', arnField: 'Arn', service: 'kms' },
  'dynamodb-table': { id: 'TableName', arnField: 'TableArn', service: 'dynamodb' },
  cloudtrail: { id: 'Name', arnField: 'TrailARN', service: 'cloudtrail' },
  sns: { id: 'TopicArn', arnField: 'TopicArn', service: 'sns' },
  sqs: { id: 'QueueUrl', arnField: 'QueueArn', service: 'sqs' },
  ecr: { id: 'repositoryName', arnField: 'repositoryArn', service: 'ecr' },
  eks: { id: 'name', arnField: 'arn', service: 'eks' },
  asg: { id: 'AutoScalingGroupName', arnField: 'AutoScalingGroupARN', service: 'autoscaling' },
  'cache-cluster': { id: 'CacheClusterId', arnField: 'ARN', service: 'elasticache' },
  efs: { id: 'FileSystemId', arnField: 'FileSystemArn', service: 'efs' },
  redshift: { id: 'ClusterIdentifier', arn: 'arn:aws:redshift:{region}:{account}:cluster:{id}', service: 'redshift' },
};

/** When there is no metadata.json, the resource type is guessed from which id field a resource has. */
const BY_ID_FIELD: [string, string][] = [
  ['InstanceId', 'ec2'],
  ['VolumeId', 'ebs'],
  ['SnapshotId', 'ebs-snapshot'],
  ['ImageId', 'ami'],
  ['GroupId', 'security-group'],
  ['DBInstanceIdentifier', 'rds'],
  ['DBClusterIdentifier', 'rds-cluster'],
  ['FunctionName', 'lambda'],
  ['UserName', 'iam-user'],
  ['RoleName', 'iam-role'],
  ['TableName', 'dynamodb-table'],
  ['KeyId', 'kms-key'],
  ['AutoScalingGroupName', 'asg'],
];

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function resourceType(declared: string | undefined, resource: Record<string, unknown>): string | undefined {
  if (declared) return declared.replace(/^aws\./, '');
  // InstanceId is also on ENIs and volumes' attachments, but never at the top of those resources.
  return BY_ID_FIELD.find(([field]) => text(resource[field]))?.[1];
}

/** The resource's region: from the folder, the run's config, its ARN, or its availability zone. */
function regionOf(resource: Record<string, unknown>, known: string | undefined, arn: string | undefined): string {
  if (known) return known;
  const fromArn = arn?.split(':')[3];
  if (fromArn) return fromArn;
  const placement = resource['Placement'];
  const zone = placement && typeof placement === 'object' ? text((placement as Record<string, unknown>)['AvailabilityZone']) : undefined;
  return zone ? zone.replace(/[a-z]$/, '') : '';
}

export interface CustodianContext {
  /** The scanned account, for ARNs when the output does not say (e.g. no metadata.json). */
  account?: string;
}

interface Naming {
  resource: string;
  region: string;
  account: string;
  service: string;
}

export function nameResource(type: string | undefined, resource: Record<string, unknown>, where: { region?: string; account?: string }): Naming {
  const naming = type ? NAMING[type] : undefined;
  const anyArn = Object.entries(resource).find(([key, value]) => /arn$/i.test(key) && typeof value === 'string' && value.startsWith('arn:'))?.[1];
  const fieldArn = naming?.arnField ? text(resource[naming.arnField]) : undefined;
  const id = (naming ? text(resource[naming.id]) : undefined) ?? text(resource['Name']) ?? text(resource['name']) ?? text(resource['Id']) ?? '';
  let arn = fieldArn ?? (typeof anyArn === 'string' ? anyArn : undefined);
  const region = regionOf(resource, where.region, arn);
  const account = accountId(where.account) || (arn ? accountOfArn(arn) : '');
  if (!arn && naming?.arn && id && (account || !naming.arn.includes('{account}'))) {
    arn = naming.arn.replace('{region}', region).replace('{account}', account).replace('{id}', id);
  }
  return { resource: arn ?? id, region: region || 'global', account, service: naming?.service ?? type?.split('-')[0] ?? '' };
}

/** Severity and best practices the policy's author wrote in its metadata, if any. */
function authorMapping(metadata: Record<string, unknown> | undefined): ParsedFinding['authorMapping'] {
  if (!metadata) return undefined;
  const severity: Severity | undefined = parseSeverity(metadata['severity']);
  const ids = ['wafr', 'well_architected', 'well-architected', 'best_practices', 'best-practices']
    .map((key) => metadata[key])
    .flatMap((value) => (Array.isArray(value) ? value : typeof value === 'string' ? [value] : []))
    .filter((v): v is string => typeof v === 'string');
  if (!severity && ids.length === 0) return undefined;
  return { ...(severity ? { severity } : {}), ...(ids.length > 0 ? { bestPractices: ids } : {}) };
}

async function readMetadata(file: ResultFile, issues: IssueLog): Promise<Metadata | undefined> {
  for await (const record of readJsonRecords(await file.open(), { file: file.name, issues })) {
    const parsed = MetadataSchema.safeParse(record.value);
    if (parsed.success) return parsed.data;
    issues.add({ file: file.name, at: record.at, message: `not a Custodian metadata.json: ${shapeProblem(parsed.error)}. The policy's resources are still read.` });
    return undefined;
  }
  return undefined;
}

interface PolicyFolder {
  dir: string;
  resources?: ResultFile;
  metadata?: ResultFile;
}

/** Every policy output under `folder`: folders holding a resources.json. */
async function policyFolders(folder: ResultFolder): Promise<PolicyFolder[]> {
  const byDir = new Map<string, PolicyFolder>();
  for await (const file of folder.files()) {
    const name = baseName(file.name);
    if (name !== 'resources.json' && name !== 'metadata.json') continue;
    const dir = dirName(file.name);
    const entry = byDir.get(dir) ?? { dir };
    if (name === 'resources.json') entry.resources = file;
    else entry.metadata = file;
    byDir.set(dir, entry);
  }
  return [...byDir.values()].filter((p) => p.resources);
}

export async function* parseCustodianFolder(folder: ResultFolder, issues: IssueLog, context: CustodianContext = {}): FindingBatches {
  const policies = await policyFolders(folder);
  if (policies.length === 0) issues.add({ file: folder.name, message: 'no Custodian policy output here (no <policy>/resources.json).' });
  for (const policy of policies) {
    const metadata = policy.metadata ? await readMetadata(policy.metadata, issues) : undefined;
    const parent = baseName(dirName(policy.dir));
    // A policy folder given directly (its resources.json at the top) is named by the folder itself.
    const policyName = metadata?.policy?.name ?? (baseName(policy.dir || folder.name) || 'custodian-policy');
    const where = {
      region: REGION_NAME.test(parent) ? parent : metadata?.config?.region,
      account: accountId(metadata?.config?.account_id) || accountId(context.account),
    };
    const author = authorMapping(metadata?.policy?.metadata);
    const title = metadata?.policy?.description ?? metadata?.policy?.comment ?? `Matched by Custodian policy ${policyName}`;
    const remediation = text(metadata?.policy?.metadata?.['remediation']) ?? '';
    const file = policy.resources!;
    for await (const records of readJsonRecordBatches(await file.open(), { file: file.name, issues })) {
      const batch: ParsedFinding[] = [];
      for (const record of records) {
        if (!record.value || typeof record.value !== 'object' || Array.isArray(record.value)) {
          issues.add({ file: file.name, at: record.at, message: 'not an AWS resource (an object expected). Skipped.' });
          continue;
        }
        const resource = record.value as Record<string, unknown>;
        const naming = nameResource(resourceType(metadata?.policy?.resource, resource), resource, where);
        batch.push({
          tool: 'custodian',
          checkId: policyName,
          title,
          ...(author?.severity ? { severity: author.severity } : {}),
          status: 'fail',
          ...naming,
          remediation,
          detail: `${naming.resource || 'A resource'} matches policy ${policyName}.`,
          compliance: [],
          ...(author ? { authorMapping: author } : {}),
          raw: { file: file.name, line: record.at.line, ...(record.indexExact ? { record: record.index } : {}) },
        });
      }
      if (batch.length > 0) yield batch;
    }
  }
}
