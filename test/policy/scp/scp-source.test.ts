import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PermissionDraft } from '../../../src/access/types.js';
import { parseOrg } from '../../../src/config/load-policy-files.js';
import { IamCatalog } from '../../../src/policy/catalog.js';
import { defaultGuardrails } from '../../../src/policy/guardrails/index.js';
import { loadPolicyGate } from '../../../src/policy/load-policy-gate.js';
import { RequestPolicyGate } from '../../../src/policy/request-policy-gate.js';
import { CachedScpSource, loadScpTree, ScpUnavailableError, TreeScpSource, type AccountScps, type ScpSource } from '../../../src/policy/scp/index.js';
import { ManualClock } from '../../support/manual-clock.js';

const org = parseOrg(readFileSync('examples/org.yaml', 'utf8'), 'examples/org.yaml');
const catalog = new IamCatalog();
const payments = org.accounts.find((a) => a.id === '111111111111')!;
const ana = org.users.find((u) => u.id === 'ana')!;
const NOW = new Date('2026-11-23T10:00:00Z');
const draft: PermissionDraft = {
  accountId: '111111111111',
  accountName: 'payments-prod',
  accessLevel: 'Write',
  statements: [{ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::billing-reports/*'] }],
  durationMinutes: 60,
  justification: 'Re-upload the corrupted billing export for INC-1234',
  broad: false,
  notes: [],
};

const failing = (error: unknown): ScpSource => ({ description: 'failing', forAccount: () => Promise.reject(error) });

describe('where the gate gets its SCPs', () => {
  it('the start-up log line says the SCPs come from the files', async () => {
    const loaded = await loadPolicyGate({ configDir: 'examples' }, org, catalog);
    expect(loaded.sources).toEqual(['guardrails=examples/guardrails.yaml', 'scps=files:examples/scps']);
    const review = await loaded.gate.review({ draft, account: payments, requester: ana, now: NOW });
    expect(review.review.verdicts.join('\n')).toMatch(/denied by SCP `deny-writes-in-prod`, statement `DenyWrites`, attached to OU Prod/);
  });

  it('a live source replaces the SCP folder, which is then not read at all', async () => {
    const tree = await loadScpTree('examples/scps');
    const live: ScpSource = { description: 'live', forAccount: (id) => new TreeScpSource(tree, 'x').forAccount(id) };
    const loaded = await loadPolicyGate({ configDir: 'examples', scpDir: 'no/such/folder', scpSource: live }, org, catalog);
    expect(loaded.sources).toContain('scps=live');
    expect(loaded.scps).toBe(live);
  });

  it('without any SCPs the card gets the note, not identity-only lines under the SCP heading', async () => {
    const gate = new RequestPolicyGate({ catalog, guardrails: defaultGuardrails() });
    const result = await gate.review({ draft, account: payments, requester: ana, now: NOW });
    expect(result.review.verdicts).toEqual([]);
    expect(result.review.scpNote).toBe('No organization tree is configured: SCPs were not simulated.');
  });

  it("a source's own explanation is shown; an unexpected error shows only its kind, never its message", async () => {
    const explained = new RequestPolicyGate({ catalog, guardrails: defaultGuardrails(), scps: failing(new ScpUnavailableError('AWS Organizations could not be reached (ECONNREFUSED); the next request tries again.')) });
    expect((await explained.review({ draft, account: payments, requester: ana, now: NOW })).review.scpNote).toBe(
      'SCPs could not be read, so they were not simulated: AWS Organizations could not be reached (ECONNREFUSED); the next request tries again.',
    );
    const unexpected = new RequestPolicyGate({ catalog, guardrails: defaultGuardrails(), scps: failing(new TypeError('fetch https://example.invalid/?X-Amz-Security-Token=SECRET failed')) });
    const note = (await unexpected.review({ draft, account: payments, requester: ana, now: NOW })).review.scpNote;
    expect(note).toBe('SCPs could not be read, so they were not simulated: TypeError (see the Warden log)');
  });
});

describe('the SCP cache', () => {
  function counting(): { source: ScpSource; calls: string[]; fail: { next: boolean } } {
    const calls: string[] = [];
    const fail = { next: false };
    const answer: AccountScps = { organizationId: 'o-a1b2c3d4e5', path: { found: false, accountId: '111111111111' } };
    return {
      calls,
      fail,
      source: {
        description: 'counting',
        forAccount: async (id) => {
          calls.push(id);
          if (fail.next) {
            fail.next = false;
            throw new ScpUnavailableError('down');
          }
          return answer;
        },
      },
    };
  }

  it('serves an account for the TTL, per account, and reads it again after', async () => {
    const clock = new ManualClock();
    const inner = counting();
    const cached = new CachedScpSource(inner.source, { clock, ttlSeconds: 600 });
    await cached.forAccount('111111111111');
    await cached.forAccount('222222222222');
    clock.advanceMinutes(9);
    await cached.forAccount('111111111111');
    expect(inner.calls).toEqual(['111111111111', '222222222222']);
    clock.advanceMinutes(1);
    await cached.forAccount('111111111111');
    expect(inner.calls).toEqual(['111111111111', '222222222222', '111111111111']);
    expect(cached.description).toBe('counting,cache=600s');
  });

  it('does not remember a failure', async () => {
    const inner = counting();
    const cached = new CachedScpSource(inner.source, { clock: new ManualClock(), ttlSeconds: 600 });
    inner.fail.next = true;
    await expect(cached.forAccount('111111111111')).rejects.toThrow('down');
    await expect(cached.forAccount('111111111111')).resolves.toMatchObject({ organizationId: 'o-a1b2c3d4e5' });
    expect(inner.calls).toHaveLength(2);
  });
});
