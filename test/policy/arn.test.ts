import { describe, expect, it } from 'vitest';
import { ArnBuildError, compileArnFormat, parseArn } from '../../src/policy/arn.js';
import { IamCatalog } from '../../src/policy/catalog.js';

const S3 = ['arn:${Partition}:s3:::${BucketName}', 'arn:${Partition}:s3:::${BucketName}/${ObjectName}'];
const bucket = compileArnFormat(S3[0]!, S3);
const object = compileArnFormat(S3[1]!, S3);

describe('parseArn', () => {
  it('splits the five header fields and keeps the resource part whole, colons included', () => {
    expect(parseArn('arn:aws:logs:eu-west-1:111111111111:log-group:/aws/x:log-stream:a')).toEqual({
      partition: 'aws',
      service: 'logs',
      region: 'eu-west-1',
      account: '111111111111',
      resource: 'log-group:/aws/x:log-stream:a',
    });
    expect(parseArn('arn:aws:s3:::billing-reports')).toMatchObject({ region: '', account: '', resource: 'billing-reports' });
  });

  it('refuses what is not an ARN', () => {
    for (const text of ['', 'billing-reports', 'arn:aws:s3', 'arn:aws:s3:::', 'urn:aws:s3:::b', 'arn:aws:s3:::b c']) {
      expect(parseArn(text), text).toBeUndefined();
    }
  });
});

describe('S3 bucket and object formats', () => {
  it('tells a bucket ARN from an object ARN', () => {
    expect(bucket.matches('arn:aws:s3:::billing-reports')).toBe(true);
    expect(object.matches('arn:aws:s3:::billing-reports')).toBe(false);
    expect(bucket.matches('arn:aws:s3:::billing-reports/*')).toBe(false);
    expect(object.match('arn:aws:s3:::billing-reports/*')).toEqual({ Partition: 'aws', BucketName: 'billing-reports', ObjectName: '*' });
  });

  it('lets an object key hold "/" and ":" but never lets the bucket name hold "/"', () => {
    expect(object.match('arn:aws:s3:::b-1/exports/2024/01:a.csv')).toMatchObject({ BucketName: 'b-1', ObjectName: 'exports/2024/01:a.csv' });
    expect(() => bucket.build({ Partition: 'aws', BucketName: 'a/b' })).toThrow(ArnBuildError);
    expect(object.build({ Partition: 'aws', BucketName: 'billing-reports', ObjectName: 'exports/*' })).toBe(
      'arn:aws:s3:::billing-reports/exports/*',
    );
  });

  it('refuses a bucket ARN with a region or account, which S3 bucket ARNs never have', () => {
    expect(bucket.matches('arn:aws:s3:eu-west-1:111111111111:billing-reports')).toBe(false);
  });

  it('needs every variable to build, and refuses empty ones', () => {
    expect(() => object.build({ Partition: 'aws', BucketName: 'b' })).toThrow(/ObjectName/);
    expect(() => bucket.build({ Partition: 'aws', BucketName: '' })).toThrow(ArnBuildError);
  });

  it('treats a variable as one segment when the format is compiled alone, except a trailing one', () => {
    const table = compileArnFormat('arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}');
    expect(table.matches('arn:aws:dynamodb:eu-west-1:111111111111:table/orders')).toBe(true);
    expect(table.variables).toEqual(['Partition', 'Region', 'Account', 'TableName']);
    const index = compileArnFormat('arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}/index/${IndexName}');
    expect(index.match('arn:aws:dynamodb:eu-west-1:111111111111:table/orders/index/by-date')).toMatchObject({ TableName: 'orders' });
    expect(index.matches('arn:aws:dynamodb:eu-west-1:111111111111:table/a/b/index/by-date')).toBe(false);
  });
});

describe('formats from the catalog', () => {
  const catalog = new IamCatalog();
  const typesOf = async (service: string, arn: string) => (await catalog.matchResourceTypes(service, arn)).map((m) => m.type);

  it('keeps a DynamoDB index ARN from passing for its table', async () => {
    expect(await typesOf('dynamodb', 'arn:aws:dynamodb:eu-west-1:111111111111:table/orders')).toEqual(['table']);
    expect(await typesOf('dynamodb', 'arn:aws:dynamodb:eu-west-1:111111111111:table/orders/index/by-date')).toEqual(['index']);
  });

  it('lets a log group name hold "/" in both the log-group and the log-stream ARN', async () => {
    const group = await catalog.matchResourceTypes('logs', 'arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/checkout');
    expect(group).toEqual([{ type: 'log-group', values: expect.objectContaining({ LogGroupName: '/aws/lambda/checkout' }) }]);
    const stream = await catalog.matchResourceTypes(
      'logs',
      'arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/checkout:log-stream:2024/01/01/[$LATEST]abc',
    );
    expect(stream).toEqual([
      {
        type: 'log-stream',
        values: expect.objectContaining({ LogGroupName: '/aws/lambda/checkout', LogStreamName: '2024/01/01/[$LATEST]abc' }),
      },
    ]);
  });

  it('does not take a qualified Lambda ARN (alias or version) for the function', async () => {
    expect(await typesOf('lambda', 'arn:aws:lambda:eu-west-1:111111111111:function:resize')).toEqual(['function']);
    expect(await typesOf('lambda', 'arn:aws:lambda:eu-west-1:111111111111:function:resize:live')).not.toContain('function');
  });

  it('matches the EC2 instance ARN that SSM uses for sessions', async () => {
    expect(await typesOf('ssm', 'arn:aws:ec2:eu-west-1:111111111111:instance/i-0abc123def4567890')).toEqual(['instance']);
  });

  it('lets a parameter name hold "/" and builds ARNs with a literal suffix in the format', async () => {
    expect(await typesOf('ssm', 'arn:aws:ssm:eu-west-1:111111111111:parameter/payments/db-url')).toEqual(['parameter']);
    const [dmsCert] = await catalog.arnPatterns('dms', 'certificate');
    expect(dmsCert!.matches('arn:aws:dms:eu-west-1:111111111111:cert:ABCDEF')).toBe(true);
  });

  it('builds an SQS queue ARN whose resource part is the name alone', async () => {
    const [queue] = await catalog.arnPatterns('sqs', 'queue');
    expect(queue!.build({ Partition: 'aws', Region: 'eu-west-1', Account: '111111111111', QueueName: 'orders.fifo' })).toBe(
      'arn:aws:sqs:eu-west-1:111111111111:orders.fifo',
    );
  });

  it('refuses header values that would shift the ARN fields', async () => {
    const [queue] = await catalog.arnPatterns('sqs', 'queue');
    expect(() => queue!.build({ Partition: 'aws', Region: 'eu-west-1:x', Account: '111111111111', QueueName: 'q' })).toThrow(ArnBuildError);
  });
});
