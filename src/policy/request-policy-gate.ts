import type { PolicyGate, PolicyGateResult } from '../access/checks.js';
import type { IamCatalog } from './catalog.js';
import { evaluateRequestPolicy, type PairVerdict } from './pipeline.js';
import type { ScpRiskInput } from './risk.js';
import type { Guardrails } from './guardrails/index.js';
import { scpFailureReason, type AccountScps, type ScpSource } from './scp/index.js';

// Enough pairs for a card an approver can read; the summary counts the rest.
const MAX_VERDICT_LINES = 25;

/**
 * The policy engine behind the access workflows' gate: it runs on the final policy document
 * (never on chat text), so no wording can talk its way past the guardrails or the SCPs.
 */
export class RequestPolicyGate implements PolicyGate {
  constructor(private readonly options: { catalog: IamCatalog; guardrails: Guardrails; scps?: ScpSource }) {}

  /**
   * The target account's SCPs, or why they could not be read. A failure does not raise the risk: AWS
   * enforces the SCPs whenever the access is used, so an unread SCP cannot widen what is granted;
   * the approver is told that the preview is missing and why, and judges the request without it.
   */
  private async accountScps(accountId: string): Promise<AccountScps | { unavailable: string } | undefined> {
    if (!this.options.scps) return undefined;
    try {
      return await this.options.scps.forAccount(accountId);
    } catch (error) {
      return { unavailable: scpFailureReason(error) };
    }
  }

  /** Pairs an SCP denies, and the denied actions that change something (by the catalog, not the draft's word). */
  private async scpRisk(verdicts: readonly PairVerdict[]): Promise<ScpRiskInput> {
    const denied = verdicts.filter((v) => v.decision !== 'allowed' && (v.deniedBy.some((d) => d.kind === 'scp') || v.missingAllow.some((m) => m.kind === 'scp')));
    const writes = new Set<string>();
    for (const action of new Set(denied.map((v) => v.action))) {
      const levels = (await this.options.catalog.action(action))?.accessLevels ?? [];
      if (levels.some((l) => l !== 'Read' && l !== 'List')) writes.add(action);
    }
    return { deniedPairs: denied.length, deniedWrites: [...writes].sort() };
  }

  async review({ draft, account, requester, now }: Parameters<PolicyGate['review']>[0]): Promise<PolicyGateResult> {
    const scps = await this.accountScps(account.id);
    const evaluate = (mfa: boolean) =>
      evaluateRequestPolicy({
        draft,
        account,
        principal: { principalArn: requester.awsPrincipal, ...(mfa ? { mfa: true } : {}) },
        now,
        guardrails: this.options.guardrails,
        catalog: this.options.catalog,
        ...(scps ? { scps } : {}),
      });
    let result = await evaluate(false);
    // When the guardrails make the grant work only with MFA, it will only ever be used with MFA:
    // simulate that use, or every pair would read "denied" for want of the grant's own condition.
    if (result.guardrails.injected.some((c) => c.key.toLowerCase() === 'aws:multifactorauthpresent')) result = await evaluate(true);
    // Each verdict's text already says under which context values a denied pair would be allowed.
    // Without SCPs the lines would judge the grant against itself only: under the card's "Organization
    // SCPs (simulated)" heading they would read as an all-clear, so the card shows the note instead.
    const lines = result.scp.simulated ? result.verdicts : [];
    const verdicts = lines.slice(0, MAX_VERDICT_LINES).map((v) => v.text);
    if (lines.length > MAX_VERDICT_LINES) verdicts.push(`… and ${lines.length - MAX_VERDICT_LINES} more pairs`);
    const findings = [
      ...result.lint.filter((f) => f.severity !== 'error').map((f) => f.message),
      ...result.guardrails.soft.map((s) => s.message),
    ];
    return {
      blockers: result.blockers.map((b) => ({ code: b.code, message: b.message })),
      review: {
        verdicts,
        findings,
        conditions: result.guardrails.injected.map((c) => ({
          operator: c.operator,
          key: c.key,
          values: [...c.values],
          reason: c.reason,
          ...(c.statements ? { statements: [...c.statements] } : {}),
        })),
        ...(result.scp.note ? { scpNote: result.scp.note } : {}),
      },
      maxDurationMinutes: result.guardrails.maxDurationMinutes,
      needsSecondApprover: result.guardrails.needsSecondApprover,
      needsStrongerJustification: result.guardrails.needsStrongerJustification,
      scp: await this.scpRisk(result.verdicts),
    };
  }
}
