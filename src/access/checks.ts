import type { Account } from '../config/schemas.js';
import { routeRequest, type ApprovalRoute } from '../policy/access-rules.js';
import { assessRisk } from '../policy/risk.js';
import type { Directory } from './directory.js';
import type { AccessLevel, PermissionDraft, RiskAssessment } from './types.js';
import type { AccessRules } from '../config/schemas.js';
import { formatDuration } from './duration.js';

export interface CheckProblem {
  code: string;
  message: string;
}

/** Validates every drafted action against the IAM catalog and returns the catalog's access levels. */
export interface ActionChecker {
  check(draft: PermissionDraft): Promise<{ problems: CheckProblem[]; levels: AccessLevel[] }>;
}

export type CheckResult =
  | { ok: true; account: Account; route: ApprovalRoute; risk: RiskAssessment }
  | { ok: false; problems: CheckProblem[] };

/**
 * The deterministic gate between a draft (from the AI, the offline drafter or a form) and any
 * approver: nothing reaches an approval card unless this passes.
 */
export async function checkDraft(
  ctx: { directory: Directory; rules: AccessRules; actionChecker: ActionChecker },
  requesterId: string,
  draft: PermissionDraft,
): Promise<CheckResult> {
  const problems: CheckProblem[] = [];
  const account = ctx.directory.account(draft.accountId);
  if (!account) {
    return { ok: false, problems: [{ code: 'unknown-account', message: `Account ${draft.accountId} is not in the org config.` }] };
  }
  if (draft.statements.length === 0 || draft.statements.some((s) => s.actions.length === 0 || s.resources.length === 0)) {
    problems.push({ code: 'empty-statement', message: 'The draft has no actions or no resources to grant.' });
  }
  if (draft.justification.trim().length < 3) {
    problems.push({ code: 'no-justification', message: 'Say why you need this access (a ticket or a sentence).' });
  }
  const { problems: actionProblems, levels } = await ctx.actionChecker.check(draft);
  problems.push(...actionProblems);

  const routed = routeRequest(ctx.rules, ctx.directory, requesterId, account);
  if (!routed.ok) {
    problems.push({ code: 'no-rule', message: routed.reason });
    return { ok: false, problems };
  }
  if (!Number.isInteger(draft.durationMinutes) || draft.durationMinutes < 5) {
    problems.push({ code: 'duration-too-short', message: 'The duration must be at least 5 minutes.' });
  } else if (draft.durationMinutes > routed.route.maxDurationMinutes) {
    problems.push({
      code: 'duration-too-long',
      message: `${formatDuration(draft.durationMinutes)} is longer than the ${formatDuration(routed.route.maxDurationMinutes)} allowed for ${account.name}. Ask for less, or split the work.`,
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, account, route: routed.route, risk: assessRisk(draft, account, levels) };
}
