/**
 * The Organizations client. Organizations answers only in the management account or a delegated
 * administrator, so Warden may assume a role there (WARDEN_ORG_ROLE_ARN) the same way it assumes
 * grant roles: STS AssumeRole with retries, credentials reused until close to their expiry.
 */
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import type { Clock } from '../../clock.js';
import { ScpUnavailableError } from '../../policy/scp/index.js';
import { assumeRole } from '../iam/clients.js';
import { awsErrorName, DEFAULT_RETRY_POLICY, realRuntime, RetriesExhaustedError, type RetryPolicy, type RetryRuntime } from '../retry.js';

export interface OrganizationsClientOptions {
  /** Organizations' region: us-east-1 in the aws partition (the service is global). */
  region: string;
  /** Region of STS, for the assumed role. */
  stsRegion: string;
  roleArn?: string | undefined;
  clock: Clock;
  retry?: { policy?: RetryPolicy; runtime?: RetryRuntime };
}

/** CloudTrail in the management account shows SCP reads under this session name. */
const SESSION_NAME = 'warden-scps';
const CREDENTIALS_MARGIN_MS = 60_000;

/** `maxAttempts: 1`: retry.ts is the one retry layer, as for every other Warden client. */
export function organizationsClients(options: OrganizationsClientOptions): () => Promise<OrganizationsClient> {
  const roleArn = options.roleArn;
  if (!roleArn) {
    const client = new OrganizationsClient({ region: options.region, maxAttempts: 1 });
    return () => Promise.resolve(client);
  }
  const retry = { policy: options.retry?.policy ?? DEFAULT_RETRY_POLICY, runtime: options.retry?.runtime ?? realRuntime };
  let sts: STSClient | undefined;
  let current: { client: OrganizationsClient; expiresAt: number } | undefined;
  let pending: Promise<OrganizationsClient> | undefined;
  const assume = async (): Promise<OrganizationsClient> => {
    sts ??= new STSClient({ region: options.stsRegion, maxAttempts: 1 });
    let credentials;
    try {
      credentials = await assumeRole(sts, { RoleArn: roleArn, RoleSessionName: SESSION_NAME }, retry);
    } catch (error) {
      const name = awsErrorName(error instanceof RetriesExhaustedError ? error.cause : error) ?? 'unknown error';
      throw new ScpUnavailableError(`Warden could not assume WARDEN_ORG_ROLE_ARN ${roleArn} (${name}); its trust policy must let Warden's identity call sts:AssumeRole.`, { cause: error });
    }
    current?.client.destroy();
    const client = new OrganizationsClient({ region: options.region, credentials, maxAttempts: 1 });
    current = { client, expiresAt: credentials.expiration?.getTime() ?? options.clock.now().getTime() + 15 * 60_000 };
    return client;
  };
  return () => {
    if (current && current.expiresAt - options.clock.now().getTime() > CREDENTIALS_MARGIN_MS) return Promise.resolve(current.client);
    // Concurrent lookups share one AssumeRole.
    pending ??= assume().finally(() => (pending = undefined));
    return pending;
  };
}
