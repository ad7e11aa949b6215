import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Granter } from '../../src/access/granter.js';
import { ExpiryScheduler } from '../../src/access/expiry-scheduler.js';
import { handleRequesterMessage } from '../../src/access/workflows/converse.js';
import { approveRequest, denyRequest } from '../../src/access/workflows/decide.js';
import { cancelRequest, releaseGrant } from '../../src/access/workflows/requester-actions.js';
import { submitDraft } from '../../src/access/workflows/submit.js';
import { DryRunGranter } from '../../src/aws/dry-run-granter.js';
import { makeAccessDeps, type TestDeps } from '../support/access-deps.js';

const origin = { platform: 'slack', channel: 'D0ANA', threadTs: '1700000000.000001' } as const;
const ASK = 'I need read access to the billing-reports S3 bucket in payments-prod for 2 hours to debug the export';

let deps: TestDeps;

afterEach(async () => {
  await deps.store.close();
});

async function draftAndSubmit(d: TestDeps, text = ASK, threadTs = origin.threadTs) {
  await handleRequesterMessage(d, { userId: 'ana', origin: { ...origin, threadTs }, text });
  const conversation = await d.store.getConversation(`slack:D0ANA:${threadTs}`);
  const requestId = conversation?.requestId;
  if (!requestId) throw new Error(`no draft: ${d.notifier.threadTexts().join('\n')}`);
  return submitDraft(d, requestId, 'ana');
}

describe('approval rules', () => {
  beforeEach(async () => {
    deps = await makeAccessDeps({
      rules: (r) => ({ ...r, rules: r.rules.map((rule) => (rule.name.includes('payments') || rule.accounts.includes('payments-prod') ? { ...rule, quorum: 2 } : rule)) }),
    });
  });

  it('with quorum 2, one approval keeps it pending and shows the vote; the second grants', async () => {
    const pending = await draftAndSubmit(deps);
    expect(pending.quorum).toBe(2);
    const first = await approveRequest(deps, pending.id, 'ben');
    expect(first.state).toBe('pending_approval');
    await expect(approveRequest(deps, pending.id, 'ben')).rejects.toThrow(/already approved/);
    const lastUpdate = deps.notifier.updates.filter((u) => u.ref.purpose === 'approval').at(-1);
    expect(JSON.stringify(lastUpdate?.card.blocks)).toMatch(/1 of 2 approvals: Ben Okafor/);
    const second = await approveRequest(deps, pending.id, 'carla');
    expect(second.state).toBe('active');
    expect(second.approvals.map((a) => a.userId)).toEqual(['ben', 'carla']);
  });

  it('two approvals racing with quorum 2 both count and grant once', async () => {
    const pending = await draftAndSubmit(deps);
    const results = await Promise.all([approveRequest(deps, pending.id, 'ben'), approveRequest(deps, pending.id, 'carla')]);
    expect(results.some((r) => r.state === 'active')).toBe(true);
    expect(deps.awsCalls.filter((c) => c.call.operation === 'PutRolePolicy')).toHaveLength(1);
  });
});

