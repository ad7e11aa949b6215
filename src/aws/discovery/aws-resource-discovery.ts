/**
 * Resource discovery in AWS: S3 buckets and DynamoDB tables of an account, listed through the
 * same `warden-grant` role the IAM granter assumes (one role to set up per account). That role
 * needs two read-only list permissions for this, `s3:ListAllMyBuckets` and `dynamodb:ListTables`;
 * without them discovery fails and drafting simply goes on without hints.
 */
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import type { STSClient } from '@aws-sdk/client-sts';
import type { DiscoverableService, ResourceDiscovery } from '../../access/resource-discovery.js';
import type { Clock } from '../../clock.js';
import type { Account } from '../../config/schemas.js';
import { assumeRole, type SessionCredentials } from '../iam/clients.js';
import { assumeGrantRoleInput, type IamGrantSettings } from '../iam/plan.js';
import { DEFAULT_RETRY_POLICY, realRuntime, withRetry, type RetryPolicy, type RetryRuntime } from '../retry.js';

/** Builds the clients; tests and emulators get the SDK's endpoint settings like every other client. */
export interface DiscoveryClientFactory {
  sts(): STSClient;
  s3(credentials: SessionCredentials, region: string): S3Client;
  dynamodb(credentials: SessionCredentials, region: string): DynamoDBClient;
}

/** `maxAttempts: 1`: `retry.ts` is the one retry layer, as for the granters. */
export function sdkDiscoveryClients(sts: () => STSClient): DiscoveryClientFactory {
  return {
    sts,
    s3: (credentials, region) => new S3Client({ region, credentials, maxAttempts: 1 }),
    dynamodb: (credentials, region) => new DynamoDBClient({ region, credentials, maxAttempts: 1 }),
  };
}

export interface AwsResourceDiscoveryOptions {
  /** The accounts of org.yaml: their region says where regional resources are listed. */
  accounts: readonly Account[];
  settings: IamGrantSettings;
  clients: DiscoveryClientFactory;
  clock: Clock;
  retry?: { policy?: RetryPolicy; runtime?: RetryRuntime };
  /** A listing stops here: hints are for people and prompts, not an inventory. */
  maxPerService?: number;
}

const DEFAULT_MAX_PER_SERVICE = 1000;
/** Assumed-role credentials are reused until this close to their expiry. */
const CREDENTIALS_MARGIN_MS = 60_000;
/** CloudTrail shows these calls as the discovery session, apart from any request's. */
const SESSION_PURPOSE = 'discovery';

export class AwsResourceDiscovery implements ResourceDiscovery {
  private readonly sessions = new Map<string, Promise<SessionCredentials>>();
  private readonly retry: { policy: RetryPolicy; runtime: RetryRuntime };

  constructor(private readonly options: AwsResourceDiscoveryOptions) {
    this.retry = { policy: options.retry?.policy ?? DEFAULT_RETRY_POLICY, runtime: options.retry?.runtime ?? realRuntime };
  }

  async list(accountId: string, service: DiscoverableService): Promise<string[]> {
    const account = this.options.accounts.find((a) => a.id === accountId);
    // Only accounts in org.yaml: the grant role exists there and nowhere else.
    if (!account) throw new Error(`Account ${accountId} is not in org.yaml; Warden discovers resources only there.`);
    const credentials = await this.credentials(accountId);
    const arns = service === 's3' ? await this.buckets(credentials, account) : await this.tables(credentials, account);
    return arns.sort();
  }

  private credentials(accountId: string): Promise<SessionCredentials> {
    const cached = this.sessions.get(accountId);
    if (cached) return cached.then((c) => (this.fresh(c) ? c : this.assume(accountId)));
    return this.assume(accountId);
  }

  private fresh(credentials: SessionCredentials): boolean {
    return credentials.expiration !== undefined && credentials.expiration.getTime() - this.options.clock.now().getTime() > CREDENTIALS_MARGIN_MS;
  }

  private assume(accountId: string): Promise<SessionCredentials> {
    const pending = assumeRole(this.options.clients.sts(), assumeGrantRoleInput(this.options.settings, accountId, SESSION_PURPOSE), this.retry);
    this.sessions.set(accountId, pending);
    // A failed AssumeRole is not remembered: the next listing tries again.
    pending.catch(() => this.sessions.get(accountId) === pending && this.sessions.delete(accountId));
    return pending;
  }

  private get max(): number {
    return this.options.maxPerService ?? DEFAULT_MAX_PER_SERVICE;
  }

  /** Every bucket the account owns (S3 lists all regions at once); bucket ARNs have no region or account. */
  private async buckets(credentials: SessionCredentials, account: Account): Promise<string[]> {
    const s3 = this.options.clients.s3(credentials, account.region);
    const names: string[] = [];
    try {
      let token: string | undefined;
      do {
        const page = await withRetry(`S3 ListBuckets in ${account.id}`, () => s3.send(new ListBucketsCommand({ MaxBuckets: 1000, ...(token ? { ContinuationToken: token } : {}) })), this.retry);
        for (const bucket of page.Buckets ?? []) if (bucket.Name) names.push(bucket.Name);
        token = page.ContinuationToken;
      } while (token && names.length < this.max);
    } finally {
      s3.destroy();
    }
    return names.slice(0, this.max).map((name) => `arn:${this.options.settings.partition}:s3:::${name}`);
  }

  /** Tables in the account's region from org.yaml. */
  private async tables(credentials: SessionCredentials, account: Account): Promise<string[]> {
    const dynamodb = this.options.clients.dynamodb(credentials, account.region);
    const names: string[] = [];
    try {
      let start: string | undefined;
      do {
        const page = await withRetry(`DynamoDB ListTables in ${account.id}`, () => dynamodb.send(new ListTablesCommand({ Limit: 100, ...(start ? { ExclusiveStartTableName: start } : {}) })), this.retry);
        names.push(...(page.TableNames ?? []));
        start = page.LastEvaluatedTableName;
      } while (start && names.length < this.max);
    } finally {
      dynamodb.destroy();
    }
    return names.slice(0, this.max).map((name) => `arn:${this.options.settings.partition}:dynamodb:${account.region}:${account.id}:table/${name}`);
  }
}
