/**
 * A fixed inventory for the playground, where Warden has no AWS to list: the request form's
 * resource picker then offers the resources of a small YAML file instead of nothing. Real discovery
 * (WARDEN_GRANT_MODE=aws) never reads it, and like any picked value these ARNs still go through
 * every policy check.
 */
import { access } from 'node:fs/promises';
import { z } from 'zod';
import type { DiscoverableService, DiscoveredResource, ResourceDiscovery, ResourceListing } from '../../access/resource-discovery.js';
import { ConfigError } from '../../config/config-error.js';
import type { Account } from '../../config/schemas.js';
import { readSource } from '../../config/source.js';
import { locate, validate } from '../../config/zod-issues.js';
import { resourceArn } from './resource-arns.js';

export const FIXTURE_INVENTORY_FILE = 'playground-resources.yaml';

export interface FixtureOptions {
  /** An account of the file that the org does not have: skipped, with this message. */
  onSkipped?: (message: string) => void;
}

const names = z.array(z.string().min(1)).optional();
const InventorySchema = z.strictObject({
  accounts: z.record(
    z.string(),
    z.strictObject({
      s3: names,
      dynamodb: names,
      ec2: z
        .array(
          z.strictObject({
            id: z.string().regex(/^i-[0-9a-f]{8,17}$/, 'an instance id like "i-0a1b2c3d4e5f60001"'),
            name: z.string().min(1).optional(),
            state: z.string().min(1).optional(),
          }),
        )
        .optional(),
      rds: names,
      lambda: names,
      logs: names,
      sqs: names,
    }),
  ),
});
type AccountInventory = z.infer<typeof InventorySchema>['accounts'][string];

function resourcesOf(account: Account, inventory: AccountInventory, service: DiscoverableService): DiscoveredResource[] {
  const arn = (name: string) => resourceArn(service, 'aws', account, name);
  if (service === 'ec2') {
    return (inventory.ec2 ?? []).map((i) => {
      const detail = [i.name ? i.id : undefined, i.state].filter(Boolean).join(' · ');
      return { arn: arn(i.id), name: i.name ?? i.id, ...(detail ? { detail } : {}) };
    });
  }
  return (inventory[service] ?? []).map((name) => ({ arn: arn(name), name }));
}

export class FixtureResourceDiscovery implements ResourceDiscovery {
  private constructor(private readonly byAccount: ReadonlyMap<string, Readonly<Record<DiscoverableService, DiscoveredResource[]>>>) {}

  /** Reads `<configDir>/playground-resources.yaml`; undefined when there is none (the picker is then left out). */
  static async fromConfigDir(configDir: string, accounts: readonly Account[], options: FixtureOptions = {}): Promise<FixtureResourceDiscovery | undefined> {
    const file = `${configDir.replace(/\/+$/, '')}/${FIXTURE_INVENTORY_FILE}`;
    try {
      await access(file);
    } catch {
      return undefined;
    }
    return FixtureResourceDiscovery.fromFile(file, accounts, options);
  }

  /**
   * Accounts are named as in org.yaml (name or id). A name that cannot form an ARN stops start-up
   * with the field; an account the org does not have is skipped and reported, since the sample file
   * may sit beside an org file of one's own.
   */
  static async fromFile(file: string, accounts: readonly Account[], options: FixtureOptions = {}): Promise<FixtureResourceDiscovery> {
    const source = await readSource(file, `It lists the resources the playground's picker offers; see examples/${FIXTURE_INVENTORY_FILE}.`);
    const parsed = validate(InventorySchema, source);
    if (!parsed.ok) throw new ConfigError(file, parsed.issues);
    const byAccount = new Map<string, Record<DiscoverableService, DiscoveredResource[]>>();
    const issues: Array<{ path: PropertyKey[]; message: string }> = [];
    for (const [key, inventory] of Object.entries(parsed.value.accounts)) {
      const account = accounts.find((a) => a.name === key || a.id === key);
      if (!account) {
        options.onSkipped?.(`${file}: accounts.${key}: not an account of the org file (${accounts.map((a) => a.name).join(', ')}); its resources are not offered`);
        continue;
      }
      try {
        byAccount.set(account.id, {
          s3: resourcesOf(account, inventory, 's3'),
          dynamodb: resourcesOf(account, inventory, 'dynamodb'),
          ec2: resourcesOf(account, inventory, 'ec2'),
          rds: resourcesOf(account, inventory, 'rds'),
          lambda: resourcesOf(account, inventory, 'lambda'),
          logs: resourcesOf(account, inventory, 'logs'),
          sqs: resourcesOf(account, inventory, 'sqs'),
        });
      } catch (error) {
        issues.push({ path: ['accounts', key], message: error instanceof Error ? error.message : String(error) });
      }
    }
    if (issues.length > 0) throw new ConfigError(file, locate(source, issues));
    return new FixtureResourceDiscovery(byAccount);
  }

  async list(accountId: string, service: DiscoverableService): Promise<ResourceListing> {
    const resources = [...(this.byAccount.get(accountId)?.[service] ?? [])];
    resources.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
    return { resources, truncated: false };
  }
}
