import type { AccessLevel, PermissionDraft, RiskAssessment, RiskLevel } from '../access/types.js';
import type { Account } from '../config/schemas.js';

const RANK: Record<RiskLevel, number> = { low: 0, medium: 1, high: 2 };

/**
 * A deterministic risk level with the reasons an approver can check. `levels` holds the catalog's
 * access levels of every drafted action (the checks look them up; the drafter's claim is not used).
 */
export function assessRisk(draft: PermissionDraft, account: Account, levels: AccessLevel[]): RiskAssessment {
  let level: RiskLevel = 'low';
  const reasons: string[] = [];
  const raise = (to: RiskLevel, reason: string): void => {
    if (RANK[to] > RANK[level]) level = to;
    reasons.push(reason);
  };

  if (levels.includes('Permissions management')) raise('high', 'grants permissions-management actions');
  if (levels.includes('Write')) raise(account.environment === 'prod' ? 'high' : 'medium', 'can change resources');
  if (levels.includes('Tagging')) raise('medium', 'can change tags, which may drive access decisions');
  if (account.environment === 'prod') raise('medium', `account ${account.name} is production`);
  if (draft.broad) raise('medium', 'broad: every action of an access level, not a matched intent');
  const wildcardResources = draft.statements.some((s) => s.resources.includes('*'));
  if (wildcardResources) raise('medium', 'some actions apply to every resource ("*")');
  if (draft.durationMinutes > 240) raise('medium', `long duration (${draft.durationMinutes} minutes)`);
  if (reasons.length === 0) reasons.push('read-only access to named resources in a non-production account');
  return { level, reasons };
}
