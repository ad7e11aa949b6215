import type { z } from 'zod';
import type { FindingStatus, ParsedFinding } from '../finding.js';
import type { IssueLog, TextPosition } from './issues.js';

/** An AWS region name, e.g. "eu-west-1" or "us-gov-west-1". */
export const REGION_NAME = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/** A 12-digit account id, or "" (outputs carry placeholders such as "<account_uid>" or nothing). */
export function accountId(value: string | undefined | null): string {
  return value && /^\d{12}$/.test(value) ? value : '';
}

/** The account in an ARN ("arn:aws:iam::111122223333:root" → "111122223333"), or "". */
export function accountOfArn(arn: string): string {
  return accountId(arn.startsWith('arn:') ? arn.split(':')[4] : undefined);
}

/** "global" for absent or non-regional values, else the region as given. */
export function regionOrGlobal(value: string | undefined | null): string {
  const region = value?.trim();
  return region && region !== 'N/A' && !region.startsWith('<') ? region : 'global';
}

/** Prowler's status words (OCSF status_code, CSV STATUS, ASFF Compliance.Status). */
export function prowlerStatus(value: string | undefined): FindingStatus {
  switch (value?.toUpperCase()) {
    case 'FAIL':
    case 'FAILED':
    case 'FAILURE':
      return 'fail';
    case 'PASS':
    case 'PASSED':
    case 'SUCCESS':
      return 'pass';
    case 'MANUAL':
    case 'WARNING':
      return 'manual';
    default:
      return 'unknown';
  }
}

/** Well-Architected requirement ids from a "framework → ids" map, for any pillar's framework. */
export function wellArchitectedIds(compliance: Record<string, string[]> | undefined): string[] {
  if (!compliance) return [];
  const ids: string[] = [];
  for (const [framework, values] of Object.entries(compliance)) {
    if (framework.startsWith('AWS-Well-Architected-Framework')) ids.push(...values.map((v) => v.trim()).filter(Boolean));
  }
  return ids;
}

/** Summarizes why a record did not match the expected shape, in one short line. */
export function shapeProblem(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`)
    .join('; ');
}

/** Records a record that is valid JSON but not what the format promises. */
export function reportShape(issues: IssueLog, file: string, at: TextPosition, record: number | undefined, what: string, error: z.ZodError): void {
  issues.add({ file, at, ...(record === undefined ? {} : { record }), message: `not a ${what}: ${shapeProblem(error)}. Skipped.` });
}

/** What every parser returns: findings in batches (one per chunk read), so awaits stay few. */
export type FindingBatches = AsyncGenerator<ParsedFinding[]>;

/** Rows of a CSV file are grouped into batches of this many. */
export const CSV_BATCH = 500;
