import { describe, expect, it } from 'vitest';
import { IamCatalog } from '../../src/policy/catalog.js';

const catalog = new IamCatalog();

describe('IamCatalog', () => {
  it('finds actions case-insensitively and returns the canonical spelling', async () => {
    expect(await catalog.actionExists('S3:getobject')).toBe('s3:GetObject');
    expect(await catalog.actionExists('s3:ReadObject')).toBeUndefined();
    expect(await catalog.actionExists('GetObject')).toBeUndefined();
    expect(await catalog.actionExists('nosuchservice:GetObject')).toBeUndefined();
  });

  it('does not take object property names for services or actions', async () => {
    expect(await catalog.serviceExists('constructor')).toBe(false);
    expect(await catalog.serviceExists('__proto__')).toBe(false);
    expect(await catalog.actionExists('s3:constructor')).toBeUndefined();
    expect(await catalog.actionExists('s3:toString')).toBeUndefined();
  });

  it('never reads outside the catalog for an odd service name', async () => {
    expect(await catalog.serviceExists('../../package')).toBe(false);
    expect(await catalog.action('../x:GetObject')).toBeUndefined();
    expect(await catalog.resourceTypes('../../package')).toEqual([]);
  });

  it('splits combined access levels and counts tagging-only writes as Tagging', async () => {
    expect(await catalog.action('s3:PutObjectTagging')).toMatchObject({
      id: 's3:PutObjectTagging',
      accessLevels: ['Tagging', 'Write'],
      level: 'Tagging',
      isWildcardOnly: false,
    });
    expect(await catalog.action('sqs:SetQueueAttributes')).toMatchObject({
      accessLevels: ['Permissions management', 'Write'],
      level: 'Permissions management',
    });
    expect((await catalog.action('s3:GetObject'))?.resourceTypes.map((r) => r.name)).toEqual(['accesspointobject', 'object']);
  });

  it('knows wildcard-only actions', async () => {
    expect((await catalog.action('ec2:DescribeInstances'))?.isWildcardOnly).toBe(true);
    expect((await catalog.action('sqs:ListQueues'))?.isWildcardOnly).toBe(true);
    expect((await catalog.action('s3:ListBucket'))?.isWildcardOnly).toBe(false);
  });

  it('gives resource types and their ARN formats, case-insensitively', async () => {
    expect(await catalog.resourceArnFormat('s3', 'object')).toBe('arn:${Partition}:s3:::${BucketName}/${ObjectName}');
    expect((await catalog.resourceType('secretsmanager', 'secret'))?.name).toBe('Secret');
    expect(await catalog.resourceType('s3', 'no-such-type')).toBeUndefined();
    expect((await catalog.resourceType('apigateway', 'stage'))?.arnFormats.length).toBe(2);
  });

  it('lists the actions of one level on one resource type', async () => {
    const reads = (await catalog.actionsFor('s3', 'Read', 'object')).map((a) => a.id);
    expect(reads).toContain('s3:GetObject');
    expect(reads).not.toContain('s3:PutObject');
    expect(reads).not.toContain('s3:ListBucket');
    const tagging = (await catalog.actionsFor('s3', 'Tagging', 'object')).map((a) => a.id);
    expect(tagging).toContain('s3:PutObjectTagging');
    const writes = (await catalog.actionsFor('sqs', 'Write', 'queue')).map((a) => a.id);
    expect(writes).toContain('sqs:SendMessage');
    expect(writes).not.toContain('sqs:SetQueueAttributes');
  });

  it('suggests what was probably meant', async () => {
    expect((await catalog.closest('s3:ReadObject'))[0]).toBe('s3:GetObject');
    expect(await catalog.closest('s3:GetObjekt')).toContain('s3:GetObject');
    expect(await catalog.closest('dynamo:GetItem')).toEqual(['dynamodb:GetItem']);
    expect(await catalog.closest('lambda:CallFunction')).toContain('lambda:InvokeFunction');
    expect(await catalog.closest('not an action')).toEqual([]);
  });

  it('answers the same object twice from its memo', async () => {
    const first = await catalog.action('kms:Decrypt');
    expect(await catalog.action('KMS:decrypt')).toBe(first);
  });
});
