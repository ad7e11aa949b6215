/**
 * The one shape every scanner's result is normalized to. Parsers produce `Finding`s; the mapper adds
 * the Well-Architected best practices; de-duplication merges the same issue on the same resource.
 */

export const TOOLS = ['prowler', 'custodian', 'cloudsploit'] as const;
export type Tool = (typeof TOOLS)[number];

export const TOOL_LABELS: Record<Tool, string> = { prowler: 'Prowler', custodian: 'Custodian', cloudsploit: 'CloudSploit' };

/** Most severe first; the order is used to pick the higher severity when findings merge. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'informational'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * fail: the check found a problem; pass: it found none; manual: the tool cannot decide (Prowler
 * MANUAL); unknown: the tool could not run the check (CloudSploit UNKNOWN, errors).
 */
export const FINDING_STATUSES = ['fail', 'pass', 'manual', 'unknown'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** Where a finding came from, so a person can find the record in the tool's own output. */
export interface RawRef {
  file: string;
  line: number;
  /** 0-based record number in the file, when exact. */
  record?: number;
}

/** A finding as a parser reads it: severity is absent when the tool has none (CloudSploit FAIL, Custodian). */
export interface ParsedFinding {
  tool: Tool;
  /** Prowler check id, Custodian policy name, CloudSploit plugin id. */
  checkId: string;
  title: string;
  severity?: Severity;
  status: FindingStatus;
  /** The resource's ARN when the tool gives or implies one, else the tool's own id for it. */
  resource: string;
  /** AWS region, or "global". */
  region: string;
  /** 12-digit account id, or "" when the output does not say. */
  account: string;
  /** AWS service, e.g. "s3", "iam". */
  service: string;
  remediation: string;
  /** The tool's message about this resource ("Bucket x has versioning disabled"). */
  detail: string;
  /** Well-Architected best-practice ids the finding itself carries (Prowler's compliance data). */
  compliance: string[];
  /** Severity and best practices set by the author of a Custodian policy, in its metadata. */
  authorMapping?: { severity?: Severity; bestPractices?: string[] };
  raw: RawRef;
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** The more severe of two severities. */
export function worse(a: Severity, b: Severity): Severity {
  return severityRank(a) <= severityRank(b) ? a : b;
}

/** Reads a tool's severity word ("High", "critical", "INFO") into ours; undefined when unknown. */
export function parseSeverity(value: unknown): Severity | undefined {
  if (typeof value !== 'string') return undefined;
  const word = value.trim().toLowerCase();
  if (word === 'info') return 'informational';
  return (SEVERITIES as readonly string[]).includes(word) ? (word as Severity) : undefined;
}
