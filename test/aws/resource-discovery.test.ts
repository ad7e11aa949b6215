import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsResourceDiscovery, type DiscoveryClientFactory } from '../../src/aws/discovery/aws-resource-discovery.js';
import type { SessionCredentials } from '../../src/aws/iam/clients.js';
import { DEFAULT_IAM_GRANT_SETTINGS } from '../../src/aws/iam/plan.js';
import { Directory } from '../../src/access/directory.js';
import { CachedResourceDiscovery, resourceHintsFrom } from '../../src/access/resource-discovery.js';
import { draftingFacts } from '../../src/ai/draft-context.js';
import { loadPolicyConfig } from '../../src/config/load-policy-files.js';
import { IamCatalog } from '../../src/policy/catalog.js';
import { ManualClock } from '../support/manual-clock.js';
import { sampleOrg } from '../support/org.js';

const sts = mockClient(STSClient);
const s3 = mockClient(S3Client);
const dynamodb = mockClient(DynamoDBClient);

let clock: ManualClock;
/** Which credentials and region each client was built with. */
let built: Array<{ service: 's3' | 'dynamodb'; key: string; region: string }>;

function clients(): DiscoveryClientFactory {
  const key = (c: SessionCredentials) => c.accessKeyId;
  return {
    sts: () => new STSClient({ region: 'eu-west-1' }),
    s3: (c, region) => (built.push({ service: 's3', key: key(c), region }), new S3Client({ region, credentials: c })),
    dynamodb: (c, region) => (built.push({ service: 'dynamodb', key: key(c), region }), new DynamoDBClient({ region, credentials: c })),
  };
}

function discovery(settings = DEFAULT_IAM_GRANT_SETTINGS) {
  return new AwsResourceDiscovery({
    accounts: sampleOrg.accounts,
    settings,
    clients: clients(),
    clock,
    retry: { runtime: { sleep: async () => undefined, random: () => 0 } },
  });
}

function assumed(accessKeyId: string, minutes = 15) {
  return {
    Credentials: { AccessKeyId: accessKeyId, SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date(clock.now().getTime() + minutes * 60_000) },
  };
}

beforeEach(() => {
  clock = new ManualClock('2026-11-23T10:00:00Z');
  built = [];
  for (const m of [sts, s3, dynamodb]) m.reset();
  sts.on(AssumeRoleCommand, { RoleArn: 'arn:aws:iam::111111111111:role/warden-grant' }).resolves(assumed('AKIAPAYMENTS'));
  sts.on(AssumeRoleCommand, { RoleArn: 'arn:aws:iam::222222222222:role/warden-grant' }).resolves(assumed('AKIASANDBOX'));
});

afterEach(() => {
  for (const m of [sts, s3, dynamodb]) m.reset();
});

