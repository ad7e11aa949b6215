import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsResourceDiscovery, type DiscoveryClientFactory } from '../../src/aws/discovery/aws-resource-discovery.js';
import type { SessionCredentials } from '../../src/aws/iam/clients.js';
import { DEFAULT_IAM_GRANT_SETTINGS } from '../../src/aws/iam/plan.js';
import { Directory } from '../../src/access/directory.js';
import { CachedResourceDiscovery, resourceHintsFrom, type DiscoverableService, type ResourceListing } from '../../src/access/resource-discovery.js';
import { draftingFacts } from '../../src/ai/draft-context.js';
import { loadPolicyConfig } from '../../src/config/load-policy-files.js';
import { IamCatalog } from '../../src/policy/catalog.js';
import { ManualClock } from '../support/manual-clock.js';
import { sampleOrg } from '../support/org.js';

const sts = mockClient(STSClient);
const s3 = mockClient(S3Client);
const dynamodb = mockClient(DynamoDBClient);
const ec2 = mockClient(EC2Client);
const rds = mockClient(RDSClient);
const lambda = mockClient(LambdaClient);
const logs = mockClient(CloudWatchLogsClient);
const sqs = mockClient(SQSClient);
const mocks = [sts, s3, dynamodb, ec2, rds, lambda, logs, sqs];

let clock: ManualClock;
/** Which credentials and region each client was built with. */
let built: Array<{ service: DiscoverableService; key: string; region: string }>;

function clients(): DiscoveryClientFactory {
  const record = (service: DiscoverableService, c: SessionCredentials, region: string) => built.push({ service, key: c.accessKeyId, region });
  return {
    sts: () => new STSClient({ region: 'eu-west-1' }),
    s3: (c, region) => (record('s3', c, region), new S3Client({ region, credentials: c })),
    dynamodb: (c, region) => (record('dynamodb', c, region), new DynamoDBClient({ region, credentials: c })),
    ec2: (c, region) => (record('ec2', c, region), new EC2Client({ region, credentials: c })),
    rds: (c, region) => (record('rds', c, region), new RDSClient({ region, credentials: c })),
    lambda: (c, region) => (record('lambda', c, region), new LambdaClient({ region, credentials: c })),
    logs: (c, region) => (record('logs', c, region), new CloudWatchLogsClient({ region, credentials: c })),
    sqs: (c, region) => (record('sqs', c, region), new SQSClient({ region, credentials: c })),
  };
}

function discovery(options: { settings?: typeof DEFAULT_IAM_GRANT_SETTINGS; max?: number } = {}) {
  return new AwsResourceDiscovery({
    accounts: sampleOrg.accounts,
    settings: options.settings ?? DEFAULT_IAM_GRANT_SETTINGS,
    clients: clients(),
    clock,
    retry: { runtime: { sleep: async () => undefined, random: () => 0 } },
    ...(options.max !== undefined ? { maxPerService: options.max } : {}),
  });
}

function assumed(accessKeyId: string, minutes = 15) {
  return {
    Credentials: { AccessKeyId: accessKeyId, SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date(clock.now().getTime() + minutes * 60_000) },
  };
}

const arnsOf = (listing: ResourceListing) => listing.resources.map((r) => r.arn);
const PAYMENTS = '111111111111';
const SANDBOX = '222222222222';

beforeEach(() => {
  clock = new ManualClock('2026-11-23T10:00:00Z');
  built = [];
  for (const m of mocks) m.reset();
  sts.on(AssumeRoleCommand, { RoleArn: 'arn:aws:iam::111111111111:role/warden-grant' }).resolves(assumed('AKIAPAYMENTS'));
  sts.on(AssumeRoleCommand, { RoleArn: 'arn:aws:iam::222222222222:role/warden-grant' }).resolves(assumed('AKIASANDBOX'));
});

afterEach(() => {
  for (const m of mocks) m.reset();
});

