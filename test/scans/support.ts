import { mkdtempSync, rmSync, writeFileSync, mkdirSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ParsedFinding } from '../../src/scans/finding.js';
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
