import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccessRequest, AuditEvent } from '../../src/access/types.js';
import type { PolicyVersion, Store } from '../../src/store/store.js';
import { BUILDER_TIME, makeDraft, makeEvent, makeEventFor, makeRequest, plusSeconds } from './builders.js';

/*
 * The behaviour every Store adapter must have, exercised only through the port so the same suite runs
 * against SQLite and DynamoDB. Where the port leaves something open (e.g. the order of
 * listPendingForApprover, or how many items a page holds), the suite leaves it open too.
 */

/** What a workflow does to write a request: the next version with some fields changed. */
function bump(request: AccessRequest, changes: Partial<AccessRequest> = {}): AccessRequest {
  return { ...request, ...changes, version: request.version + 1 };
}

async function create(store: Store, overrides: Partial<AccessRequest> = {}): Promise<AccessRequest> {
  const request = makeRequest(overrides);
  await store.createRequest(request, makeEventFor(request, { type: 'request.created' }));
  return request;
}

function ids(requests: readonly AccessRequest[]): string[] {
  return requests.map((r) => r.id);
}

const T0 = BUILDER_TIME;

/**
 * Registers the Store contract suite.
 * @param makeStore returns a new, empty store for each test.
 * @param cleanup disposes of a store after its test; defaults to `store.close()`.
 */