describe('AwsResourceDiscovery: S3 and DynamoDB', () => {
  it('lists every bucket page through the account’s warden-grant role, as sorted ARNs', async () => {
    s3.on(ListBucketsCommand)
      .resolvesOnce({ Buckets: [{ Name: 'billing-reports' }, { Name: 'audit-logs' }], ContinuationToken: 'next' })
      .resolvesOnce({ Buckets: [{ Name: 'exports' }] });
    const listing = await discovery({ settings: { ...DEFAULT_IAM_GRANT_SETTINGS, externalId: 'warden-ext' } }).list(PAYMENTS, 's3');
    expect(listing).toEqual({
      resources: [
        { arn: 'arn:aws:s3:::audit-logs', name: 'audit-logs' },
        { arn: 'arn:aws:s3:::billing-reports', name: 'billing-reports' },
        { arn: 'arn:aws:s3:::exports', name: 'exports' },
      ],
      truncated: false,
    });

    const [assume] = sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input);
    expect(assume).toEqual({ RoleArn: 'arn:aws:iam::111111111111:role/warden-grant', RoleSessionName: 'warden-discovery', DurationSeconds: 900, ExternalId: 'warden-ext' });
    expect(s3.commandCalls(ListBucketsCommand).map((c) => c.args[0].input)).toEqual([{ MaxBuckets: 1000 }, { MaxBuckets: 1000, ContinuationToken: 'next' }]);
    expect(built).toEqual([{ service: 's3', key: 'AKIAPAYMENTS', region: 'eu-west-1' }]);
  });

  it('lists tables in the account’s region, following LastEvaluatedTableName', async () => {
    dynamodb.on(ListTablesCommand).resolvesOnce({ TableNames: ['orders', 'payments'], LastEvaluatedTableName: 'payments' }).resolvesOnce({ TableNames: ['sessions'] });
    const listing = await discovery().list(SANDBOX, 'dynamodb');
    expect(arnsOf(listing)).toEqual([
      'arn:aws:dynamodb:us-east-1:222222222222:table/orders',
      'arn:aws:dynamodb:us-east-1:222222222222:table/payments',
      'arn:aws:dynamodb:us-east-1:222222222222:table/sessions',
    ]);
    expect(dynamodb.commandCalls(ListTablesCommand).map((c) => c.args[0].input)).toEqual([{ Limit: 100 }, { Limit: 100, ExclusiveStartTableName: 'payments' }]);
    expect(built).toEqual([{ service: 'dynamodb', key: 'AKIASANDBOX', region: 'us-east-1' }]);
  });

  it('reuses the assumed role until close to its expiry, then assumes again', async () => {
    s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'b' }] });
    dynamodb.on(ListTablesCommand).resolves({ TableNames: ['t'] });
    const d = discovery();
    await d.list(PAYMENTS, 's3');
    await d.list(PAYMENTS, 'dynamodb');
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    clock.advanceMinutes(14.5);
    await d.list(PAYMENTS, 's3');
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('retries throttling, and an account outside org.yaml is never assumed into', async () => {
    s3.on(ListBucketsCommand)
      .rejectsOnce(Object.assign(new Error('slow down'), { name: 'SlowDown' }))
      .resolves({ Buckets: [{ Name: 'b' }] });
    expect(arnsOf(await discovery().list(PAYMENTS, 's3'))).toEqual(['arn:aws:s3:::b']);
    expect(s3.commandCalls(ListBucketsCommand)).toHaveLength(2);

    await expect(discovery().list('999999999999', 's3')).rejects.toThrow(/not in org.yaml/);
    expect(sts.commandCalls(AssumeRoleCommand).some((c) => c.args[0].input.RoleArn?.includes('999999999999'))).toBe(false);
  });

  it('a denied listing fails, and a failed AssumeRole is tried again next time', async () => {
    sts.reset();
    sts.on(AssumeRoleCommand).rejectsOnce(Object.assign(new Error('not authorized'), { name: 'AccessDenied' })).resolves(assumed('AKIAPAYMENTS'));
    s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'b' }] });
    const d = discovery();
    await expect(d.list(PAYMENTS, 's3')).rejects.toThrow(/not authorized/);
    expect(arnsOf(await d.list(PAYMENTS, 's3'))).toEqual(['arn:aws:s3:::b']);
  });
});

