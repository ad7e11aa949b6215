import { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, S3Client, type GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parseS3Url, s3OrLocalResults } from '../../../src/aws/sfn/s3-results.js';
import { detectFolder } from '../../../src/scans/results/detect.js';
import { parseProwlerOcsf } from '../../../src/scans/parsers/prowler-ocsf.js';
import { IssueLog } from '../../../src/scans/parsers/issues.js';

const s3 = mockClient(S3Client);
afterEach(() => s3.reset());

describe('S3 results', () => {
  it('parses s3 URLs', () => {
    expect(parseS3Url('s3://bucket/scans/s-1')).toEqual({ bucket: 'bucket', prefix: 'scans/s-1/' });
    expect(parseS3Url('s3://bucket')).toEqual({ bucket: 'bucket', prefix: '' });
  });

  it('lists a prefix page by page and streams objects to the parsers', async () => {
    const ocsf = readFileSync('../shared/fixtures/scans/prowler/example_output_aws.ocsf.json');
    s3.on(ListObjectsV2Command, { ContinuationToken: undefined })
      .resolves({ Contents: [{ Key: 'scans/s-1/prowler/out.ocsf.json' }], IsTruncated: true, NextContinuationToken: 't2' })
      .on(ListObjectsV2Command, { ContinuationToken: 't2' })
      .resolves({ Contents: [{ Key: 'scans/s-1/prowler/compliance/cis.csv' }, { Key: 'scans/s-1/prowler/' }], IsTruncated: false });
    // In Node the SDK hands back a Readable (with helper methods mixed in, which the reader does not use).
    s3.on(GetObjectCommand).callsFake(() => ({ Body: Readable.from([ocsf.subarray(0, 1000), ocsf.subarray(1000)]) as unknown as GetObjectCommandOutput['Body'] }));

    const reader = s3OrLocalResults(new S3Client({ region: 'eu-west-1' }));
    const { sources, skipped } = await detectFolder(reader.folder('s3://bucket/scans/s-1'), (name) => reader.folder(`s3://bucket/scans/s-1/${name}`));
    expect(skipped).toEqual([]);
    expect(sources.map((s) => s.format)).toEqual(['prowler-ocsf']);
    const source = sources[0]!;
    if (source.format === 'custodian') throw new Error('unexpected');
    expect(source.file.name).toBe('prowler/out.ocsf.json');
    const issues = new IssueLog();
    const checks: string[] = [];
    for await (const batch of parseProwlerOcsf(source.file, issues)) checks.push(...batch.map((f) => f.checkId));
    expect(checks).toHaveLength(5);
    expect(issues.total).toBe(0);
  });
});
