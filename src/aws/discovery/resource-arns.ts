/**
 * ARNs of discovered resources, built from the IAM catalog's formats with the segment rules of
 * `policy/arn.ts`, so what a picker offers is exactly what the drafters and checks parse back. A
 * name that would cross a segment (a ":" in a function name) is refused, not guessed at.
 */
import type { DiscoverableService } from '../../access/resource-discovery.js';
import type { Account } from '../../config/schemas.js';
import { compileArnFormat, type ArnPattern } from '../../policy/arn.js';

/**
 * Each listed type's format as the catalog spells it, with the formats of the same service that
 * decide whether its name may hold "/" or ":" (a table name never holds "/" because an index ARN
 * follows it with one).
 */
const FORMATS: Readonly<Record<DiscoverableService, { format: string; name: string; siblings: readonly string[] }>> = {
  s3: { format: 'arn:${Partition}:s3:::${BucketName}', name: 'BucketName', siblings: ['arn:${Partition}:s3:::${BucketName}/${ObjectName}'] },
  dynamodb: {
    format: 'arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}',
    name: 'TableName',
    siblings: ['arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}/index/${IndexName}'],
  },
  ec2: { format: 'arn:${Partition}:ec2:${Region}:${Account}:instance/${InstanceId}', name: 'InstanceId', siblings: [] },
  rds: { format: 'arn:${Partition}:rds:${Region}:${Account}:db:${DbInstanceName}', name: 'DbInstanceName', siblings: [] },
  lambda: {
    format: 'arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}',
    name: 'FunctionName',
    siblings: ['arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}:${Alias}'],
  },
  logs: {
    format: 'arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}',
    name: 'LogGroupName',
    siblings: ['arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}'],
  },
  sqs: { format: 'arn:${Partition}:sqs:${Region}:${Account}:${QueueName}', name: 'QueueName', siblings: [] },
};

const compiled = new Map<DiscoverableService, ArnPattern>();

function pattern(service: DiscoverableService): ArnPattern {
  let p = compiled.get(service);
  if (!p) {
    const { format, siblings } = FORMATS[service];
    p = compileArnFormat(format, [format, ...siblings]);
    compiled.set(service, p);
  }
  return p;
}

/** The ARN of a named resource of the account, in the account's region; throws ArnBuildError for a name that does not fit. */
export function resourceArn(service: DiscoverableService, partition: string, account: Account, name: string): string {
  return pattern(service).build({ Partition: partition, Region: account.region, Account: account.id, [FORMATS[service].name]: name });
}
