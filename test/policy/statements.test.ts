import { describe, expect, it } from 'vitest';
import { IamCatalog } from '../../src/policy/catalog.js';
import { buildStatements } from '../../src/policy/statements.js';
import { sampleOrg } from '../support/org.js';

const catalog = new IamCatalog();
const sandbox = sampleOrg.accounts[1]!;
const bucket = { given: 'billing-reports', values: { BucketName: 'billing-reports' } };

describe('buildStatements', () => {
  it('checks every planned action with the catalog and leaves out, with a note, what fails', async () => {
    const { statements, notes } = await buildStatements(
      catalog,
      [
        { action: 's3:GetObject', on: [{ type: 'object', fill: { ObjectName: '*' } }], ceiling: 'Read' },
        { action: 's3:NoSuchAction', on: [{ type: 'object' }], ceiling: 'Read' },
        { action: 's3:PutObject', on: [{ type: 'object', fill: { ObjectName: '*' } }], ceiling: 'Read' },
        { action: 's3:ListBucket', on: ['*'], ceiling: 'Read' },
        { action: 's3:GetBucketTagging', on: [{ type: 'object' }], ceiling: 'Read' },
      ],
      [bucket],
      sandbox,
    );
    expect(statements).toEqual([{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::billing-reports/*'] }]);
    expect(notes).toEqual([
      'Left out s3:NoSuchAction: it is not in the IAM catalog.',
      'Left out s3:PutObject: it is a Write action, above Read.',
      'Left out "*" for s3:ListBucket: it can be limited to a resource.',
      'Left out s3:GetBucketTagging on object: the catalog does not apply it to that resource type.',
    ]);
  });

  it('spells actions as the catalog does and groups actions that share their resources', async () => {
    const { statements } = await buildStatements(
      catalog,
      [
        { action: 'S3:getobject', on: [{ type: 'object', fill: { ObjectName: '*' } }], ceiling: 'Read' },
        { action: 's3:ListBucket', on: [{ type: 'bucket' }], ceiling: 'Read' },
        { action: 's3:GetObjectTagging', on: [{ type: 'object', fill: { ObjectName: '*' } }], ceiling: 'Read' },
      ],
      [bucket, { given: 'audit-logs', values: { BucketName: 'audit-logs' } }],
      sandbox,
    );
    expect(statements).toEqual([
      { actions: ['s3:GetObject', 's3:GetObjectTagging'], resources: ['arn:aws:s3:::billing-reports/*', 'arn:aws:s3:::audit-logs/*'] },
      { actions: ['s3:ListBucket'], resources: ['arn:aws:s3:::billing-reports', 'arn:aws:s3:::audit-logs'] },
    ]);
  });

  it('fills region and account from the account, and lets an ARN’s own values win', async () => {
    const { statements } = await buildStatements(
      catalog,
      [{ action: 'sqs:SendMessage', on: [{ type: 'queue' }], ceiling: 'Write' }],
      [
        { given: 'orders', values: { QueueName: 'orders' } },
        { given: 'arn', values: { QueueName: 'west', Region: 'us-west-2', Account: '222222222222' } },
      ],
      sandbox,
    );
    expect(statements[0]?.resources).toEqual(['arn:aws:sqs:us-east-1:222222222222:orders', 'arn:aws:sqs:us-west-2:222222222222:west']);
  });
});
