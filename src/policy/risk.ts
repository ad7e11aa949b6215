import type { AccessLevel, PermissionDraft, RiskAssessment, RiskCode, RiskFactor, RiskLevel } from '../access/types.js';
import type { Account } from '../config/schemas.js';

const RANK: Record<RiskLevel, number> = { low: 0, medium: 1, high: 2, critical: 3 };

/** What the SCP simulation found, for the risk: a write the organization forbids is someone probing or a mistake. */
export interface ScpRiskInput {
  /** Action/resource pairs the SCPs would deny. */
  deniedPairs: number;
  /** Distinct denied actions that write, tag or manage permissions. */
  deniedWrites: string[];
}

/**
 * A deterministic risk level with its factors as data (code, level, reason) an approver and the audit
 * log can check. `levels` holds the catalog's access levels of every drafted action (the checks look
 * them up; the drafter's claim is not used). The level is the highest any factor reaches.
 */
export function assessRisk(draft: PermissionDraft, account: Account, levels: AccessLevel[], scp?: ScpRiskInput): RiskAssessment {
  const factors: RiskFactor[] = [];
  const add = (code: RiskCode, level: RiskLevel, reason: string): void => {
    factors.push({ code, level, reason });
  };
  const prod = account.environment === 'prod';

  // Permissions management in production can turn temporary access into permanent access.
  if (levels.includes('Permissions management')) {
    if (prod) add('permissions-management-in-prod', 'critical', `grants permissions-management actions in production account ${account.name}`);
    else add('permissions-management', 'high', 'grants permissions-management actions');
  }
  if (levels.includes('Write')) {
    if (prod) add('write-in-prod', 'high', 'can change resources in production');
    else add('write', 'medium', 'can change resources');
  }
  if (levels.includes('Tagging')) add('tagging', 'medium', 'can change tags, which may drive access decisions');
  if (prod) add('production-account', 'medium', `account ${account.name} is production`);
  if (draft.broad) add('broad-draft', 'medium', 'broad: every action of an access level, not a matched intent');
  if (draft.statements.some((s) => s.resources.includes('*'))) add('wildcard-resource', 'medium', 'some actions apply to every resource ("*")');
  if (draft.durationMinutes > 240) add('long-duration', 'medium', `long duration (${draft.durationMinutes} minutes)`);
  if (scp && scp.deniedWrites.length > 0) {
    add('scp-denied-write', 'critical', `writes the organization's SCPs deny: ${scp.deniedWrites.join(', ')}`);
  } else if (scp && scp.deniedPairs > 0) {
    add('scp-denied', 'medium', `${scp.deniedPairs} action/resource pair(s) would be denied by the organization's SCPs`);
  }

  const level = factors.reduce<RiskLevel>((max, f) => (RANK[f.level] > RANK[max] ? f.level : max), 'low');
  const reasons = factors.length > 0 ? factors.map((f) => f.reason) : ['read-only access to named resources in a non-production account'];
  return { level, reasons, factors };
}
