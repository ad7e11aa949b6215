import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccessRequest } from '../../src/access/types.js';
import { parseDigestEnv } from '../../src/digests/config.js';
import { sendPendingApprovals } from '../../src/digests/jobs.js';
import { DigestScheduler, digestLease } from '../../src/digests/scheduler.js';
import { digestJobs } from '../../src/digests/wiring.js';
import { makeAccessDeps, type TestDeps } from '../support/access-deps.js';
import { makeEventFor, makeRequest } from '../support/builders.js';
import { SLACK, startWardenHarness, visibleText } from '../support/warden-harness.js';

let deps: TestDeps;

beforeEach(async () => {
  deps = await makeAccessDeps();
});

afterEach(async () => {
  await deps.store.close();
});

/** A request stored in `state`, submitted to its approvers `minutesAgo` before the clock's now. */
async function stored(overrides: Partial<AccessRequest>, minutesAgo = 0): Promise<AccessRequest> {
  const at = new Date(deps.clock.now().getTime() - minutesAgo * 60_000).toISOString();
  const request = makeRequest({ state: 'pending_approval', requesterId: 'ana', createdAt: at, updatedAt: at, ...overrides });
  await deps.store.createRequest(request, makeEventFor(request, { type: 'request.submitted', at }));
  return request;
}

function digestsByUser(): Map<string, string> {
  const out = new Map<string, string>();
  for (const post of deps.notifier.posts) {
    expect(post.target.kind).toBe('user');
    if (post.target.kind !== 'user') continue;
    expect(out.has(post.target.userId)).toBe(false);
    out.set(post.target.userId, `${post.card.fallback}\n${JSON.stringify(post.card.blocks)}`);
  }
  return out;
}

describe('pending approvals digest', () => {
  it('sends each approver one message with exactly the requests waiting for their decision', async () => {
    // Two approvals needed; ben already approved, so only carla is still asked.
    const both = await stored({ approverIds: ['ben', 'carla'], quorum: 2, approvals: [{ userId: 'ben', at: '2026-11-23T09:00:00.000Z' }] }, 150);
    const forBen = await stored({ approverIds: ['ben'], draft: { ...makeRequest().draft, accountId: '222222222222', accountName: 'sandbox', accessLevel: 'Write' } }, 30);
    const fromDave = await stored({ requesterId: 'dave', approverIds: ['carla'] }, 5);
    // Not waiting for anyone: a draft and a closed request.
    await stored({ state: 'drafting', approverIds: ['dave'] });
    await stored({ state: 'denied', approverIds: ['dave'] });

    const report = await sendPendingApprovals(deps, deps.clock.now());
    expect(report.sent.sort()).toEqual(['ben', 'carla']);
    expect(report.failed).toEqual([]);
    const sent = digestsByUser();
    expect([...sent.keys()].sort()).toEqual(['ben', 'carla']);

    const ben = sent.get('ben')!;
    expect(ben).toContain(forBen.id);
    expect(ben).not.toContain(both.id);
    expect(ben).not.toContain(fromDave.id);
    expect(ben).toMatch(/1 access request waiting for your decision/);
    expect(ben).toContain('Ana Lima');
    expect(ben).toContain('sandbox (222222222222)');
    expect(ben).toContain('Write');
    expect(ben).toContain('waiting 30 minutes');

    const carla = sent.get('carla')!;
    expect(carla).toMatch(/2 access requests waiting for your decision/);
    expect(carla).toContain(both.id);
    expect(carla).toContain(fromDave.id);
    expect(carla).toContain('payments-prod (111111111111)');
    expect(carla).toContain('waiting 2 hours 30 min');
    // Oldest first.
    expect(carla.indexOf(both.id)).toBeLessThan(carla.indexOf(fromDave.id));
  });

  it('sends nothing when nothing is pending', async () => {
    await stored({ state: 'active', approverIds: ['ben'] });
    expect(await sendPendingApprovals(deps, deps.clock.now())).toEqual({ sent: [], failed: [] });
    expect(deps.notifier.posts).toEqual([]);
  });

  it('never lists a request to its own requester', async () => {
    await stored({ requesterId: 'ben', approverIds: ['ben', 'carla'] });
    await sendPendingApprovals(deps, deps.clock.now());
    expect([...digestsByUser().keys()]).toEqual(['carla']);
  });
});

