import { describe, expect, it } from 'vitest';
import { autoApprovalVerdict } from '../../src/access/auto-approval.js';
import { checkDraft } from '../../src/access/checks.js';
import type { AccessLevel, RiskLevel } from '../../src/access/types.js';
import { assessRisk } from '../../src/policy/risk.js';
import type { ApprovalRoute } from '../../src/policy/access-rules.js';
import { makeAccessDeps } from '../support/access-deps.js';
import { makeDraft } from '../support/builders.js';
import { sampleOrg } from '../support/org.js';

const prod = sampleOrg.accounts[0]!;
const sandbox = sampleOrg.accounts[1]!;
const route: ApprovalRoute = { ruleName: 'quick', approverIds: ['ben'], quorum: 1, maxDurationMinutes: 60, notify: { mode: 'dm' }, autoApprove: true };
const sandboxRead = makeDraft({ accountId: sandbox.id, accountName: sandbox.name, durationMinutes: 60 });

function verdict(overrides: { level?: RiskLevel; levels?: AccessLevel[]; account?: typeof prod; soft?: ('second-approver' | 'stronger-justification')[]; autoApprove?: boolean } = {}) {
  return autoApprovalVerdict({
    route: { ...route, autoApprove: overrides.autoApprove ?? true },
    risk: { level: overrides.level ?? 'low', reasons: [] },
    levels: overrides.levels ?? ['List', 'Read'],
    draft: sandboxRead,
    account: overrides.account ?? sandbox,
    softGuardrails: overrides.soft ?? [],
  });
}

describe('autoApprovalVerdict (enforced in code, whatever the rule says)', () => {
  it('applies to a low-risk read under an auto-approving rule', () => {
    expect(verdict()).toEqual({ apply: true, ruleName: 'quick' });
    expect(verdict({ level: 'medium' })).toEqual({ apply: true, ruleName: 'quick' });
  });

  it('does nothing, and says nothing, when the rule does not auto-approve', () => {
    expect(verdict({ autoApprove: false })).toEqual({ apply: false, reason: null });
  });

  it('withholds it for high and critical risk, Permissions management, Write in prod and soft guardrails', () => {
    expect(verdict({ level: 'high' })).toEqual({ apply: false, reason: 'rule "quick" auto-approves, but not a high-risk request' });
    expect(verdict({ level: 'critical' }).apply).toBe(false);
    expect(verdict({ levels: ['Read', 'Permissions management'] })).toMatchObject({ apply: false, reason: expect.stringContaining('Permissions management') });
    expect(verdict({ levels: ['Write'], account: prod })).toMatchObject({ apply: false, reason: expect.stringContaining('Write access in a production account') });
    expect(verdict({ soft: ['second-approver'] })).toMatchObject({ apply: false, reason: expect.stringContaining('second approver') });
    expect(verdict({ soft: ['stronger-justification'] })).toMatchObject({ apply: false, reason: expect.stringContaining('stronger justification') });
    // Write outside production is the rule's call (the config check limits what a rule may cover).
    expect(verdict({ levels: ['Write'], level: 'medium' }).apply).toBe(true);
  });

  it('holds the same line on the risk the checks compute: Write in prod is high risk, never auto-approved', () => {
    const draft = makeDraft({ accessLevel: 'Write', statements: [{ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::billing-reports/*'] }] });
    const risk = assessRisk(draft, prod, ['Write']);
    expect(risk.level).toBe('high');
    expect(autoApprovalVerdict({ route, risk, levels: ['Write'], draft, account: prod, softGuardrails: [] }).apply).toBe(false);
  });
});

describe('checkDraft routes on the final risk', () => {
  it('a long duration raises the risk above a rule’s maxRisk, so that rule no longer covers it', async () => {
    const deps = await makeAccessDeps({
      rules: (r) => ({
        ...r,
        rules: [{ name: 'quick-reads', accounts: ['sandbox'], environments: ['dev'], accessLevels: ['List', 'Read'], maxRisk: 'low', autoApprove: true, requesters: { users: [], groups: [] }, approvers: { users: ['ben'], groups: [] }, quorum: 1, maxDurationMinutes: 480, notify: { mode: 'dm' } }],
      }),
    });
    try {
      const short = await checkDraft(deps, 'ana', sandboxRead);
      expect(short).toMatchObject({ ok: true, route: { ruleName: 'quick-reads' }, risk: { level: 'low' }, autoApproval: { apply: true } });
      const long = await checkDraft(deps, 'ana', { ...sandboxRead, durationMinutes: 300 });
      expect(long.ok).toBe(false);
      if (long.ok) return;
      expect(long.problems).toEqual([
        {
          code: 'no-rule',
          message: 'No access rule lets you request Read on sandbox (dev, medium risk). Rule "quick-reads" covers risk up to low only, and this request is medium risk. Ask the platform team to add one.',
        },
      ]);
    } finally {
      await deps.store.close();
    }
  });
});
