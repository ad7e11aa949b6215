import type { Account } from '../config/schemas.js';
import type { ApprovalRoute } from '../policy/access-rules.js';
import type { AccessLevel, PermissionDraft, RiskAssessment } from './types.js';

/** Guardrail findings that ask for more human scrutiny; each rules out auto-approval. */
export type SoftGuardrail = 'second-approver' | 'stronger-justification';

export type AutoApprovalVerdict =
  | { apply: true; ruleName: string }
  /** `reason` is null when the rule never offered auto-approval; otherwise it says why it was withheld. */
  | { apply: false; reason: string | null };

/**
 * Whether a request that passed every check may skip the human approvers. The config cross-check
 * already refuses risky autoApprove rules; this holds the same line in code, so a hand-edited rule,
 * a stored policy version or a future routing bug still cannot auto-approve risky access.
 */
export function autoApprovalVerdict(input: {
  route: ApprovalRoute;
  risk: RiskAssessment;
  /** The catalog's access levels of every drafted action, not the drafter's claim. */
  levels: readonly AccessLevel[];
  draft: PermissionDraft;
  account: Account;
  softGuardrails: readonly SoftGuardrail[];
}): AutoApprovalVerdict {
  const { route, risk, levels, draft, account, softGuardrails } = input;
  if (!route.autoApprove) return { apply: false, reason: null };
  const all = new Set<AccessLevel>([draft.accessLevel, ...levels]);
  const withheld = (why: string): AutoApprovalVerdict => ({ apply: false, reason: `rule "${route.ruleName}" auto-approves, but not ${why}` });
  if (risk.level === 'high' || risk.level === 'critical') return withheld(`a ${risk.level}-risk request`);
  if (all.has('Permissions management')) return withheld('Permissions management access');
  if (account.environment === 'prod' && all.has('Write')) return withheld('Write access in a production account');
  if (softGuardrails.includes('second-approver')) return withheld('access the guardrails say needs a second approver');
  if (softGuardrails.includes('stronger-justification')) return withheld('access the guardrails say needs a stronger justification');
  if (draft.durationMinutes > route.maxDurationMinutes) return withheld(`for longer than ${route.maxDurationMinutes} minutes`);
  return { apply: true, ruleName: route.ruleName };
}