describe('AwsResourceDiscovery: EC2 instances', () => {
  it('asks for live instances a page at a time and names each by its Name tag, else its id', async () => {
    ec2.on(DescribeInstancesCommand)
      .resolvesOnce({
        Reservations: [
          {
            Instances: [
              { InstanceId: 'i-0aaa1111', State: { Name: 'running' }, Tags: [{ Key: 'team', Value: 'payments' }, { Key: 'Name', Value: 'web-1' }] },
              { InstanceId: 'i-0bbb2222', State: { Name: 'stopped' } },
            ],
          },
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({ Reservations: [{ Instances: [{ InstanceId: 'i-0ccc3333', State: { Name: 'pending' }, Tags: [{ Key: 'Name', Value: 'pay-worker' }] }] }] });
    const listing = await discovery().list(PAYMENTS, 'ec2');
    expect(listing).toEqual({
      resources: [
        { arn: 'arn:aws:ec2:eu-west-1:111111111111:instance/i-0aaa1111', name: 'web-1', detail: 'i-0aaa1111 · running' },
        { arn: 'arn:aws:ec2:eu-west-1:111111111111:instance/i-0bbb2222', name: 'i-0bbb2222', detail: 'stopped' },
        { arn: 'arn:aws:ec2:eu-west-1:111111111111:instance/i-0ccc3333', name: 'pay-worker', detail: 'i-0ccc3333 · pending' },
      ],
      truncated: false,
    });
    const filters = [{ Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] }];
    expect(ec2.commandCalls(DescribeInstancesCommand).map((c) => c.args[0].input)).toEqual([
      { Filters: filters, MaxResults: 1000 },
      { Filters: filters, MaxResults: 1000, NextToken: 'page-2' },
    ]);
    expect(built).toEqual([{ service: 'ec2', key: 'AKIAPAYMENTS', region: 'eu-west-1' }]);
  });

  it('stops at the cap and says the list was cut', async () => {
    const instances = (from: number) => ({
      Reservations: [{ Instances: [0, 1, 2].map((i) => ({ InstanceId: `i-${String(from + i).padStart(8, '0')}`, State: { Name: 'running' as const } })) }],
    });
    ec2.on(DescribeInstancesCommand).resolvesOnce({ ...instances(0), NextToken: 'a' }).resolvesOnce({ ...instances(3), NextToken: 'b' }).resolves(instances(6));
    const listing = await discovery({ max: 5 }).list(SANDBOX, 'ec2');
    expect(listing.truncated).toBe(true);
    expect(listing.resources.map((r) => r.name)).toEqual(['i-00000000', 'i-00000001', 'i-00000002', 'i-00000003', 'i-00000004']);
    // Two pages hold the five: the third is never asked for; EC2's smallest page is 5.
    expect(ec2.commandCalls(DescribeInstancesCommand).map((c) => c.args[0].input.MaxResults)).toEqual([5, 5]);
  });
});

describe('AwsResourceDiscovery: RDS, Lambda, log groups, SQS', () => {
  it('RDS: DB instances by identifier, following Marker, with the engine', async () => {
    rds.on(DescribeDBInstancesCommand)
      .resolvesOnce({ DBInstances: [{ DBInstanceIdentifier: 'payments-db', Engine: 'postgres' }], Marker: 'm1' })
      .resolvesOnce({ DBInstances: [{ DBInstanceIdentifier: 'ledger', Engine: 'aurora-mysql' }] });
    const listing = await discovery().list(PAYMENTS, 'rds');
    expect(listing.resources).toEqual([
      { arn: 'arn:aws:rds:eu-west-1:111111111111:db:ledger', name: 'ledger', detail: 'aurora-mysql' },
      { arn: 'arn:aws:rds:eu-west-1:111111111111:db:payments-db', name: 'payments-db', detail: 'postgres' },
    ]);
    expect(rds.commandCalls(DescribeDBInstancesCommand).map((c) => c.args[0].input)).toEqual([{ MaxRecords: 100 }, { MaxRecords: 100, Marker: 'm1' }]);
  });

  it('Lambda: functions following NextMarker', async () => {
    lambda.on(ListFunctionsCommand)
      .resolvesOnce({ Functions: [{ FunctionName: 'pay-export', Runtime: 'nodejs20.x' }], NextMarker: 'n1' })
      .resolvesOnce({ Functions: [{ FunctionName: 'thumbnails' }] });
    const listing = await discovery().list(SANDBOX, 'lambda');
    expect(listing.resources).toEqual([
      { arn: 'arn:aws:lambda:us-east-1:222222222222:function:pay-export', name: 'pay-export', detail: 'nodejs20.x' },
      { arn: 'arn:aws:lambda:us-east-1:222222222222:function:thumbnails', name: 'thumbnails' },
    ]);
    expect(lambda.commandCalls(ListFunctionsCommand).map((c) => c.args[0].input)).toEqual([{ MaxItems: 50 }, { MaxItems: 50, Marker: 'n1' }]);
    expect(built).toEqual([{ service: 'lambda', key: 'AKIASANDBOX', region: 'us-east-1' }]);
  });

  it('log groups: names with slashes, the ARN without the ":*" DescribeLogGroups adds', async () => {
    logs.on(DescribeLogGroupsCommand)
      .resolvesOnce({ logGroups: [{ logGroupName: '/aws/lambda/pay-export', arn: 'arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/pay-export:*' }], nextToken: 't1' })
      .resolvesOnce({ logGroups: [{ logGroupName: 'app/web' }] });
    const listing = await discovery().list(PAYMENTS, 'logs');
    expect(arnsOf(listing)).toEqual([
      'arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/pay-export',
      'arn:aws:logs:eu-west-1:111111111111:log-group:app/web',
    ]);
    expect(logs.commandCalls(DescribeLogGroupsCommand).map((c) => c.args[0].input)).toEqual([{ limit: 50 }, { limit: 50, nextToken: 't1' }]);
  });

  it('SQS: queue names from their URLs, always paging with MaxResults', async () => {
    sqs.on(ListQueuesCommand)
      .resolvesOnce({ QueueUrls: ['https://sqs.eu-west-1.amazonaws.com/111111111111/orders'], NextToken: 'q1' })
      .resolvesOnce({ QueueUrls: ['https://sqs.eu-west-1.amazonaws.com/111111111111/orders-dlq.fifo'] });
    const listing = await discovery().list(PAYMENTS, 'sqs');
    expect(listing.resources).toEqual([
      { arn: 'arn:aws:sqs:eu-west-1:111111111111:orders', name: 'orders' },
      { arn: 'arn:aws:sqs:eu-west-1:111111111111:orders-dlq.fifo', name: 'orders-dlq.fifo' },
    ]);
    expect(sqs.commandCalls(ListQueuesCommand).map((c) => c.args[0].input)).toEqual([{ MaxResults: 1000 }, { MaxResults: 1000, NextToken: 'q1' }]);
  });

  it('caps every service, saying so, and does not call again past the cap', async () => {
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceIdentifier: 'a' }, { DBInstanceIdentifier: 'b' }], Marker: 'more' });
    lambda.on(ListFunctionsCommand).resolves({ Functions: [{ FunctionName: 'a' }, { FunctionName: 'b' }], NextMarker: 'more' });
    logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: 'a' }, { logGroupName: 'b' }], nextToken: 'more' });
    sqs.on(ListQueuesCommand).resolves({ QueueUrls: ['https://q/1/a', 'https://q/1/b'], NextToken: 'more' });
    const d = discovery({ max: 3 });
    for (const service of ['rds', 'lambda', 'logs', 'sqs'] as const) {
      const listing = await d.list(PAYMENTS, service);
      expect({ service, count: listing.resources.length, truncated: listing.truncated }).toEqual({ service, count: 3, truncated: true });
    }
    for (const mock of [rds, lambda, logs, sqs]) expect(mock.calls()).toHaveLength(2);
    // The last page ends the list: nothing was cut.
    sqs.reset();
    sqs.on(ListQueuesCommand).resolves({ QueueUrls: ['https://q/1/a', 'https://q/1/b'] });
    expect((await d.list(PAYMENTS, 'sqs')).truncated).toBe(false);
  });

  it('drops a name that cannot form a valid ARN instead of offering a broken one', async () => {
    lambda.on(ListFunctionsCommand).resolves({ Functions: [{ FunctionName: 'ok' }, { FunctionName: 'bad:name' }] });
    expect(arnsOf(await discovery().list(PAYMENTS, 'lambda'))).toEqual(['arn:aws:lambda:eu-west-1:111111111111:function:ok']);
  });

  it('builds ARNs in the configured partition', async () => {
    sts.on(AssumeRoleCommand, { RoleArn: 'arn:aws-cn:iam::111111111111:role/warden-grant' }).resolves(assumed('AKIACHINA'));
    sqs.on(ListQueuesCommand).resolves({ QueueUrls: ['https://sqs.cn-north-1.amazonaws.com.cn/111111111111/orders'] });
    const listing = await discovery({ settings: { ...DEFAULT_IAM_GRANT_SETTINGS, partition: 'aws-cn' } }).list(PAYMENTS, 'sqs');
    expect(arnsOf(listing)).toEqual(['arn:aws-cn:sqs:eu-west-1:111111111111:orders']);
  });
});