describe('AwsResourceDiscovery', () => {
  it('lists every bucket page through the account’s warden-grant role, as sorted ARNs', async () => {
    s3.on(ListBucketsCommand)
      .resolvesOnce({ Buckets: [{ Name: 'billing-reports' }, { Name: 'audit-logs' }], ContinuationToken: 'next' })
      .resolvesOnce({ Buckets: [{ Name: 'exports' }] });
    const arns = await discovery({ ...DEFAULT_IAM_GRANT_SETTINGS, externalId: 'warden-ext' }).list('111111111111', 's3');
    expect(arns).toEqual(['arn:aws:s3:::audit-logs', 'arn:aws:s3:::billing-reports', 'arn:aws:s3:::exports']);

    const [assume] = sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input);
    expect(assume).toEqual({ RoleArn: 'arn:aws:iam::111111111111:role/warden-grant', RoleSessionName: 'warden-discovery', DurationSeconds: 900, ExternalId: 'warden-ext' });
    expect(s3.commandCalls(ListBucketsCommand).map((c) => c.args[0].input.ContinuationToken)).toEqual([undefined, 'next']);
    expect(built).toEqual([{ service: 's3', key: 'AKIAPAYMENTS', region: 'eu-west-1' }]);
  });

  it('lists tables in the account’s region, following LastEvaluatedTableName', async () => {
    dynamodb.on(ListTablesCommand).resolvesOnce({ TableNames: ['orders', 'payments'], LastEvaluatedTableName: 'payments' }).resolvesOnce({ TableNames: ['sessions'] });
    const arns = await discovery().list('222222222222', 'dynamodb');
    expect(arns).toEqual([
      'arn:aws:dynamodb:us-east-1:222222222222:table/orders',
      'arn:aws:dynamodb:us-east-1:222222222222:table/payments',
      'arn:aws:dynamodb:us-east-1:222222222222:table/sessions',
    ]);
    expect(dynamodb.commandCalls(ListTablesCommand).map((c) => c.args[0].input.ExclusiveStartTableName)).toEqual([undefined, 'payments']);
    expect(built).toEqual([{ service: 'dynamodb', key: 'AKIASANDBOX', region: 'us-east-1' }]);
  });

  it('reuses the assumed role until close to its expiry, then assumes again', async () => {
    s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'b' }] });
    dynamodb.on(ListTablesCommand).resolves({ TableNames: ['t'] });
    const d = discovery();
    await d.list('111111111111', 's3');
    await d.list('111111111111', 'dynamodb');
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    clock.advanceMinutes(14.5);
    await d.list('111111111111', 's3');
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('retries throttling, and an account outside org.yaml is never assumed into', async () => {
    s3.on(ListBucketsCommand)
      .rejectsOnce(Object.assign(new Error('slow down'), { name: 'SlowDown' }))
      .resolves({ Buckets: [{ Name: 'b' }] });
    expect(await discovery().list('111111111111', 's3')).toEqual(['arn:aws:s3:::b']);
    expect(s3.commandCalls(ListBucketsCommand)).toHaveLength(2);

    await expect(discovery().list('999999999999', 's3')).rejects.toThrow(/not in org.yaml/);
    expect(sts.commandCalls(AssumeRoleCommand).some((c) => c.args[0].input.RoleArn?.includes('999999999999'))).toBe(false);
  });

  it('a denied listing fails, and a failed AssumeRole is tried again next time', async () => {
    sts.reset();
    sts.on(AssumeRoleCommand).rejectsOnce(Object.assign(new Error('not authorized'), { name: 'AccessDenied' })).resolves(assumed('AKIAPAYMENTS'));
    s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'b' }] });
    const d = discovery();
    await expect(d.list('111111111111', 's3')).rejects.toThrow(/not authorized/);
    expect(await d.list('111111111111', 's3')).toEqual(['arn:aws:s3:::b']);
  });
});

describe('discovery as the Bedrock drafter’s resource hints', () => {
  it('puts each account’s buckets and tables into the drafting facts, listing once per TTL', async () => {
    s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'billing-reports' }] });
    dynamodb.on(ListTablesCommand).resolves({ TableNames: ['orders'] });
    const { org, rules } = await loadPolicyConfig('examples');
    const hints = resourceHintsFrom(new CachedResourceDiscovery(discovery(), { clock, ttlSeconds: 600 }));
    const deps = { catalog: new IamCatalog(), org, rules, directory: new Directory(org), resourceHints: hints };
    const facts = await draftingFacts(deps, 'ana', ['read billing-reports']);
    expect(facts.knownResources).toBe(
      [
        'payments-prod:',
        '- arn:aws:s3:::billing-reports',
        '- arn:aws:dynamodb:eu-west-1:111111111111:table/orders',
        'sandbox:',
        '- arn:aws:s3:::billing-reports',
        '- arn:aws:dynamodb:us-east-1:222222222222:table/orders',
      ].join('\n'),
    );
    await draftingFacts(deps, 'ana', ['again']);
    expect(s3.commandCalls(ListBucketsCommand)).toHaveLength(2);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });
});