describe('requester actions and expiry', () => {
  beforeEach(async () => {
    deps = await makeAccessDeps();
  });

  it('only the requester may submit, cancel or release', async () => {
    await handleRequesterMessage(deps, { userId: 'ana', origin, text: ASK });
    const requestId = (await deps.store.getConversation(`slack:D0ANA:${origin.threadTs}`))!.requestId!;
    await expect(submitDraft(deps, requestId, 'ben')).rejects.toThrow(/Only the person who drafted/);
    await expect(cancelRequest(deps, requestId, 'ben')).rejects.toThrow(/Only the requester/);
    const pending = await submitDraft(deps, requestId, 'ana');
    await approveRequest(deps, pending.id, 'ben');
    await expect(releaseGrant(deps, pending.id, 'ben')).rejects.toThrow(/Only the requester/);
    await expect(cancelRequest(deps, pending.id, 'ana')).rejects.toThrow(/\/access release/);
  });

  it('a deny needs a reason and ends the request', async () => {
    const pending = await draftAndSubmit(deps);
    await expect(denyRequest(deps, pending.id, 'ben', '  ')).rejects.toThrow(/reason/);
    const denied = await denyRequest(deps, pending.id, 'ben', 'not during the freeze');
    expect(denied.state).toBe('denied');
    await expect(approveRequest(deps, pending.id, 'carla')).rejects.toThrow(/no longer waiting/);
  });

  it('a message in someone else’s thread does not change their draft', async () => {
    await handleRequesterMessage(deps, { userId: 'ana', origin, text: ASK });
    await handleRequesterMessage(deps, { userId: 'ben', origin, text: 'make it write access for 8 hours' });
    const conversation = await deps.store.getConversation(`slack:D0ANA:${origin.threadTs}`);
    const request = await deps.store.getRequest(conversation!.requestId!);
    expect(request?.draft.durationMinutes).toBe(120);
    expect(deps.notifier.threadTexts().at(-1)).toMatch(/Only the person who started this request/);
  });

  it('a pending request nobody decides on expires after the pending TTL', async () => {
    const pending = await draftAndSubmit(deps);
    const scheduler = new ExpiryScheduler(deps, { owner: 'a', intervalMs: 60_000 });
    deps.clock.advanceMinutes(deps.rules.defaults.pendingTtlMinutes - 1);
    expect((await scheduler.tick()).stalePending).toEqual([]);
    deps.clock.advanceMinutes(2);
    expect((await scheduler.tick()).stalePending).toEqual([pending.id]);
    expect((await deps.store.getRequest(pending.id))?.state).toBe('expired');
    expect(deps.notifier.threadTexts().at(-1)).toMatch(/nobody decided on it in time/);
  });

  it('a revocation that fails keeps the grant active, is audited, and is retried on the next tick', async () => {
    let failures = 1;
    const dryRun = new DryRunGranter(async () => undefined);
    const flaky: Granter = {
      mode: 'dry-run',
      grant: (input) => dryRun.grant(input),
      revoke: async (request, grant) => {
        if (failures-- > 0) throw new Error('IAM throttled');
        await dryRun.revoke(request, grant);
      },
    };
    deps = await makeAccessDeps({ granter: flaky });
    const pending = await draftAndSubmit(deps);
    await approveRequest(deps, pending.id, 'ben');
    const scheduler = new ExpiryScheduler(deps, { owner: 'a', intervalMs: 60_000 });
    deps.clock.advanceMinutes(121);
    expect((await scheduler.tick()).revokeFailures).toEqual([pending.id]);
    expect((await deps.store.getRequest(pending.id))?.state).toBe('active');
    expect((await deps.store.listAudit({ requestId: pending.id })).map((e) => e.type)).toContain('grant.revoke_failed');
    expect((await scheduler.tick()).expired).toEqual([pending.id]);
  });

  it('a grant that cannot be applied fails visibly instead of pretending to be active', async () => {
    deps = await makeAccessDeps({
      granter: { mode: 'dry-run', grant: async () => Promise.reject(new Error('AccessDenied on iam:CreateRole')), revoke: async () => undefined },
    });
    const pending = await draftAndSubmit(deps);
    const outcome = await approveRequest(deps, pending.id, 'ben');
    expect(outcome.state).toBe('failed');
    expect(outcome.failure).toMatch(/AccessDenied/);
    expect(deps.notifier.threadTexts().at(-1)).toMatch(/Granting .* failed: AccessDenied/);
  });

  it('only one replica runs a tick: the lease keeps a second scheduler out', async () => {
    const a = new ExpiryScheduler(deps, { owner: 'a', intervalMs: 60_000 });
    const b = new ExpiryScheduler(deps, { owner: 'b', intervalMs: 60_000 });
    expect((await a.tick()).ran).toBe(true);
    expect((await b.tick()).ran).toBe(false);
    deps.clock.advanceMinutes(3);
    expect((await b.tick()).ran).toBe(true);
  });
});
