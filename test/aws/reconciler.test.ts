import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExpiryScheduler } from '../../src/access/expiry-scheduler.js';
import type { AccessRequest } from '../../src/access/types.js';
import { handleRequesterMessage } from '../../src/access/workflows/converse.js';
import { approveRequest } from '../../src/access/workflows/decide.js';
import { submitDraft } from '../../src/access/workflows/submit.js';
import { sdkClientFactory } from '../../src/aws/iam/clients.js';
import { IamGranter, type MadeCall } from '../../src/aws/iam/iam-granter.js';
import { DEFAULT_IAM_GRANT_SETTINGS } from '../../src/aws/iam/plan.js';
import { IamGrantInventory } from '../../src/aws/reconcile/iam-inventory.js';
import { Reconciler } from '../../src/aws/reconcile/reconciler.js';
import { makeAccessDeps, type TestDeps } from '../support/access-deps.js';
import { makeEventFor, makeRequest } from '../support/builders.js';
import { ManualClock } from '../support/manual-clock.js';
import { accessDenied, FakeAws } from './support/fake-aws.js';

const ASK = 'I need read access to the billing-reports S3 bucket in payments-prod for 2 hours to debug the export';
const ADMINS = { kind: 'channel', channel: 'C0PLATFORM' } as const;
const PROD = '111111111111';
const SANDBOX = '222222222222';

let fake: FakeAws;
let deps: TestDeps;

function granter(onCall?: (requestId: string, call: MadeCall) => Promise<void>): IamGranter {
  return new IamGranter({
    settings: DEFAULT_IAM_GRANT_SETTINGS,
    clients: sdkClientFactory({ region: 'eu-west-1' }),
    clock: deps.clock,
    retry: { runtime: { sleep: async () => undefined, random: () => 0.5 } },
    ...(onCall ? { onCall } : {}),
  });
}

function reconciler(): Reconciler {
  const inventory = new IamGrantInventory({
    settings: DEFAULT_IAM_GRANT_SETTINGS,
    clients: sdkClientFactory({ region: 'eu-west-1' }),
    granter: granter(),
    retry: { runtime: { sleep: async () => undefined, random: () => 0.5 } },
  });
  return new Reconciler(deps, inventory, { alertTargets: [ADMINS] });
}

beforeEach(async () => {
  const clock = new ManualClock();
  fake = new FakeAws({ now: () => clock.now(), pageSize: 2 });
  deps = { ...(await makeAccessDeps()), clock };
  deps.granter = granter();
});

afterEach(async () => {
  fake.restore();
  await deps.store.close();
});

let thread = 0;
async function activeGrant(): Promise<string> {
  const origin = { platform: 'slack', channel: 'D0ANA', threadTs: `1700000000.${String(++thread).padStart(6, '0')}` } as const;
  await handleRequesterMessage(deps, { userId: 'ana', origin, text: ASK });
  const requestId = (await deps.store.getConversation(`slack:D0ANA:${origin.threadTs}`))?.requestId;
  if (!requestId) throw new Error('no draft');
  await submitDraft(deps, requestId, 'ana');
  expect((await approveRequest(deps, requestId, 'ben')).state).toBe('active');
  return requestId;
}

async function storeRequest(overrides: Partial<AccessRequest>): Promise<AccessRequest> {
  const request = makeRequest({ requesterId: 'ana', createdAt: deps.clock.now().toISOString(), updatedAt: deps.clock.now().toISOString(), ...overrides });
  await deps.store.createRequest(request, makeEventFor(request));
  return request;
}

const taggedRole = (id: string) => ({
  RoleName: `warden-${id}`,
  Path: '/warden/',
  RoleId: `AROA${id}`,
  Tags: [{ Key: 'warden:request-id', Value: id }, { Key: 'warden:expires-at', Value: '2026-11-23T11:00:00.000Z' }],
  PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy' as const, PermissionsBoundaryArn: `arn:aws:iam::${PROD}:policy/warden-grant-boundary` },
});

