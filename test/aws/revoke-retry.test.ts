import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExpiryScheduler, revokeBackoffMs } from '../../src/access/expiry-scheduler.js';
import { handleRequesterMessage } from '../../src/access/workflows/converse.js';
import { approveRequest } from '../../src/access/workflows/decide.js';
import { submitDraft } from '../../src/access/workflows/submit.js';
import { sdkClientFactory } from '../../src/aws/iam/clients.js';
import { IamGranter } from '../../src/aws/iam/iam-granter.js';
import { DEFAULT_IAM_GRANT_SETTINGS } from '../../src/aws/iam/plan.js';
import { makeAccessDeps, type TestDeps } from '../support/access-deps.js';
import { ManualClock } from '../support/manual-clock.js';
import { accessDenied, FakeAws } from './support/fake-aws.js';

const origin = { platform: 'slack', channel: 'D0ANA', threadTs: '1700000000.000001' } as const;
const ASK = 'I need read access to the billing-reports S3 bucket in payments-prod for 2 hours to debug the export';
const ADMINS = { kind: 'channel', channel: 'C0PLATFORM' } as const;

let fake: FakeAws;
let deps: TestDeps;

beforeEach(async () => {
  const clock = new ManualClock();
  fake = new FakeAws({ now: () => clock.now() });
  const granter = new IamGranter({
    settings: DEFAULT_IAM_GRANT_SETTINGS,
    clients: sdkClientFactory({ region: 'eu-west-1' }),
    clock,
    retry: { runtime: { sleep: async () => undefined, random: () => 0.5 } },
  });
  deps = { ...(await makeAccessDeps({ granter })), clock };
});

afterEach(async () => {
  fake.restore();
  await deps.store.close();
});

async function activeGrant(): Promise<string> {
  await handleRequesterMessage(deps, { userId: 'ana', origin, text: ASK });
  const requestId = (await deps.store.getConversation(`slack:D0ANA:${origin.threadTs}`))?.requestId;
  if (!requestId) throw new Error('no draft');
  await submitDraft(deps, requestId, 'ana');
  const active = await approveRequest(deps, requestId, 'ben');
  expect(active.state).toBe('active');
  return requestId;
}

describe('revocation retried across ticks, with an admin alert', () => {
  it('backs off between failed revocations, alerts the admins after 3 failures, and finishes once AWS lets it', async () => {
    const id = await activeGrant();
    expect(fake.roleNames('111111111111')).toEqual([`warden-${id}`]);
    const scheduler = new ExpiryScheduler(deps, { owner: 'a', intervalMs: 30_000, revokeRetry: { alertAfter: 3, baseDelayMs: 60_000, maxDelayMs: 600_000, alertTargets: [ADMINS] } });
    // Someone removed iam:DeleteRolePolicy from the grant role: not transient, so no in-call retries.
    fake.fail('DeleteRolePolicy', () => accessDenied('iam:DeleteRolePolicy'), 3);
    const adminPosts = () => deps.notifier.posts.filter((p) => p.target.kind === 'channel' && p.target.channel === 'C0PLATFORM');

    deps.clock.advanceMinutes(121);
    expect((await scheduler.tick()).revokeFailures).toEqual([id]); // failure 1: retried at the next tick
    deps.clock.advanceMinutes(0.5);
    expect((await scheduler.tick()).revokeFailures).toEqual([id]); // failure 2: wait 1 minute
    deps.clock.advanceMinutes(0.5);
    expect((await scheduler.tick()).revokeDeferred).toEqual([id]);
    deps.clock.advanceMinutes(0.5);
    const third = await scheduler.tick(); // failure 3: alert, then wait 2 minutes
    expect(third.revokeFailures).toEqual([id]);
    expect(third.revokeAlerts).toEqual([id]);
    expect(adminPosts()).toHaveLength(1);
    expect(adminPosts()[0]?.card.fallback).toMatch(new RegExp(`Revoking \`${id}\` \\(payments-prod, 111111111111\\) has failed 3 times in a row: DeleteRolePolicy of warden-${id} in 111111111111 failed: not authorized to perform: iam:DeleteRolePolicy`));
    expect(adminPosts()[0]?.card.fallback).toMatch(/stopped working at 2026-11-23 12:00 UTC/);

    deps.clock.advanceMinutes(1.5);
    expect((await scheduler.tick()).revokeDeferred).toEqual([id]);
    deps.clock.advanceMinutes(1);
    const done = await scheduler.tick();
    expect(done.expired).toEqual([id]);
    expect((await deps.store.getRequest(id))?.state).toBe('expired');
    expect(fake.roleNames('111111111111')).toEqual([]);
    expect(adminPosts()).toHaveLength(1);

    const types = (await deps.store.listAudit({ requestId: id })).map((e) => e.type);
    expect(types.filter((t) => t === 'grant.revoke_failed')).toHaveLength(3);
    expect(types.filter((t) => t === 'grant.revoke_alerted')).toHaveLength(1);
    expect(deps.notifier.threadTexts().at(-1)).toMatch(/expired and was revoked/);
  });

  it('the failure count lives in the store: a new scheduler (a restart) keeps backing off', async () => {
    const id = await activeGrant();
    fake.fail('PutRolePolicy', () => accessDenied('iam:PutRolePolicy'), 2);
    deps.clock.advanceMinutes(121);
    const before = new ExpiryScheduler(deps, { owner: 'a', intervalMs: 30_000 });
    await before.tick();
    await before.tick();
    const after = new ExpiryScheduler(deps, { owner: 'a', intervalMs: 30_000 });
    expect((await after.tick()).revokeDeferred).toEqual([id]);
    deps.clock.advanceMinutes(1);
    expect((await after.tick()).expired).toEqual([id]);
  });

  it('waits: next tick, then base, doubling, up to the ceiling', () => {
    const retry = { baseDelayMs: 60_000, maxDelayMs: 300_000 };
    expect([1, 2, 3, 4, 5, 9].map((n) => revokeBackoffMs(n, retry))).toEqual([0, 60_000, 120_000, 240_000, 300_000, 300_000]);
  });
});
