import type { ScanFinding } from '../../scans/normalize/scan-finding.js';
import type { Scan } from '../../scans/scan.js';

/** How long "Request fix access" asks for; the drafter and the guardrails may still shorten it. */
export const FIX_MINUTES = 60;
/** Failing resources named in the drafted request. */
export const FIX_RESOURCES = 5;

/**
 * The words the drafter gets for "Request fix access": what to fix, where, and on which resources,
 * as a requester would write them. The drafter and the policy checks decide what is asked for.
 * Shared by the Slack and Teams buttons so both draft the same request.
 */
export function fixAccessText(scan: Scan, practiceId: string, practiceTitle: string, findings: ScanFinding[]): string {
  // Only resources a policy can name in this account: not the account root, not another account's.
  const resources = findings
    .map((f) => f.resource)
    .filter((r) => r.startsWith('arn:') && !r.endsWith(':root') && [scan.accountId, ''].includes(r.split(':')[4] ?? ''));
  const on = resources.length > 0 ? ` on ${resources.join(', ')}` : '';
  return `I need write access to ${scan.accountName} for ${FIX_MINUTES} minutes to fix the failing ${practiceId} (${practiceTitle}) findings of scan ${scan.id}${on}`;
}
