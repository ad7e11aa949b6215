import { describe, expect, it } from 'vitest';
import {
  CachedResourceDiscovery,
  resourceHintsFrom,
  searchResources,
  type DiscoverableService,
  type ResourceDiscovery,
} from '../../src/access/resource-discovery.js';
import { ManualClock } from '../support/manual-clock.js';
import { sampleOrg } from '../support/org.js';

const PAYMENTS = sampleOrg.accounts[0]!;

/** The ARNs of a listing, for short assertions. */
const arns = async (listing: Promise<{ resources: Array<{ arn: string }> }>) => (await listing).resources.map((r) => r.arn);

/** The name part of an ARN, as a discovery would report it. */
const nameOf = (arn: string) => arn.split(/[:/]/).pop() ?? arn;

/** A discovery that counts its calls and answers from a table, or fails when told to. */
function fakeDiscovery(answers: Partial<Record<DiscoverableService, string[]>>, cut: Partial<Record<DiscoverableService, boolean>> = {}) {
  const state = { calls: 0, fail: false as boolean | Partial<Record<DiscoverableService, boolean>> };
  const discovery: ResourceDiscovery = {
    async list(_accountId, service) {
      state.calls++;
      await Promise.resolve();
      if (state.fail === true || (typeof state.fail === 'object' && state.fail[service])) throw new Error(`${service} denied`);
      return { resources: (answers[service] ?? []).map((arn) => ({ arn, name: nameOf(arn) })), truncated: cut[service] ?? false };
    },
  };
  return { discovery, state };
}

describe('CachedResourceDiscovery', () => {
  it('serves a listing until the TTL, then asks again', async () => {
    const clock = new ManualClock();
    const { discovery, state } = fakeDiscovery({ s3: ['arn:aws:s3:::a'] });
    const cached = new CachedResourceDiscovery(discovery, { clock, ttlSeconds: 600 });
    expect(await arns(cached.list(PAYMENTS.id, 's3'))).toEqual(['arn:aws:s3:::a']);
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
    expect(await arns(cached.list(PAYMENTS.id, 's3'))).toEqual(['arn:aws:s3:::a']);
    expect(stale).toEqual(['111111111111/s3: Error: s3 denied']);
    await expect(cached.list(PAYMENTS.id, 'dynamodb')).rejects.toThrow(/denied/);
    // A failure is not cached: the next call tries again.
    state.fail = false;
    expect(await arns(cached.list(PAYMENTS.id, 'dynamodb'))).toEqual([]);
  });

  it('hands out copies, so a caller cannot change the cached listing', async () => {
    const { discovery } = fakeDiscovery({ s3: ['arn:aws:s3:::a'] });
    const cached = new CachedResourceDiscovery(discovery, { clock: new ManualClock(), ttlSeconds: 600 });
    (await cached.list(PAYMENTS.id, 's3')).resources.push({ arn: 'arn:aws:s3:::injected', name: 'injected' });
    expect(await arns(cached.list(PAYMENTS.id, 's3'))).toEqual(['arn:aws:s3:::a']);
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

describe('searchResources', () => {
  const inventory = {
    s3: ['arn:aws:s3:::audit-logs', 'arn:aws:s3:::payments-exports', 'arn:aws:s3:::pay-reports'],
    dynamodb: ['arn:aws:dynamodb:eu-west-1:111111111111:table/orders', 'arn:aws:dynamodb:eu-west-1:111111111111:table/payments'],
    sqs: ['arn:aws:sqs:eu-west-1:111111111111:payment-events', 'arn:aws:sqs:eu-west-1:111111111111:emails'],
  };

  it('finds the resources whose name contains the text, any case, grouped by service in a fixed order', async () => {
    const { discovery } = fakeDiscovery(inventory);
    const groups = await searchResources(discovery, PAYMENTS.id, 'PAY');
    expect(groups.map((g) => [g.service, g.resources.map((r) => r.name)])).toEqual([
      ['s3', ['payments-exports', 'pay-reports']],
      ['dynamodb', ['payments']],
      ['sqs', ['payment-events']],
    ]);
    expect(groups.every((g) => !g.more && !g.listingCut)).toBe(true);
  });

  it('does not match on the partition, region or account of the ARN', async () => {
    const { discovery } = fakeDiscovery(inventory);
    expect(await searchResources(discovery, PAYMENTS.id, 'eu-west')).toEqual([]);
    expect(await searchResources(discovery, PAYMENTS.id, '1111')).toEqual([]);
    expect((await searchResources(discovery, PAYMENTS.id, 'table/ord')).map((g) => g.resources.map((r) => r.name))).toEqual([['orders']]);
  });

  it('puts the preferred service first and says when the listing itself was cut', async () => {
    const { discovery } = fakeDiscovery(inventory, { sqs: true });
    const groups = await searchResources(discovery, PAYMENTS.id, 'pay', { preferred: 'sqs' });
    expect(groups.map((g) => g.service)).toEqual(['sqs', 's3', 'dynamodb']);
    expect(groups[0]!.listingCut).toBe(true);
  });

  it('shares the limit so one large group does not crowd out the others', async () => {
    const many = Array.from({ length: 150 }, (_, i) => `arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/pay-${String(i).padStart(3, '0')}`);
    const { discovery } = fakeDiscovery({ ...inventory, logs: many });
    const groups = await searchResources(discovery, PAYMENTS.id, 'pay', { limit: 100 });
    const sizes = Object.fromEntries(groups.map((g) => [g.service, g.resources.length]));
    expect(sizes).toEqual({ s3: 2, dynamodb: 1, logs: 96, sqs: 1 });
    expect(groups.find((g) => g.service === 'logs')!.more).toBe(true);
    expect(groups.reduce((n, g) => n + g.resources.length, 0)).toBe(100);
  });

  it('leaves out a service that cannot be listed, reporting it', async () => {
    const { discovery, state } = fakeDiscovery(inventory);
    state.fail = { s3: true };
    const failed: string[] = [];
    const groups = await searchResources(discovery, PAYMENTS.id, 'pay', { onError: (service) => failed.push(service) });
    expect(groups.map((g) => g.service)).toEqual(['dynamodb', 'sqs']);
    expect(failed).toEqual(['s3']);
  });
});
