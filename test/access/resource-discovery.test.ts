import { describe, expect, it } from 'vitest';
import { CachedResourceDiscovery, resourceHintsFrom, type DiscoverableService, type ResourceDiscovery } from '../../src/access/resource-discovery.js';
import { ManualClock } from '../support/manual-clock.js';
import { sampleOrg } from '../support/org.js';

const PAYMENTS = sampleOrg.accounts[0]!;

/** A discovery that counts its calls and answers from a table, or fails when told to. */
function fakeDiscovery(answers: Partial<Record<DiscoverableService, string[]>>) {
  const state = { calls: 0, fail: false as boolean | Partial<Record<DiscoverableService, boolean>> };
  const discovery: ResourceDiscovery = {
    async list(_accountId, service) {
      state.calls++;
      await Promise.resolve();
      if (state.fail === true || (typeof state.fail === 'object' && state.fail[service])) throw new Error(`${service} denied`);
      return [...(answers[service] ?? [])];
    },
  };
  return { discovery, state };
}

describe('CachedResourceDiscovery', () => {
  it('serves a listing until the TTL, then asks again', async () => {
    const clock = new ManualClock();
    const { discovery, state } = fakeDiscovery({ s3: ['arn:aws:s3:::a'] });
    const cached = new CachedResourceDiscovery(discovery, { clock, ttlSeconds: 600 });
    expect(await cached.list(PAYMENTS.id, 's3')).toEqual(['arn:aws:s3:::a']);
    clock.advanceMinutes(9);
    await cached.list(PAYMENTS.id, 's3');
    expect(state.calls).toBe(1);
    clock.advanceMinutes(2);
    await cached.list(PAYMENTS.id, 's3');
    expect(state.calls).toBe(2);
  });

  it('shares one listing between concurrent misses, and keys by account and service', async () => {
    const { discovery, state } = fakeDiscovery({ s3: ['arn:aws:s3:::a'], dynamodb: ['arn:aws:dynamodb:eu-west-1:111111111111:table/t'] });
    const cached = new CachedResourceDiscovery(discovery, { clock: new ManualClock(), ttlSeconds: 600 });
    await Promise.all([cached.list(PAYMENTS.id, 's3'), cached.list(PAYMENTS.id, 's3'), cached.list(PAYMENTS.id, 'dynamodb'), cached.list('222222222222', 's3')]);
    expect(state.calls).toBe(3);
  });

  it('serves the last good listing when a refresh fails, and fails when there is none', async () => {
    const clock = new ManualClock();
    const { discovery, state } = fakeDiscovery({ s3: ['arn:aws:s3:::a'] });
    const stale: string[] = [];
    const cached = new CachedResourceDiscovery(discovery, { clock, ttlSeconds: 60, onStale: (key, error) => stale.push(`${key.accountId}/${key.service}: ${String(error)}`) });
    await cached.list(PAYMENTS.id, 's3');
    state.fail = true;
    clock.advanceMinutes(2);
    expect(await cached.list(PAYMENTS.id, 's3')).toEqual(['arn:aws:s3:::a']);
    expect(stale).toEqual(['111111111111/s3: Error: s3 denied']);
    await expect(cached.list(PAYMENTS.id, 'dynamodb')).rejects.toThrow(/denied/);
    // A failure is not cached: the next call tries again.
    state.fail = false;
    expect(await cached.list(PAYMENTS.id, 'dynamodb')).toEqual([]);
  });

  it('hands out copies, so a caller cannot change the cached listing', async () => {
    const { discovery } = fakeDiscovery({ s3: ['arn:aws:s3:::a'] });
    const cached = new CachedResourceDiscovery(discovery, { clock: new ManualClock(), ttlSeconds: 600 });
    (await cached.list(PAYMENTS.id, 's3')).push('arn:aws:s3:::injected');
    expect(await cached.list(PAYMENTS.id, 's3')).toEqual(['arn:aws:s3:::a']);
  });
});

describe('resourceHintsFrom', () => {
  it('interleaves the services, and leaves out one that fails, reporting it', async () => {
    const buckets = ['arn:aws:s3:::a', 'arn:aws:s3:::b', 'arn:aws:s3:::c'];
    const tables = ['arn:aws:dynamodb:eu-west-1:111111111111:table/t'];
    const { discovery, state } = fakeDiscovery({ s3: buckets, dynamodb: tables });
    const errors: string[] = [];
    const hints = resourceHintsFrom(discovery, { onError: (account, service) => errors.push(`${account.name}/${service}`) });
    expect(await hints.list(PAYMENTS)).toEqual(['arn:aws:s3:::a', tables[0], 'arn:aws:s3:::b', 'arn:aws:s3:::c']);
    state.fail = { dynamodb: true };
    expect(await hints.list(PAYMENTS)).toEqual(buckets);
    expect(errors).toEqual(['payments-prod/dynamodb']);
  });
});