describe('digest scheduler', () => {
  function scheduler(owner: string, env: NodeJS.ProcessEnv = {}): DigestScheduler {
    return new DigestScheduler({ store: deps.store, clock: deps.clock, owner, timezone: 'UTC', jobs: digestJobs(parseDigestEnv(env), deps, undefined) });
  }

  it('sends a digest once when two replicas share the store, and once across a restart', async () => {
    await stored({ approverIds: ['ben'] });
    const tick = new Date('2026-11-23T09:00:00.000Z');
    const [a, b] = await Promise.all([scheduler('replica-a').tick('pending', tick), scheduler('replica-b').tick('pending', tick)]);
    expect([a.ran, b.ran].sort()).toEqual([false, true]);
    expect(a.lease).toBe(digestLease('pending', tick));
    expect(a.lease).toBe('digest.pending.2026-11-23T09:00Z');
    expect(deps.notifier.posts).toHaveLength(1);

    // The same replica restarted (same host name and pid) in the same period: already sent.
    expect((await scheduler('replica-a').tick('pending', tick)).ran).toBe(false);
    expect((await scheduler('replica-a').tick('pending', new Date('2026-11-23T09:00:30.000Z'))).ran).toBe(false);
    expect(deps.notifier.posts).toHaveLength(1);

    // The next period is a new digest.
    deps.clock.advanceMinutes(24 * 60);
    const next = await scheduler('replica-b').tick('pending', new Date('2026-11-24T09:00:00.000Z'));
    expect(next.ran).toBe(true);
    expect(deps.notifier.posts).toHaveLength(2);
  });

  it('has no job for a digest that is off, and starts and stops its cron tasks', async () => {
    const off = scheduler('replica-a', { WARDEN_DIGEST_PENDING_CRON: 'off', WARDEN_DIGEST_TIMEZONE: 'Europe/Lisbon' });
    expect(off.jobNames).toEqual(['expiring']);
    await expect(off.tick('pending')).rejects.toThrow(/No digest job pending/);
    off.start();
    await off.stop();
    expect(deps.notifier.posts).toEqual([]);
  });
});

describe('digests wired into Warden', () => {
  it('sends the pending digest through Slack once per period, also across a restart, and stops with Warden', async () => {
    const h = await startWardenHarness({ digests: parseDigestEnv({ WARDEN_DIGEST_POSTURE_CRON: '' }) });
    try {
      // Scans are off in this Warden, so there is no posture job.
      expect(h.warden.digests?.jobNames).toEqual(['pending', 'expiring']);
      const request = makeRequest({ state: 'pending_approval', requesterId: 'ana', approverIds: ['ben'], createdAt: '2026-11-23T08:00:00.000Z', updatedAt: '2026-11-23T08:00:00.000Z' });
      await h.store.createRequest(request, makeEventFor(request, { type: 'request.submitted', at: '2026-11-23T08:00:00.000Z' }));
      const tick = new Date('2026-11-23T09:00:00.000Z');
      expect((await h.warden.digests!.tick('pending', tick)).ran).toBe(true);
      const digest = h.fake.messages(h.fake.dmChannelOf(SLACK.ben)).filter((m) => /waiting for your decision/.test(visibleText(m)));
      expect(digest).toHaveLength(1);
      expect(visibleText(digest[0])).toContain(request.id);
      expect(visibleText(digest[0])).toContain('waiting 2 hours');
      expect(h.fake.messages(h.fake.dmChannelOf(SLACK.carla))).toEqual([]);

      await h.restart();
      expect((await h.warden.digests!.tick('pending', tick)).ran).toBe(false);
      expect(h.fake.messages(h.fake.dmChannelOf(SLACK.ben)).filter((m) => /waiting for your decision/.test(visibleText(m)))).toHaveLength(1);
    } finally {
      await h.close();
    }
  });
});