describe('Reconciler over IAM', () => {
  it('removes orphans and leftovers, marks interrupted and missing grants, leaves foreign roles, reports to admins', async () => {
    const inSync = await activeGrant();
    const removedOutside = await activeGrant();
    fake.removeRole(PROD, `warden-${removedOutside}`); // someone deleted it by hand
    fake.seedRole(PROD, { RoleName: 'placeholder' });

    // A grant that crashed right after CreateRole, 30 minutes ago, and was never resumed.
    const stuck = await storeRequest({ state: 'granting', approvals: [{ userId: 'ben', at: deps.clock.now().toISOString() }] });
    const crash = granter(async (_id, call) => {
      if (call.operation === 'CreateRole') throw new Error('crash');
    });
    const account = deps.directory.account(PROD)!;
    const ana = deps.directory.user('ana')!;
    await expect(crash.grant({ request: stuck, requester: ana, account, grantedAt: deps.clock.now(), expiresAt: new Date(deps.clock.now().getTime() + 3_600_000) })).rejects.toThrow('crash');

    const ended = await storeRequest({ state: 'expired' });
    fake.seedRole(PROD, taggedRole(ended.id), { 'warden-grant': '{}' });
    fake.seedRole(PROD, taggedRole('r-ghost0001'), { 'warden-grant': '{}' });
    fake.seedRole(PROD, { RoleName: 'warden-legacy-admin', Path: '/warden/' });
    fake.seedRole(PROD, { RoleName: 'warden-grant', Path: '/' });
    fake.fail('AssumeRole', () => accessDenied('sts:AssumeRole'), 1, (input) => String(input['RoleArn']).includes(SANDBOX));

    deps.clock.advanceMinutes(30);
    const report = await reconciler().run();

    expect(report.revoked.map((a) => [a.grant.name, a.reason]).sort()).toEqual([
      [`warden-${ended.id}`, 'ended'],
      [`warden-${stuck.id}`, 'interrupted'],
      ['warden-r-ghost0001', 'unknown-request'],
    ].sort());
    expect(report.revokeFailures).toEqual([]);
    expect(report.markedInterrupted).toEqual([stuck.id]);
    expect(report.markedMissing).toEqual([removedOutside]);
    expect(report.plan.inSync).toEqual([inSync]);
    expect(report.plan.foreign.map((g) => g.name)).toEqual(['warden-legacy-admin']);
    expect(report.accountErrors).toEqual([{ accountId: SANDBOX, error: expect.stringMatching(/not authorized to perform: sts:AssumeRole/) }]);

    expect(fake.roleNames(PROD)).toEqual(['placeholder', 'warden-grant', `warden-${inSync}`, 'warden-legacy-admin'].sort());
    expect((await deps.store.getRequest(stuck.id))?.state).toBe('failed');
    expect((await deps.store.getRequest(removedOutside))?.state).toBe('active');
    const auditTypes = async (id: string) => (await deps.store.listAudit({ requestId: id })).map((e) => e.type);
    expect(await auditTypes(removedOutside)).toContain('grant.missing_in_aws');
    expect(await auditTypes('r-ghost0001')).toEqual(['reconcile.revoked']);
    expect(await auditTypes(stuck.id)).toEqual(expect.arrayContaining(['grant.interrupted', 'reconcile.revoked']));

    const summary = deps.notifier.posts.filter((p) => p.target.kind === 'channel' && p.target.channel === 'C0PLATFORM');
    expect(summary).toHaveLength(1);
    expect(summary[0]?.card.fallback).toMatch(/Removed 3 grant\(s\)/);
    expect(summary[0]?.card.fallback).toContain('`warden-r-ghost0001` in 111111111111: no such request in Warden');
    expect(summary[0]?.card.fallback).toContain(`missing in AWS (removed outside Warden?):\n- \`${removedOutside}\``);
    expect(summary[0]?.card.fallback).toContain('`warden-legacy-admin` in 111111111111');
    expect(summary[0]?.card.fallback).toContain('222222222222: ');

    // Listing only looked under the Warden path, and read tags of Warden-named roles only.
    expect(fake.seen.filter((c) => c.operation === 'ListRoles').every((c) => c.input['PathPrefix'] === '/warden/')).toBe(true);
    expect(fake.seen.filter((c) => c.operation === 'ListRoleTags').map((c) => c.input['RoleName'])).not.toContain('placeholder');

    // A second run changes nothing and says nothing.
    const again = await reconciler().run();
    expect(again.revoked).toEqual([]);
    expect(again.markedMissing).toEqual([]);
    expect(deps.notifier.posts.filter((p) => p.target.kind === 'channel' && p.target.channel === 'C0PLATFORM')).toHaveLength(1);
  });

  it('a removal that fails is reported and retried by the next run', async () => {
    fake.seedRole(PROD, taggedRole('r-ghost0002'), { 'warden-grant': '{}' });
    fake.fail('DeleteRole', () => accessDenied('iam:DeleteRole'), 1);
    const first = await reconciler().run();
    expect(first.revokeFailures.map((f) => f.action.grant.name)).toEqual(['warden-r-ghost0002']);
    expect(fake.roleNames(PROD)).toEqual(['warden-r-ghost0002']);
    const second = await reconciler().run();
    expect(second.revoked.map((a) => a.grant.name)).toEqual(['warden-r-ghost0002']);
    expect(fake.roleNames(PROD)).toEqual([]);
  });

  it('runs from the scheduler at start and then on its interval', async () => {
    fake.seedRole(PROD, taggedRole('r-ghost0003'), { 'warden-grant': '{}' });
    const runs: number[] = [];
    const r = reconciler();
    const scheduler = new ExpiryScheduler(deps, {
      owner: 'a',
      intervalMs: 30_000,
      reconcile: { intervalMs: 15 * 60_000, run: async () => runs.push((await r.run()).revoked.length) },
    });
    expect((await scheduler.tick()).reconciled).toBe(true);
    expect(fake.roleNames(PROD)).toEqual([]);
    deps.clock.advanceMinutes(5);
    expect((await scheduler.tick()).reconciled).toBe(false);
    deps.clock.advanceMinutes(10);
    expect((await scheduler.tick()).reconciled).toBe(true);
    expect(runs).toEqual([1, 0]);
  });

  it('a reconciliation that throws does not stop the tick', async () => {
    const errors: unknown[] = [];
    const scheduler = new ExpiryScheduler(deps, {
      owner: 'a',
      intervalMs: 30_000,
      onError: (e) => errors.push(e),
      reconcile: { intervalMs: 60_000, run: () => Promise.reject(new Error('store down')) },
    });
    const report = await scheduler.tick();
    expect(report.ran).toBe(true);
    expect(report.reconciled).toBe(false);
    expect(errors).toHaveLength(1);
  });
});
