import { mkdtempSync, rmSync, writeFileSync, mkdirSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ParsedFinding } from '../../src/scans/finding.js';
import type { Scan } from '../../src/scans/scan.js';
import { IssueLog } from '../../src/scans/parsers/issues.js';

export const FIXTURES = '../shared/fixtures';
export const PROWLER_OCSF = `${FIXTURES}/scans/prowler/example_output_aws.ocsf.json`;
export const PROWLER_CSV = `${FIXTURES}/scans/prowler/example_output_aws.csv`;
export const CLOUDSPLOIT_JSON = `${FIXTURES}/scans/cloudsploit/generated_cloudsploit_output.json`;
export const CLOUDSPLOIT_CSV = `${FIXTURES}/scans/cloudsploit/generated_cloudsploit_output.csv`;
export const CUSTODIAN_DIR = `${FIXTURES}/scans/custodian`;

/** A temporary folder a test writes damaged copies into; removed by `dispose`. */
export function tempDir(): { path: string; write(name: string, content: string): string; copy(from: string, to: string): string; dispose(): void } {
  const path = mkdtempSync(join(tmpdir(), 'warden-scans-'));
  return {
    path,
    write(name, content) {
      const full = join(path, name);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
      return full;
    },
    copy(from, to) {
      const full = join(path, to);
      cpSync(from, full, { recursive: true });
      return full;
    },
    dispose: () => rmSync(path, { recursive: true, force: true }),
  };
}

/** Runs a parser and gathers its batches. */
export async function collect(run: (issues: IssueLog) => AsyncIterable<ParsedFinding[]>): Promise<{ findings: ParsedFinding[]; issues: IssueLog }> {
  const issues = new IssueLog();
  const findings: ParsedFinding[] = [];
  for await (const batch of run(issues)) findings.push(...batch);
  return { findings, issues };
}

/** A stored scan of payments-prod being imported (Custodian + CloudSploit), as ingestion tests start from. */
export function importingScan(id: string, now = '2026-11-23T10:00:00.000Z'): Scan {
  return {
    id,
    accountId: '111111111111',
    accountName: 'payments-prod',
    source: 'import',
    state: 'ingesting',
    version: 1,
    tools: ['custodian', 'cloudsploit'],
    regions: [],
    toolStates: {},
    requestedBy: 'dave',
    channel: 'C1',
    message: null,
    executionArn: null,
    resultsLocation: null,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
    error: null,
    summary: null,
  };
}