describe('discovered ARNs as the IAM catalog reads them', () => {
  it('each one is the catalog’s resource type of its service, with the name in the right variable', async () => {
    s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'billing-reports' }] });
    dynamodb.on(ListTablesCommand).resolves({ TableNames: ['orders'] });
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: 'i-0abc', Tags: [{ Key: 'Name', Value: 'web-1' }] }] }] });
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceIdentifier: 'payments-db' }] });
    lambda.on(ListFunctionsCommand).resolves({ Functions: [{ FunctionName: 'pay-export' }] });
    logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: '/aws/lambda/pay-export' }] });
    sqs.on(ListQueuesCommand).resolves({ QueueUrls: ['https://sqs.eu-west-1.amazonaws.com/111111111111/orders'] });
    const catalog = new IamCatalog();
    const d = discovery();
    const expected: Record<DiscoverableService, [string, Record<string, string>]> = {
      s3: ['bucket', { BucketName: 'billing-reports' }],
      dynamodb: ['table', { TableName: 'orders' }],
      ec2: ['instance', { InstanceId: 'i-0abc' }],
      rds: ['db', { DbInstanceName: 'payments-db' }],
      lambda: ['function', { FunctionName: 'pay-export' }],
      logs: ['log-group', { LogGroupName: '/aws/lambda/pay-export' }],
      sqs: ['queue', { QueueName: 'orders' }],
    };
    for (const [service, [type, values]] of Object.entries(expected) as Array<[DiscoverableService, [string, Record<string, string>]]>) {
      const [resource] = (await d.list(PAYMENTS, service)).resources;
      const matches = await catalog.matchResourceTypes(service, resource!.arn);
      expect({ service, matches: matches.map((m) => m.type) }).toEqual({ service, matches: [type] });
      expect(matches[0]!.values).toMatchObject(values);
    }
  });
});

