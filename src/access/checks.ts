import type { Clock } from '../clock.js';
import type { Account, User } from '../config/schemas.js';
import { routeRequest, type ApprovalRoute } from '../policy/access-rules.js';
import { assessRisk, type ScpRiskInput } from '../policy/risk.js';
import { draftsPerAccount } from './batch.js';
import { autoApprovalVerdict, type AutoApprovalVerdict, type SoftGuardrail } from './auto-approval.js';
import type { Directory } from './directory.js';
import type { AccessLevel, PermissionDraft, PolicyReview, RiskAssessment } from './types.js';
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

/** The policy engine's verdict on a draft: guardrails, lint of the final document, SCP simulation. */
export interface PolicyGateResult {
  /** Anything here refuses the request before any approver sees it. */
  blockers: CheckProblem[];
  review: PolicyReview;
  /** The longest duration the guardrails allow for this request. */
  maxDurationMinutes: number;
  needsSecondApprover: boolean;
  needsStrongerJustification: boolean;
  /** What the SCP simulation denied, for the risk level (absent: nothing simulated). */
  scp?: ScpRiskInput;
}

export interface PolicyGate {
  review(input: { draft: PermissionDraft; account: Account; requester: User; now: Date }): Promise<PolicyGateResult>;
}

export type CheckResult =
  | {
      ok: true;
      account: Account;
      route: ApprovalRoute;
      risk: RiskAssessment;
      /** Whether this request goes to approved without a human; only ever set for a request that passed every check. */
      autoApproval: AutoApprovalVerdict;
      review?: PolicyReview;
    }
  | { ok: false; problems: CheckProblem[] };

// A justification this short says nothing an approver can check ("need it", "debug").
const STRONG_JUSTIFICATION_CHARS = 40;

type CheckContext = { directory: Directory; rules: AccessRules; actionChecker: ActionChecker; policyGate?: PolicyGate; clock: Clock };

/**
 * The deterministic gate between a draft (from the AI, the offline drafter or a form) and any
 * approver: nothing reaches an approval card unless this passes. A multi-account draft passes only
 * when every account's part does (each with its own ARNs, SCPs and rule); the result describes the
 * first account, and submit checks each part again as its own request.
 */
export async function checkDraft(ctx: CheckContext, requesterId: string, draft: PermissionDraft): Promise<CheckResult> {
  const parts = draftsPerAccount(draft);
  if (parts.length === 1) return checkAccountDraft(ctx, requesterId, draft);
  const results = [];
  for (const part of parts) results.push({ part, result: await checkAccountDraft(ctx, requesterId, part) });
  const problems = results.flatMap(({ part, result }) => (result.ok ? [] : result.problems.map((p) => ({ ...p, message: `${part.accountName}: ${p.message}` }))));
  if (problems.length > 0) return { ok: false, problems };
  return results[0]!.result;
}

async function checkAccountDraft(ctx: CheckContext, requesterId: string, draft: PermissionDraft): Promise<CheckResult> {
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

  const requester = ctx.directory.user(requesterId);
  const gate = ctx.policyGate && requester ? await ctx.policyGate.review({ draft, account, requester, now: ctx.clock.now() }) : undefined;
  // The risk is final before routing: rules match on it, and auto-approval must see the same level approvers would.
  const risk = assessRisk(draft, account, levels, gate?.scp);
  const routed = routeRequest(ctx.rules, ctx.directory, requesterId, account, { accessLevel: draft.accessLevel, risk: risk.level });
  if (!routed.ok) {
    problems.push({ code: 'no-rule', message: routed.reason });
    return { ok: false, problems };
  }
  const route = { ...routed.route };
  const softGuardrails: SoftGuardrail[] = [];
  if (gate) {
    problems.push(...gate.blockers);
    route.maxDurationMinutes = Math.min(route.maxDurationMinutes, gate.maxDurationMinutes);
    if (gate.needsStrongerJustification) {
      softGuardrails.push('stronger-justification');
      if (draft.justification.trim().length < STRONG_JUSTIFICATION_CHARS) {
        problems.push({
          code: 'weak-justification',
          message: 'This access needs a fuller justification: say what you will do and link the ticket or incident.',
        });
      }
    }
    if (gate.needsSecondApprover) softGuardrails.push('second-approver');
    if (gate.needsSecondApprover && route.quorum < 2) {
      if (route.approverIds.length < 2) {
        problems.push({ code: 'needs-second-approver', message: `This access needs two approvers, but rule "${route.ruleName}" names only one besides you. Ask the platform team.` });
      }
      route.quorum = 2;
    }
  }
  if (!Number.isInteger(draft.durationMinutes) || draft.durationMinutes < 5) {
    problems.push({ code: 'duration-too-short', message: 'The duration must be at least 5 minutes.' });
  } else if (draft.durationMinutes > route.maxDurationMinutes) {
    problems.push({
      code: 'duration-too-long',
      message: `${formatDuration(draft.durationMinutes)} is longer than the ${formatDuration(route.maxDurationMinutes)} allowed for this access to ${account.name}. Ask for less, or split the work.`,
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  const autoApproval = autoApprovalVerdict({ route, risk, levels, draft, account, softGuardrails });
  return { ok: true, account, route, risk, autoApproval, ...(gate ? { review: gate.review } : {}) };
}
