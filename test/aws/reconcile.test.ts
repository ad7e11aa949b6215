import { describe, expect, it } from 'vitest';
import type { AccessRequest, RequestState } from '../../src/access/types.js';
import { reconcile, type ObservedGrant, type ReconcileInput } from '../../src/aws/reconcile/reconcile.js';
import { makeRequest } from '../support/builders.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const MIN = 60_000;
const at = (minutesFromNow: number) => new Date(NOW.getTime() + minutesFromNow * MIN).toISOString();

function request(id: string, state: RequestState, options: { grantedMinutesAgo?: number; expiresIn?: number; account?: string; mode?: string; updatedMinutesAgo?: number } = {}): AccessRequest {
  const grant =
    options.grantedMinutesAgo === undefined
      ? {}
      : {
          grant: {
            grantedAt: at(-options.grantedMinutesAgo),
            expiresAt: at(options.expiresIn ?? 60),
            mode: options.mode ?? 'aws-iam',
            handle: { accountId: options.account ?? '111111111111', roleName: `warden-${id}`, roleArn: `arn:aws:iam::111111111111:role/warden/warden-${id}` },
          },
        };
  return makeRequest({ id, state, updatedAt: at(-(options.updatedMinutesAgo ?? 0)), ...grant });
}

function role(id: string | null, name = `warden-${id}`, accountId = '111111111111'): ObservedGrant {
  return { accountId, name, requestId: id, expiresAt: null };
}

function input(overrides: Partial<ReconcileInput>): ReconcileInput {
  return {
    now: NOW,
    granterMode: 'aws-iam',
    observed: [],
    requests: new Map(),
    active: [],
    granting: [],
    scannedAccounts: new Set(['111111111111', '222222222222']),
    graceMs: 10 * MIN,
    runGraceMs: 20 * MIN,
    ...overrides,
  };
}

const byId = (...requests: AccessRequest[]) => new Map(requests.map((r) => [r.id, r]));

describe('reconcile (pure)', () => {
  it('an active grant present in its account is in sync; one past expiry is left to the expiry pass', () => {
    const live = request('r-live', 'active', { grantedMinutesAgo: 30 });
    const due = request('r-due', 'active', { grantedMinutesAgo: 130, expiresIn: -10 });
    const plan = reconcile(input({ observed: [role('r-live'), role('r-due')], requests: byId(live, due), active: [live, due] }));
    expect(plan.inSync).toEqual(['r-live']);
    expect(plan.dueForExpiry).toEqual(['r-due']);
    expect(plan.revoke).toEqual([]);
    expect(plan.missing).toEqual([]);
  });

  it('revokes grants whose request is unknown, ended, or never granted, and says why', () => {
    const ended = ['expired', 'revoked', 'failed'] as const;
    const never = ['drafting', 'pending_approval', 'approved', 'denied', 'cancelled'] as const;
    const requests = [...ended, ...never].map((state) => request(`r-${state.replace('_', '')}`, state));
    const plan = reconcile(input({ observed: [role('r-ghost'), ...requests.map((r) => role(r.id))], requests: byId(...requests) }));
    expect(plan.revoke.map((a) => [a.grant.requestId, a.reason, a.state])).toEqual([
      ['r-ghost', 'unknown-request', null],
      ['r-expired', 'ended', 'expired'],
      ['r-revoked', 'ended', 'revoked'],
      ['r-failed', 'ended', 'failed'],
      ['r-drafting', 'never-granted', 'drafting'],
      ['r-pendingapproval', 'never-granted', 'pending_approval'],
      ['r-approved', 'never-granted', 'approved'],
      ['r-denied', 'never-granted', 'denied'],
      ['r-cancelled', 'never-granted', 'cancelled'],
    ]);
  });

  it('revokes a copy in the wrong account, and one made by another granter; the active request in its own account stays', () => {
    const a = request('r-a', 'active', { grantedMinutesAgo: 30 });
    const b = request('r-b', 'active', { grantedMinutesAgo: 30, mode: 'aws-identity-center' });
    const plan = reconcile(input({ observed: [role('r-a'), role('r-a', 'warden-r-a', '222222222222'), role('r-b')], requests: byId(a, b), active: [a, b] }));
    expect(plan.revoke.map((x) => [x.grant.requestId, x.grant.accountId, x.reason])).toEqual([
      ['r-a', '222222222222', 'wrong-account'],
      ['r-b', '111111111111', 'other-granter'],
    ]);
    expect(plan.inSync).toEqual(['r-a']);
  });

  it('reports active grants missing in AWS, but not fresh ones, expired ones, other granters’ or unscanned accounts’', () => {
    const missing = request('r-gone', 'active', { grantedMinutesAgo: 30 });
    const fresh = request('r-fresh', 'active', { grantedMinutesAgo: 2 });
    const expired = request('r-old', 'active', { grantedMinutesAgo: 200, expiresIn: -5 });
    const dryRun = request('r-dry', 'active', { grantedMinutesAgo: 30, mode: 'dry-run' });
    const elsewhere = request('r-else', 'active', { grantedMinutesAgo: 30, account: '333333333333' });
    const plan = reconcile(input({ active: [missing, fresh, expired, dryRun, elsewhere] }));
    expect(plan.missing.map((r) => r.id)).toEqual(['r-gone']);
  });

  it('a request stuck in granting past the grace is interrupted and its leftovers revoked; a recent one is in progress', () => {
    const stuck = request('r-stuck', 'granting', { updatedMinutesAgo: 30 });
    const stuckNoRole = request('r-bare', 'granting', { updatedMinutesAgo: 30 });
    const busy = request('r-busy', 'granting', { updatedMinutesAgo: 1 });
    const plan = reconcile(input({ observed: [role('r-stuck'), role('r-busy')], requests: byId(stuck, busy), granting: [stuck, stuckNoRole, busy] }));
    expect(plan.interrupted.map((r) => r.id).sort()).toEqual(['r-bare', 'r-stuck']);
    expect(plan.revoke.map((a) => [a.grant.requestId, a.reason])).toEqual([['r-stuck', 'interrupted']]);
    expect(plan.inSync).toEqual(['r-busy']);
  });

  it('a /run whose command may still be running is not interrupted before the Run Command bound', () => {
    const run = { instanceId: 'i-0123456789abcdef0', command: 'uptime', document: 'AWS-RunShellScript' as const };
    const running = { ...request('r-run', 'granting', { updatedMinutesAgo: 15 }), run };
    const lost = { ...request('r-run-lost', 'granting', { updatedMinutesAgo: 30 }), run };
    const plan = reconcile(input({ requests: byId(running, lost), granting: [running, lost] }));
    expect(plan.interrupted.map((r) => r.id)).toEqual(['r-run-lost']);
  });

  it('the fresher store read wins over the snapshot: a grant that finished meanwhile is not interrupted', () => {
    const snapshot = request('r-x', 'granting', { updatedMinutesAgo: 30 });
    const finished = request('r-x', 'active', { grantedMinutesAgo: 1 });
    const plan = reconcile(input({ observed: [role('r-x')], requests: byId(finished), granting: [snapshot] }));
    expect(plan.interrupted).toEqual([]);
    expect(plan.inSync).toEqual(['r-x']);
  });

  it('untagged things under Warden’s naming are reported and never revoked', () => {
    const plan = reconcile(input({ observed: [role(null, 'warden-legacy-admin')] }));
    expect(plan.foreign.map((g) => g.name)).toEqual(['warden-legacy-admin']);
    expect(plan.revoke).toEqual([]);
  });
});
