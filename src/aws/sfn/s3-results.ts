import { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { ResultFile, ResultFolder } from '../../scans/results/files.js';
import { localFolder } from '../../scans/results/local-files.js';
import type { ResultsReader } from '../../scans/results/reader.js';

/** "s3://bucket/a/b/" → { bucket, prefix: "a/b/" } (the prefix always ends with "/" unless empty). */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!match) throw new Error(`Not an s3:// URL: ${url}`);
  const prefix = match[2]!;
  return { bucket: match[1]!, prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/` };
}

function s3File(client: S3Client, bucket: string, key: string, name: string): ResultFile {
  return {
    name,
    async open() {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      // In Node the SDK's body is a Readable: streamed, never buffered whole.
      if (object.Body instanceof Readable) return object.Body;
      throw new Error(`s3://${bucket}/${key} has no readable body.`);
    },
  };
}

/** The objects under an S3 prefix, as a results folder (names relative to the prefix). */
export function s3Folder(client: S3Client, url: string): ResultFolder {
  const { bucket, prefix } = parseS3Url(url);
  return {
    name: url,
    async *files() {
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        // S3 lists keys in UTF-8 binary order: stable, as ResultFolder promises.
        for (const object of page.Contents ?? []) {
          if (!object.Key || object.Key.endsWith('/')) continue;
          yield s3File(client, bucket, object.Key, object.Key.slice(prefix.length));
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    },
  };
}

/** Reads s3:// locations from S3 and anything else from the local disk (scanners running beside the bot). */
export function s3OrLocalResults(client: S3Client | null): ResultsReader {
  return {
    folder(location) {
      if (location.startsWith('s3://')) {
        if (!client) throw new Error(`Results are in S3 (${location}) but no S3 client is configured.`);
        return s3Folder(client, location);
      }
      return localFolder(location);
    },
  };
}
