import { describe, expect, it } from 'vitest';
import { Directory } from '../../src/access/directory.js';
import { AccessRulesSchema, type AccessRules } from '../../src/config/schemas.js';
import { routeRequest } from '../../src/policy/access-rules.js';
import { sampleOrg } from '../support/org.js';

const directory = new Directory(sampleOrg);
const prod = sampleOrg.accounts[0]!;
const sandbox = sampleOrg.accounts[1]!;

function rules(list: unknown[]): AccessRules {
  return AccessRulesSchema.parse({ rules: list });
}

const leads = { groups: ['payments-leads'] };

describe('routeRequest', () => {
  it('matches a rule on the account environment', () => {
    const r = rules([{ name: 'non-prod', accounts: ['*'], environments: ['dev', 'sandbox'], approvers: leads }]);
    expect(routeRequest(r, directory, 'ana', sandbox)).toMatchObject({ ok: true, route: { ruleName: 'non-prod' } });
    const refused = routeRequest(r, directory, 'ana', prod, { accessLevel: 'Read', risk: 'medium' });
    expect(refused).toEqual({
      ok: false,
      reason: 'No access rule lets you request Read on payments-prod (prod, medium risk). Rule "non-prod" covers dev or sandbox accounts only. Ask the platform team to add one.',
    });
  });

  it('matches on the access level and refuses a level no rule allows, naming what did not match', () => {
    const r = rules([{ name: 'prod-reads', accounts: ['payments-prod'], accessLevels: ['List', 'Read'], approvers: leads }]);
    expect(routeRequest(r, directory, 'ana', prod, { accessLevel: 'Read', risk: 'medium' })).toMatchObject({ ok: true, route: { ruleName: 'prod-reads' } });
    const refused = routeRequest(r, directory, 'ana', prod, { accessLevel: 'Write', risk: 'high' });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.reason).toMatch(/^No access rule lets you request Write on payments-prod \(prod, high risk\)\./);
    expect(refused.reason).toContain('Rule "prod-reads" allows List or Read only.');
  });

  it('matches on the highest risk a rule covers', () => {
    const r = rules([
      { name: 'low-risk', accounts: ['*'], maxRisk: 'medium', approvers: { users: ['dave'] } },
      { name: 'anything', accounts: ['*'], approvers: leads, quorum: 2 },
    ]);
    expect(routeRequest(r, directory, 'ana', prod, { accessLevel: 'Read', risk: 'low' })).toMatchObject({ ok: true, route: { ruleName: 'low-risk', approverIds: ['dave'] } });
    expect(routeRequest(r, directory, 'ana', prod, { accessLevel: 'Read', risk: 'medium' })).toMatchObject({ ok: true, route: { ruleName: 'low-risk' } });
    // Above the first rule's ceiling the next rule decides, with its own approvers and quorum.
    expect(routeRequest(r, directory, 'ana', prod, { accessLevel: 'Write', risk: 'high' })).toMatchObject({
      ok: true,
      route: { ruleName: 'anything', approverIds: ['ben', 'carla'], quorum: 2 },
    });
    const only = rules([r.rules[0]]);
    const refused = routeRequest(only, directory, 'ana', prod, { accessLevel: 'Write', risk: 'critical' });
    expect(refused).toMatchObject({ ok: false, reason: expect.stringContaining('Rule "low-risk" covers risk up to medium only, and this request is critical risk.') });
  });

  it('lets the first matching rule win, so a narrow rule before a broad one decides', () => {
    const r = rules([
      { name: 'sandbox-auto', accounts: ['*'], environments: ['dev'], accessLevels: ['Read'], maxRisk: 'low', autoApprove: true, approvers: { users: ['dave'] } },
      { name: 'everything', accounts: ['*'], approvers: leads },
    ]);
    expect(routeRequest(r, directory, 'ana', sandbox, { accessLevel: 'Read', risk: 'low' })).toMatchObject({
      ok: true,
      route: { ruleName: 'sandbox-auto', autoApprove: true, approverIds: ['dave'] },
    });
    expect(routeRequest(r, directory, 'ana', sandbox, { accessLevel: 'Write', risk: 'medium' })).toMatchObject({
      ok: true,
      route: { ruleName: 'everything', autoApprove: false },
    });
  });

  it('lists every rule for the account that did not match, and says so when none names it', () => {
    const r = rules([
      { name: 'engineers-only', accounts: ['sandbox'], requesters: { users: ['dave'] }, approvers: leads },
      { name: 'reads', accounts: ['sandbox'], accessLevels: ['Read'], approvers: leads },
    ]);
    const refused = routeRequest(r, directory, 'ana', sandbox, { accessLevel: 'Tagging', risk: 'medium' });
    expect(refused).toMatchObject({
      ok: false,
      reason: expect.stringContaining('You are not among the requesters of rule "engineers-only"; rule "reads" allows Read only.'),
    });
    expect(routeRequest(r, directory, 'ana', prod, { accessLevel: 'Read', risk: 'low' })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('No rule names payments-prod.'),
    });
  });

  it('without a drafted request (help, account limits) judges account, environment and requester only', () => {
    const r = rules([{ name: 'prod-reads', accounts: ['payments-prod'], accessLevels: ['Read'], maxRisk: 'low', approvers: leads, maxDurationMinutes: 120 }]);
    expect(routeRequest(r, directory, 'ana', prod)).toMatchObject({ ok: true, route: { ruleName: 'prod-reads', maxDurationMinutes: 120 } });
  });

  it('before drafting, gives the longest duration any rule that may decide allows', () => {
    const r = rules([
      { name: 'quick-reads', accounts: ['*'], accessLevels: ['Read'], autoApprove: true, maxDurationMinutes: 60, approvers: leads },
      { name: 'sandbox', accounts: ['sandbox'], approvers: leads, maxDurationMinutes: 240 },
      { name: 'catch-all', accounts: ['*'], approvers: leads, maxDurationMinutes: 480 },
    ]);
    // A Write request will fall through to "sandbox" (240 minutes), so 60 would wrongly cap the ask.
    expect(routeRequest(r, directory, 'ana', sandbox)).toMatchObject({ ok: true, route: { ruleName: 'quick-reads', maxDurationMinutes: 240 } });
    expect(routeRequest(r, directory, 'ana', sandbox, { accessLevel: 'Read', risk: 'low' })).toMatchObject({ ok: true, route: { maxDurationMinutes: 60 } });
    expect(routeRequest(r, directory, 'ana', sandbox, { accessLevel: 'Write', risk: 'medium' })).toMatchObject({ ok: true, route: { ruleName: 'sandbox', maxDurationMinutes: 240 } });
  });

  it('never names the requester as their own approver', () => {
    const r = rules([{ name: 'leads', accounts: ['*'], approvers: leads, quorum: 2 }]);
    const one = rules([{ ...r.rules[0], quorum: 1 }]);
    expect(routeRequest(one, directory, 'carla', sandbox, { accessLevel: 'Read', risk: 'low' })).toEqual({ ok: true, route: expect.objectContaining({ approverIds: ['ben'] }) });
    expect(routeRequest(r, directory, 'ben', sandbox, { accessLevel: 'Read', risk: 'low' })).toMatchObject({ ok: false, reason: expect.stringMatching(/needs 2 approval\(s\) but names only 1 approver/) });
  });
});
