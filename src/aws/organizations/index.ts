/** SCPs read live from AWS Organizations (WARDEN_SCP_SOURCE=organizations). */
import type { Clock } from '../../clock.js';
import { CachedScpSource } from '../../policy/scp/index.js';
import type { ScpSourceConfig } from '../config.js';
import type { RetryPolicy, RetryRuntime } from '../retry.js';
import { organizationsClients } from './clients.js';
import { OrganizationsScpReader } from './organizations-scp-reader.js';

export { ORGANIZATIONS_PERMISSIONS } from './errors.js';
export { compileScp, OrganizationsScpReader } from './organizations-scp-reader.js';

/** The account cache and the policy-content cache share one TTL: both answer "how stale may an SCP be". */
export function organizationsScpSource(
  config: Extract<ScpSourceConfig, { source: 'organizations' }>,
  ctx: { clock: Clock; accountName?: (accountId: string) => string | undefined; retry?: { policy?: RetryPolicy; runtime?: RetryRuntime } },
): CachedScpSource {
  const client = organizationsClients({ region: config.region, stsRegion: config.stsRegion, roleArn: config.roleArn, clock: ctx.clock, ...(ctx.retry ? { retry: ctx.retry } : {}) });
  const reader = new OrganizationsScpReader({
    client,
    clock: ctx.clock,
    policyTtlSeconds: config.cacheTtlSeconds,
    description: `aws-organizations${config.roleArn ? `(role=${config.roleArn})` : ''}`,
    ...(ctx.accountName ? { accountName: ctx.accountName } : {}),
    ...(ctx.retry ? { retry: ctx.retry } : {}),
  });
  return new CachedScpSource(reader, { clock: ctx.clock, ttlSeconds: config.cacheTtlSeconds });
}
