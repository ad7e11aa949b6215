/**
 * Lint of a final IAM policy document: the one Warden would attach, never the chat text that led to
 * it. Each finding has a code, a severity and a message a requester or approver understands.
 * Errors mean "do not grant this"; warnings are shown to the approver.
 */
import type { IamCatalog } from '../catalog.js';
import { PolicyDocumentSchema, statementsOf, type PolicyDocument } from '../evaluate/policy.js';
import { checkActions } from './actions.js';
import { checkConditions, checkExpiry } from './conditions.js';
import { checkEscalation } from './escalation.js';
import { checkArns, checkResourceTypes, checkWildcardResource } from './resources.js';
import { checkEffect, checkElements, checkNotElementsWithAllow, checkPrincipal, checkSids, checkVersion } from './structure.js';
import type { LintCheck, LintFinding, LintOptions, LintSeverity } from './types.js';

export type { LintCode, LintFinding, LintOptions, LintSeverity, PolicyUse, StatementLocation } from './types.js';
export { expandActionPattern, isActionPattern, type ActionExpansion } from './expand.js';

/** In the order a person fixes things: grammar first, then what is granted, then how. */
const CHECKS: readonly LintCheck[] = [
  checkVersion,
  checkElements,
  checkEffect,
  checkPrincipal,
  checkSids,
  checkNotElementsWithAllow,
  checkActions,
  checkArns,
  checkWildcardResource,
  checkResourceTypes,
  checkEscalation,
  checkConditions,
  checkExpiry,
];

const RANK: Readonly<Record<LintSeverity, number>> = { error: 0, warning: 1, info: 2 };

export interface LintReport {
  findings: LintFinding[];
  /** Some finding is an error: the document must not be granted as it is. */
  hasErrors: boolean;
}

/**
 * Lints a document. `document` may be anything (a policy pasted into chat): what is not even shaped
 * like a policy gets one `malformed-policy` finding and nothing else.
 */
export async function lintPolicy(document: unknown, catalog: IamCatalog, options: LintOptions): Promise<LintReport> {
  const parsed = PolicyDocumentSchema.safeParse(document);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'the document'}: ${i.message}`);
    const findings: LintFinding[] = [{ code: 'malformed-policy', severity: 'error', message: `This is not an IAM policy document (${issues.join('; ')}).` }];
    return { findings, hasErrors: true };
  }
  const policy: PolicyDocument = parsed.data;
  const context = { document: policy, statements: statementsOf(policy), options, catalog };
  const findings: LintFinding[] = [];
  for (const check of CHECKS) findings.push(...(await check(context)));
  // Stable: errors first, each group in check order.
  findings.sort((a, b) => RANK[a.severity] - RANK[b.severity]);
  return { findings, hasErrors: findings.some((f) => f.severity === 'error') };
}
