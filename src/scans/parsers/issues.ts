/**
 * Problems found while reading a scanner's output. A parser never stops at the first problem: it
 * records it here, with the file and the position, and keeps every valid finding around it.
 */

/** 1-based line and column, as editors show them. */
export interface TextPosition {
  line: number;
  column: number;
}

export interface ParseIssue {
  /** The file (or S3 key) as the user would look for it. */
  file: string;
  /** Where the problem is; absent when it concerns the whole file (e.g. it is empty). */
  at?: TextPosition;
  /** 0-based number of the record (array element, CSV row) the problem is in, when known. */
  record?: number;
  message: string;
}

/** How many issues one ingestion keeps in detail; the rest are only counted, so a garbage file cannot fill memory. */
export const MAX_KEPT_ISSUES = 50;

export class IssueLog {
  readonly kept: ParseIssue[] = [];
  total = 0;

  add(issue: ParseIssue): void {
    this.total += 1;
    if (this.kept.length < MAX_KEPT_ISSUES) this.kept.push(issue);
  }
}

export function describeIssue(issue: ParseIssue): string {
  const where = issue.at ? `${issue.file}:${issue.at.line}:${issue.at.column}` : issue.file;
  const record = issue.record === undefined ? '' : ` (record ${issue.record + 1})`;
  return `${where}${record}: ${issue.message}`;
}