export function storeContract(
  name: string,
  makeStore: () => Promise<Store>,
  cleanup: (store: Store) => Promise<void> = (store) => store.close(),
): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await cleanup(store);
    });

    describe('requests', () => {
      it('returns a created request as it was given, and undefined for an unknown id', async () => {
        const request = makeRequest();
        await store.createRequest(request, makeEventFor(request));
        expect(await store.getRequest(request.id)).toEqual(request);
        expect(await store.getRequest('r-unknown')).toBeUndefined();
      });

      it('round-trips every optional field', async () => {
        const request = makeRequest({
          state: 'active',
          approvals: [{ userId: 'bob', at: plusSeconds(T0, 60) }],
          denial: { userId: 'carol', at: plusSeconds(T0, 61), reason: 'too broad' },
          cancellation: { userId: 'alice', at: plusSeconds(T0, 62), reason: 'not needed' },
          grant: {
            grantedAt: plusSeconds(T0, 120),
            expiresAt: plusSeconds(T0, 7320),
            mode: 'iam-inline',
            handle: { roleName: 'warden-alice', policyName: 'warden-r-1' },
          },
          failure: 'AccessDenied: iam:PutRolePolicy',
          draft: makeDraft({ broad: true, notes: [], accessLevel: 'Permissions management' }),
        });
        await store.createRequest(request, makeEventFor(request));
        expect(await store.getRequest(request.id)).toEqual(request);
      });

      it('refuses a second request with the same id and keeps the first', async () => {
        const first = await create(store, { id: 'r-dup' });
        const second = makeRequest({ id: 'r-dup', requesterId: 'mallory' });
        await expect(store.createRequest(second, makeEventFor(second))).rejects.toThrow(/r-dup/);
        expect(await store.getRequest('r-dup')).toEqual(first);
        expect(await store.listAudit({ requestId: 'r-dup' })).toHaveLength(1);
      });

      it('records the creation audit event with the request', async () => {
        const request = makeRequest();
        const event = makeEventFor(request, { type: 'request.created', detail: { via: 'dm' } });
        await store.createRequest(request, event);
        expect(await store.listAudit({ requestId: request.id })).toEqual([event]);
      });
    });

    describe('saveRequest (compare-and-set)', () => {
      it('writes the next version and appends its audit event', async () => {
        const v1 = await create(store);
        const v2 = bump(v1, { state: 'pending_approval', updatedAt: plusSeconds(T0, 10) });
        const event = makeEventFor(v2, { type: 'request.submitted', at: plusSeconds(T0, 10) });
        expect(await store.saveRequest(v2, 1, event)).toBe(true);
        expect(await store.getRequest(v1.id)).toEqual(v2);
        const audit = await store.listAudit({ requestId: v1.id });
        expect(audit.map((e) => e.type)).toEqual(['request.created', 'request.submitted']);
        expect(audit[1]).toEqual(event);
      });

      it('returns false for a stale version and changes nothing', async () => {
        const v1 = await create(store);
        const v2 = bump(v1, { state: 'pending_approval', updatedAt: plusSeconds(T0, 10) });
        expect(await store.saveRequest(v2, 1, makeEventFor(v2, { at: plusSeconds(T0, 10) }))).toBe(true);
        const auditBefore = await store.listAudit({ requestId: v1.id });

        const stale = bump(v1, { state: 'cancelled', updatedAt: plusSeconds(T0, 20) });
        expect(await store.saveRequest(stale, 1, makeEventFor(stale, { at: plusSeconds(T0, 20) }))).toBe(false);
        expect(await store.getRequest(v1.id)).toEqual(v2);
        expect(await store.listAudit({ requestId: v1.id })).toEqual(auditBefore);
        expect(await store.listAudit()).toEqual(auditBefore);
      });

      it('returns false for an unknown id', async () => {
        const ghost = bump(makeRequest({ id: 'r-ghost' }));
        expect(await store.saveRequest(ghost, 1, makeEventFor(ghost))).toBe(false);
        expect(await store.getRequest('r-ghost')).toBeUndefined();
        expect(await store.listAudit()).toEqual([]);
      });

      it('rejects a next version that is not expectedVersion + 1', async () => {
        const v1 = await create(store);
        const same = { ...v1, state: 'pending_approval' as const };
        await expect(store.saveRequest(same, 1, makeEventFor(same))).rejects.toThrow();
        const skip = { ...v1, version: 3 };
        await expect(store.saveRequest(skip, 1, makeEventFor(skip))).rejects.toThrow();
        expect(await store.getRequest(v1.id)).toEqual(v1);
        expect(await store.listAudit({ requestId: v1.id })).toHaveLength(1);
      });

      it('rejects an audit event about another request', async () => {
        const v1 = await create(store);
        const v2 = bump(v1, { state: 'pending_approval' });
        await expect(store.saveRequest(v2, 1, makeEvent({ requestId: 'r-other' }))).rejects.toThrow();
        expect(await store.getRequest(v1.id)).toEqual(v1);
      });

      it('lets exactly one of 20 concurrent writers from the same version win', async () => {
        const v1 = await create(store, { state: 'pending_approval', approverIds: ['bob', 'carol'], quorum: 1 });
        const attempts = Array.from({ length: 20 }, (_, i) => {
          const next = bump(v1, {
            state: 'approved',
            approvals: [{ userId: `approver-${i}`, at: plusSeconds(T0, 30) }],
            updatedAt: plusSeconds(T0, 30),
          });
          return { next, event: makeEventFor(next, { type: 'request.approved', detail: { attempt: i } }) };
        });
        const results = await Promise.all(attempts.map((a) => store.saveRequest(a.next, 1, a.event)));

        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = attempts[results.indexOf(true)];
        expect(await store.getRequest(v1.id)).toEqual(winner?.next);
        const audit = await store.listAudit({ requestId: v1.id });
        expect(audit.map((e) => e.id)).toEqual([expect.any(String), winner?.event.id]);
      });

      it('writes a chain of versions one after another', async () => {
        let current = await create(store);
        for (const state of ['pending_approval', 'approved', 'granting', 'active'] as const) {
          const next = bump(current, { state });
          expect(await store.saveRequest(next, current.version, makeEventFor(next))).toBe(true);
          current = next;
        }
        expect(await store.getRequest(current.id)).toEqual(current);
        expect(current.version).toBe(5);
        expect(await store.listAudit({ requestId: current.id })).toHaveLength(5);
      });
    });

    describe('listRequestsByRequester', () => {
      it('pages through every request newest first, without duplicates', async () => {
        // Three requests share each timestamp, so the id tie-break is exercised on every page boundary.
        const created: AccessRequest[] = [];
        for (let i = 0; i < 250; i++) {
          created.push(await create(store, { id: `r-page-${String(i).padStart(3, '0')}`, createdAt: plusSeconds(T0, Math.floor(i / 3) * 60) }));
        }
        await create(store, { requesterId: 'someone-else' });
        const expected = [...created]
          .sort((a, b) => (a.createdAt === b.createdAt ? b.id.localeCompare(a.id) : b.createdAt.localeCompare(a.createdAt)))
          .map((r) => r.id);

        const seen: string[] = [];
        let cursor: string | null = null;
        for (let pages = 0; ; pages++) {
          // An adapter may return short (even empty) pages; it must still finish in a bounded number.
          expect(pages).toBeLessThan(20);
          const page = await store.listRequestsByRequester('alice', { limit: 100, cursor });
          expect(page.items.length).toBeLessThanOrEqual(100);
          seen.push(...ids(page.items));
          cursor = page.cursor;
          if (cursor === null) break;
        }
        expect(seen).toEqual(expected);
      });

      it('returns whole requests, and an empty page for a requester with none', async () => {
        const older = await create(store, { createdAt: T0 });
        const newer = await create(store, { createdAt: plusSeconds(T0, 1) });
        const page = await store.listRequestsByRequester('alice');
        expect(page.items).toEqual([newer, older]);
        expect(page.cursor).toBeNull();
        expect(await store.listRequestsByRequester('nobody')).toEqual({ items: [], cursor: null });
      });

      it('keeps the creation order after requests are updated', async () => {
        const older = await create(store, { createdAt: T0 });
        const newer = await create(store, { createdAt: plusSeconds(T0, 60) });
        const updated = bump(older, { state: 'pending_approval', updatedAt: plusSeconds(T0, 3600) });
        expect(await store.saveRequest(updated, 1, makeEventFor(updated))).toBe(true);
        const page = await store.listRequestsByRequester('alice');
        expect(page.items).toEqual([newer, updated]);
      });
    });

    describe('listPendingForApprover', () => {
      it('lists pending requests that name the approver, and follows state and approver changes', async () => {
        const a = await create(store, { state: 'pending_approval', approverIds: ['bob', 'carol'] });
        const b = await create(store, { state: 'pending_approval', approverIds: ['carol'] });
        await create(store, { state: 'drafting', approverIds: ['bob'] });
        await create(store, { state: 'approved', approverIds: ['bob'] });

        expect(ids(await store.listPendingForApprover('bob'))).toEqual([a.id]);
        expect(ids(await store.listPendingForApprover('carol')).sort()).toEqual([a.id, b.id].sort());
        expect(await store.listPendingForApprover('dave')).toEqual([]);

        const approved = bump(a, { state: 'approved' });
        expect(await store.saveRequest(approved, 1, makeEventFor(approved))).toBe(true);
        const reassigned = bump(b, { approverIds: ['dave'] });
        expect(await store.saveRequest(reassigned, 1, makeEventFor(reassigned))).toBe(true);

        expect(await store.listPendingForApprover('bob')).toEqual([]);
        expect(await store.listPendingForApprover('carol')).toEqual([]);
        expect(await store.listPendingForApprover('dave')).toEqual([reassigned]);
      });
    });

    describe('listActiveExpiringBefore', () => {
      const grantUntil = (seconds: number) => ({
        grantedAt: T0,
        expiresAt: plusSeconds(T0, seconds),
        mode: 'iam-inline',
        handle: { roleName: 'warden-alice' },
      });

      it('lists active grants expiring at or before the time, soonest first', async () => {
        const late = await create(store, { state: 'active', grant: grantUntil(3000) });
        const soon = await create(store, { state: 'active', grant: grantUntil(1000) });
        const exact = await create(store, { state: 'active', grant: grantUntil(2000) });
        await create(store, { state: 'revoked', grant: grantUntil(500) });
        await create(store, { state: 'expired', grant: grantUntil(500) });
        await create(store, { state: 'pending_approval' });

        expect(ids(await store.listActiveExpiringBefore(plusSeconds(T0, 2000)))).toEqual([soon.id, exact.id]);
        expect(ids(await store.listActiveExpiringBefore(plusSeconds(T0, 9999)))).toEqual([soon.id, exact.id, late.id]);
        expect(await store.listActiveExpiringBefore(plusSeconds(T0, 999))).toEqual([]);
      });

      it('follows a revoke and an extension', async () => {
        const a = await create(store, { state: 'active', grant: grantUntil(1000) });
        const b = await create(store, { state: 'active', grant: grantUntil(1000) });
        const revoked = bump(a, { state: 'revoked' });
        const extended = bump(b, { grant: grantUntil(5000) });
        expect(await store.saveRequest(revoked, 1, makeEventFor(revoked))).toBe(true);
        expect(await store.saveRequest(extended, 1, makeEventFor(extended))).toBe(true);

        expect(await store.listActiveExpiringBefore(plusSeconds(T0, 2000))).toEqual([]);
        expect(await store.listActiveExpiringBefore(plusSeconds(T0, 5000))).toEqual([extended]);
      });
    });

    describe('listRequestsInStates', () => {
      it('lists requests in any of the states, oldest first', async () => {
        const granting = await create(store, { state: 'granting', createdAt: plusSeconds(T0, 30) });
        const active = await create(store, { state: 'active', createdAt: plusSeconds(T0, 10) });
        const approved = await create(store, { state: 'approved', createdAt: plusSeconds(T0, 20) });
        await create(store, { state: 'denied' });

        expect(ids(await store.listRequestsInStates(['granting', 'active', 'approved']))).toEqual([
          active.id,
          approved.id,
          granting.id,
        ]);
        expect(await store.listRequestsInStates(['granting'])).toEqual([granting]);
        expect(await store.listRequestsInStates(['failed'])).toEqual([]);
        expect(await store.listRequestsInStates([])).toEqual([]);
      });
    });

    describe('audit', () => {
      it('lists events oldest first, by request or all, with a limit', async () => {
        const request = await create(store, { createdAt: T0, updatedAt: T0 });
        const events: AuditEvent[] = [1, 2, 3].map((i) =>
          makeEvent({ requestId: request.id, at: plusSeconds(T0, i), type: `step.${i}`, detail: { i, nested: { ok: true } } }),
        );
        for (const event of events) await store.appendAudit(event);
        const unrelated = makeEvent({ at: plusSeconds(T0, 4), actorId: 'admin', type: 'admin.sync' });
        await store.appendAudit(unrelated);

        const byRequest = await store.listAudit({ requestId: request.id });
        expect(byRequest.map((e) => e.type)).toEqual(['request.created', 'step.1', 'step.2', 'step.3']);
        expect(byRequest.slice(1)).toEqual(events);

        const all = await store.listAudit();
        expect(all).toHaveLength(5);
        expect(all.at(-1)).toEqual(unrelated);
        expect(await store.listAudit({ requestId: request.id, limit: 2 })).toEqual(byRequest.slice(0, 2));
        expect(await store.listAudit({ requestId: 'r-none' })).toEqual([]);
      });

      it('refuses a second event with the same id', async () => {
        const event = makeEvent();
        await store.appendAudit(event);
        await expect(store.appendAudit({ ...event, type: 'other' })).rejects.toThrow();
        expect(await store.listAudit()).toEqual([event]);
      });
    });

    describe('message refs', () => {
      it('lists the refs recorded for a request, once each', async () => {
        const request = await create(store);
        const other = await create(store);
        const toBob = { platform: 'slack', channel: 'D0BOB', ts: '1736154001.000200', purpose: 'approval' } as const;
        const toCarol = { platform: 'slack', channel: 'D0CAROL', ts: '1736154001.000300', purpose: 'approval' } as const;
        const preview = { platform: 'slack', channel: 'C0TEST0001', ts: '1736154000.000900', purpose: 'draft' } as const;
        await store.addMessageRef(request.id, toBob);
        await store.addMessageRef(request.id, toCarol);
        await store.addMessageRef(request.id, toBob);
        await store.addMessageRef(other.id, preview);

        const refs = await store.listMessageRefs(request.id);
        expect(refs).toHaveLength(2);
        expect(refs).toEqual(expect.arrayContaining([toBob, toCarol]));
        expect(await store.listMessageRefs(other.id)).toEqual([preview]);
        expect(await store.listMessageRefs('r-none')).toEqual([]);
      });
    });

    describe('conversations', () => {
      it('saves, reads back and replaces a conversation', async () => {
        expect(await store.getConversation('slack:C0TEST0001:1736154000.000100')).toBeUndefined();
        const first = {
          key: 'slack:C0TEST0001:1736154000.000100',
          userId: 'alice',
          turns: [{ role: 'user' as const, text: 'I need to read billing-reports', at: T0 }],
          requestId: null,
          updatedAt: T0,
        };
        await store.saveConversation(first);
        expect(await store.getConversation(first.key)).toEqual(first);

        const second = {
          ...first,
          turns: [...first.turns, { role: 'bot' as const, text: 'For how long?', at: plusSeconds(T0, 1) }],
          requestId: 'r-test-conv',
          updatedAt: plusSeconds(T0, 1),
        };
        await store.saveConversation(second);
        expect(await store.getConversation(first.key)).toEqual(second);
      });
    });

    describe('claimDelivery', () => {
      it('claims a delivery once until its TTL passes', async () => {
        expect(await store.claimDelivery('slack:Ev01', T0, 60)).toBe(true);
        expect(await store.claimDelivery('slack:Ev01', plusSeconds(T0, 10), 60)).toBe(false);
        expect(await store.claimDelivery('slack:Ev02', plusSeconds(T0, 10), 60)).toBe(true);
        expect(await store.claimDelivery('slack:Ev01', plusSeconds(T0, 120), 60)).toBe(true);
        // The new claim has its own TTL.
        expect(await store.claimDelivery('slack:Ev01', plusSeconds(T0, 150), 60)).toBe(false);
      });

      it('lets exactly one of 10 concurrent claims win', async () => {
        const results = await Promise.all(
          Array.from({ length: 10 }, () => store.claimDelivery('slack:Ev03', T0, 60)),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
      });
    });

    describe('leases', () => {
      it('refuses another owner until expiry, and lets the owner renew', async () => {
        expect(await store.acquireLease('digest', 'replica-a', T0, plusSeconds(T0, 30))).toBe(true);
        expect(await store.acquireLease('digest', 'replica-b', plusSeconds(T0, 10), plusSeconds(T0, 40))).toBe(false);
        expect(await store.acquireLease('other-job', 'replica-b', plusSeconds(T0, 10), plusSeconds(T0, 40))).toBe(true);
        // Renewal by the owner extends the lease past its first expiry.
        expect(await store.acquireLease('digest', 'replica-a', plusSeconds(T0, 10), plusSeconds(T0, 60))).toBe(true);
        expect(await store.acquireLease('digest', 'replica-b', plusSeconds(T0, 45), plusSeconds(T0, 75))).toBe(false);
        // Once it lapses, anyone may take it, and the old owner is then refused.
        expect(await store.acquireLease('digest', 'replica-b', plusSeconds(T0, 61), plusSeconds(T0, 91))).toBe(true);
        expect(await store.acquireLease('digest', 'replica-a', plusSeconds(T0, 62), plusSeconds(T0, 92))).toBe(false);
      });

      it('gives a free lease to exactly one of 10 concurrent owners', async () => {
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) => store.acquireLease('scan', `replica-${i}`, T0, plusSeconds(T0, 30))),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
      });
    });

    describe('policy versions', () => {
      const version = (n: number, text = `v${n}`): PolicyVersion => ({ kind: 'guardrails', version: n, text, savedBy: 'dave', savedAt: plusSeconds(T0, n) });

      it('returns the latest and the previous version, per kind', async () => {
        expect(await store.getLatestPolicyVersion('guardrails')).toBeUndefined();
        expect(await store.savePolicyVersion(version(1))).toBe(true);
        expect(await store.getLatestPolicyVersion('guardrails')).toEqual(version(1));
        expect(await store.getPreviousPolicyVersion('guardrails')).toBeUndefined();
        const restoring = { ...version(2, 'v0 again'), restores: 0 };
        expect(await store.savePolicyVersion(restoring)).toBe(true);
        expect(await store.getLatestPolicyVersion('guardrails')).toEqual(restoring);
        expect(await store.getPreviousPolicyVersion('guardrails')).toEqual(version(1));
        expect(await store.getLatestPolicyVersion('access-rules')).toBeUndefined();
      });

      it('refuses a version that is not the next one, and keeps the stored one', async () => {
        expect(await store.savePolicyVersion(version(2))).toBe(false);
        expect(await store.savePolicyVersion(version(1))).toBe(true);
        expect(await store.savePolicyVersion(version(1, 'other'))).toBe(false);
        expect(await store.savePolicyVersion(version(3))).toBe(false);
        expect((await store.getLatestPolicyVersion('guardrails'))?.text).toBe('v1');
      });

      it('lets exactly one of 5 concurrent saves of the same version win', async () => {
        const results = await Promise.all(Array.from({ length: 5 }, (_, i) => store.savePolicyVersion(version(1, `admin-${i}`))));
        expect(results.filter(Boolean)).toHaveLength(1);
      });
    });
  });
}
