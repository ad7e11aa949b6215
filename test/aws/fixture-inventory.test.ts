import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DISCOVERABLE_SERVICES } from '../../src/access/resource-discovery.js';
import { FixtureResourceDiscovery } from '../../src/aws/discovery/fixture-inventory.js';
import { ConfigError } from '../../src/config/config-error.js';
import { IamCatalog } from '../../src/policy/catalog.js';
import { sampleOrg } from '../support/org.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warden-inventory-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(text: string, onSkipped?: (message: string) => void) {
  await writeFile(join(dir, 'playground-resources.yaml'), text);
  return FixtureResourceDiscovery.fromConfigDir(dir, sampleOrg.accounts, onSkipped ? { onSkipped } : {});
}

describe('the playground inventory', () => {
  it('examples/playground-resources.yaml gives both sample accounts resources whose ARNs the catalog reads as their type', async () => {
    const inventory = (await FixtureResourceDiscovery.fromConfigDir('examples', sampleOrg.accounts))!;
    const catalog = new IamCatalog();
    const types = { s3: 'bucket', dynamodb: 'table', ec2: 'instance', rds: 'db', lambda: 'function', logs: 'log-group', sqs: 'queue' } as const;
    for (const account of sampleOrg.accounts) {
      let count = 0;
      for (const service of DISCOVERABLE_SERVICES) {
        for (const resource of (await inventory.list(account.id, service)).resources) {
          count++;
          expect(resource.arn.startsWith(`arn:aws:${service}:`)).toBe(true);
          if (service !== 's3') expect(resource.arn).toContain(`:${account.region}:${account.id}:`);
          expect((await catalog.matchResourceTypes(service, resource.arn)).map((m) => m.type)).toEqual([types[service]]);
        }
      }
      expect(count).toBeGreaterThan(5);
    }
  });

  it('keys accounts by name or id, and lists each service sorted by ARN', async () => {
    const inventory = (await load('accounts:\n  "222222222222":\n    sqs: [zeta, alpha]\n    ec2: [{ id: i-0123456789abcdef0 }]\n'))!;
    expect((await inventory.list('222222222222', 'sqs')).resources.map((r) => r.arn)).toEqual([
      'arn:aws:sqs:us-east-1:222222222222:alpha',
      'arn:aws:sqs:us-east-1:222222222222:zeta',
    ]);
    expect((await inventory.list('222222222222', 'ec2')).resources).toEqual([{ arn: 'arn:aws:ec2:us-east-1:222222222222:instance/i-0123456789abcdef0', name: 'i-0123456789abcdef0' }]);
    expect(await inventory.list('111111111111', 'sqs')).toEqual({ resources: [], truncated: false });
  });

  it('no file means no inventory (the picker is left out)', async () => {
    expect(await FixtureResourceDiscovery.fromConfigDir(dir, sampleOrg.accounts)).toBeUndefined();
  });

  it('skips an account the org does not have, saying so, and keeps the others', async () => {
    const skipped: string[] = [];
    const inventory = (await load('accounts:\n  payments-prod:\n    s3: [a]\n  staging:\n    s3: [b]\n', (m) => skipped.push(m)))!;
    expect(skipped).toEqual([expect.stringMatching(/playground-resources\.yaml: accounts\.staging: not an account of the org file \(payments-prod, sandbox\)/)]);
    expect((await inventory.list('111111111111', 's3')).resources.map((r) => r.arn)).toEqual(['arn:aws:s3:::a']);
  });

  it('a mistake stops start-up naming the file, the line and the field', async () => {
    const badName = await load('accounts:\n  payments-prod:\n    lambda: ["bad:name"]\n').catch((e: unknown) => e);
    expect(badName).toBeInstanceOf(ConfigError);
    expect((badName as ConfigError).format()).toMatch(/accounts\.payments-prod: "bad:name" is not a valid FunctionName/);

    const typo = await load('accounts:\n  payments-prod:\n    s4: [a]\n    ec2: [{ id: web-1 }]\n').catch((e: unknown) => e);
    const text = (typo as ConfigError).format();
    expect(text).toMatch(/playground-resources\.yaml:2: accounts\.payments-prod: Unrecognized key: "s4"/);
    expect(text).toMatch(/accounts\.payments-prod\.ec2\[0\]\.id: an instance id like "i-0a1b2c3d4e5f60001"/);
  });
});