describe('the TTL cache over AWS discovery', () => {
  it('lists once per TTL, serves the last listing when a refresh fails, and lists again after', async () => {
    sqs.on(ListQueuesCommand).resolvesOnce({ QueueUrls: ['https://sqs.eu-west-1.amazonaws.com/111111111111/orders'] });
    const stale: string[] = [];
    const cached = new CachedResourceDiscovery(discovery(), { clock, ttlSeconds: 600, onStale: (key, e) => stale.push(`${key.accountId}/${key.service}: ${String(e)}`) });
    expect(arnsOf(await cached.list(PAYMENTS, 'sqs'))).toEqual(['arn:aws:sqs:eu-west-1:111111111111:orders']);
    clock.advanceMinutes(9);
    await cached.list(PAYMENTS, 'sqs');
    expect(sqs.commandCalls(ListQueuesCommand)).toHaveLength(1);

    clock.advanceMinutes(2);
    sqs.on(ListQueuesCommand).rejects(Object.assign(new Error('User is not authorized to perform sqs:ListQueues'), { name: 'AccessDenied' }));
    expect(arnsOf(await cached.list(PAYMENTS, 'sqs'))).toEqual(['arn:aws:sqs:eu-west-1:111111111111:orders']);
    expect(stale).toEqual(['111111111111/sqs: AccessDenied: User is not authorized to perform sqs:ListQueues']);

    sqs.reset();
    sqs.on(ListQueuesCommand).resolves({ QueueUrls: ['https://sqs.eu-west-1.amazonaws.com/111111111111/orders', 'https://sqs.eu-west-1.amazonaws.com/111111111111/payments'] });
    expect((await cached.list(PAYMENTS, 'sqs')).resources.map((r) => r.name)).toEqual(['orders', 'payments']);
  });
});

