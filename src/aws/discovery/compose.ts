import { CachedResourceDiscovery, type DiscoverableService } from '../../access/resource-discovery.js';
import type { Clock } from '../../clock.js';
import type { Account } from '../../config/schemas.js';
import type { AwsConfig } from '../config.js';
import { sdkClientFactory } from '../iam/clients.js';
import { AwsResourceDiscovery, sdkDiscoveryClients } from './aws-resource-discovery.js';

/** Ten minutes: new resources show up soon enough, and a busy hour costs a few calls per account and service. */
export const DEFAULT_DISCOVERY_TTL_SECONDS = 600;

/**
 * Discovery for WARDEN_GRANT_MODE=aws: through each account's `warden-grant` role, with the same
 * region, partition and external id as the granter, behind a TTL cache.
 */
export function awsResourceDiscovery(
  config: AwsConfig,
  ctx: {
    accounts: readonly Account[];
    clock: Clock;
    ttlSeconds?: number;
    onStale?: (key: { accountId: string; service: DiscoverableService }, error: unknown) => void;
  },
): CachedResourceDiscovery {
  const clients = sdkClientFactory({ region: config.region });
  const inner = new AwsResourceDiscovery({ accounts: ctx.accounts, settings: config.iam, clients: sdkDiscoveryClients(() => clients.sts()), clock: ctx.clock });
  return new CachedResourceDiscovery(inner, { clock: ctx.clock, ttlSeconds: ctx.ttlSeconds ?? DEFAULT_DISCOVERY_TTL_SECONDS, ...(ctx.onStale ? { onStale: ctx.onStale } : {}) });
}