describe('discovery as the Bedrock drafter’s resource hints', () => {
  it('puts each account’s resources of every service into the drafting facts, listing once per TTL', async () => {
    s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'billing-reports' }] });
    dynamodb.on(ListTablesCommand).resolves({ TableNames: ['orders'] });
    sqs.on(ListQueuesCommand, { MaxResults: 1000 }).resolves({ QueueUrls: ['https://sqs.example/x/orders-queue'] });
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [] });
    lambda.on(ListFunctionsCommand).resolves({ Functions: [] });
    logs.on(DescribeLogGroupsCommand).rejects(Object.assign(new Error('not authorized to perform logs:DescribeLogGroups'), { name: 'AccessDeniedException' }));
    const { org, rules } = await loadPolicyConfig('examples');
    const failures: string[] = [];
    const hints = resourceHintsFrom(new CachedResourceDiscovery(discovery(), { clock, ttlSeconds: 600 }), { onError: (a, s) => failures.push(`${a.name}/${s}`) });
    const deps = { catalog: new IamCatalog(), org, rules, directory: new Directory(org), resourceHints: hints };
    const facts = await draftingFacts(deps, 'ana', ['read billing-reports']);
    expect(facts.knownResources).toBe(
      [
        'payments-prod:',
        '- arn:aws:s3:::billing-reports',
        '- arn:aws:dynamodb:eu-west-1:111111111111:table/orders',
        '- arn:aws:sqs:eu-west-1:111111111111:orders-queue',
        'sandbox:',
        '- arn:aws:s3:::billing-reports',
        '- arn:aws:dynamodb:us-east-1:222222222222:table/orders',
        '- arn:aws:sqs:us-east-1:222222222222:orders-queue',
      ].join('\n'),
    );
    // A service the role may not list is left out of the hints and reported, the rest still drafts.
    expect(failures).toEqual(['payments-prod/logs', 'sandbox/logs']);
    await draftingFacts(deps, 'ana', ['again']);
    expect(s3.commandCalls(ListBucketsCommand)).toHaveLength(2);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });
});
