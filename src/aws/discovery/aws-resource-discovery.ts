/**
 * Resource discovery in AWS: S3 buckets, DynamoDB tables, EC2 instances, RDS DB instances, Lambda
 * functions, CloudWatch log groups and SQS queues of an account, listed through the same
 * `warden-grant` role the IAM granter assumes (one role to set up per account). That role needs the
 * read-only list permissions in docs/aws-grant-role.md (`ListResourceNamesForDrafting`); a listing it is denied fails,
 * and drafting and the pickers go on without that service.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { STSClient } from '@aws-sdk/client-sts';
import type { DiscoverableService, ResourceDiscovery, ResourceListing } from '../../access/resource-discovery.js';
import type { Clock } from '../../clock.js';
import type { Account } from '../../config/schemas.js';
import { assumeRole, type SessionCredentials } from '../iam/clients.js';
import { assumeGrantRoleInput, type IamGrantSettings } from '../iam/plan.js';
import { DEFAULT_RETRY_POLICY, realRuntime, withRetry, type RetryPolicy, type RetryRuntime } from '../retry.js';
import type { ListContext } from './listers/context.js';
import { listTables } from './listers/dynamodb-tables.js';
import { listInstances } from './listers/ec2-instances.js';
import { listFunctions } from './listers/lambda-functions.js';
import { listLogGroups } from './listers/log-groups.js';
import { listDbInstances } from './listers/rds-instances.js';
import { listBuckets } from './listers/s3-buckets.js';
import { listQueues } from './listers/sqs-queues.js';

/** Builds the clients; tests and emulators get the SDK's endpoint settings like every other client. */
export interface DiscoveryClientFactory {
  sts(): STSClient;
  s3(credentials: SessionCredentials, region: string): S3Client;
  dynamodb(credentials: SessionCredentials, region: string): DynamoDBClient;
  ec2(credentials: SessionCredentials, region: string): EC2Client;
  rds(credentials: SessionCredentials, region: string): RDSClient;
  lambda(credentials: SessionCredentials, region: string): LambdaClient;
  logs(credentials: SessionCredentials, region: string): CloudWatchLogsClient;
  sqs(credentials: SessionCredentials, region: string): SQSClient;
}

/** `maxAttempts: 1`: `retry.ts` is the one retry layer, as for the granters. */
export function sdkDiscoveryClients(sts: () => STSClient): DiscoveryClientFactory {
  return {
    sts,
    s3: (credentials, region) => new S3Client({ region, credentials, maxAttempts: 1 }),
    dynamodb: (credentials, region) => new DynamoDBClient({ region, credentials, maxAttempts: 1 }),
    ec2: (credentials, region) => new EC2Client({ region, credentials, maxAttempts: 1 }),
    rds: (credentials, region) => new RDSClient({ region, credentials, maxAttempts: 1 }),
    lambda: (credentials, region) => new LambdaClient({ region, credentials, maxAttempts: 1 }),
    logs: (credentials, region) => new CloudWatchLogsClient({ region, credentials, maxAttempts: 1 }),
    sqs: (credentials, region) => new SQSClient({ region, credentials, maxAttempts: 1 }),
  };
}

export interface AwsResourceDiscoveryOptions {
  /** The accounts of org.yaml: their region says where regional resources are listed. */
  accounts: readonly Account[];
  settings: IamGrantSettings;
  clients: DiscoveryClientFactory;
  clock: Clock;
  retry?: { policy?: RetryPolicy; runtime?: RetryRuntime };
  /** A listing stops here per account and service, and says it was cut: hints are for people and prompts, not an inventory. */
  maxPerService?: number;
}

export const DEFAULT_MAX_PER_SERVICE = 1000;
/** Assumed-role credentials are reused until this close to their expiry. */
const CREDENTIALS_MARGIN_MS = 60_000;
/** CloudTrail shows these calls as the discovery session, apart from any request's. */
const SESSION_PURPOSE = 'discovery';

/** One client per listing, destroyed after it, so no socket outlives the short-lived credentials. */
async function using<C extends { destroy(): void }>(client: C, list: (client: C) => Promise<ResourceListing>): Promise<ResourceListing> {
  try {
    return await list(client);
  } finally {
    client.destroy();
  }
}

export class AwsResourceDiscovery implements ResourceDiscovery {
  private readonly sessions = new Map<string, Promise<SessionCredentials>>();
  private readonly retry: { policy: RetryPolicy; runtime: RetryRuntime };

  constructor(private readonly options: AwsResourceDiscoveryOptions) {
    this.retry = { policy: options.retry?.policy ?? DEFAULT_RETRY_POLICY, runtime: options.retry?.runtime ?? realRuntime };
  }

  async list(accountId: string, service: DiscoverableService): Promise<ResourceListing> {
    const account = this.options.accounts.find((a) => a.id === accountId);
    // Only accounts in org.yaml: the grant role exists there and nowhere else.
    if (!account) throw new Error(`Account ${accountId} is not in org.yaml; Warden discovers resources only there.`);
    const credentials = await this.credentials(accountId);
    const ctx: ListContext = {
      account,
      partition: this.options.settings.partition,
      max: this.options.maxPerService ?? DEFAULT_MAX_PER_SERVICE,
      call: (what, send) => withRetry(what, send, this.retry),
    };
    const c = this.options.clients;
    const region = account.region;
    switch (service) {
      case 's3':
        return using(c.s3(credentials, region), (client) => listBuckets(client, ctx));
      case 'dynamodb':
        return using(c.dynamodb(credentials, region), (client) => listTables(client, ctx));
      case 'ec2':
        return using(c.ec2(credentials, region), (client) => listInstances(client, ctx));
      case 'rds':
        return using(c.rds(credentials, region), (client) => listDbInstances(client, ctx));
      case 'lambda':
        return using(c.lambda(credentials, region), (client) => listFunctions(client, ctx));
      case 'logs':
        return using(c.logs(credentials, region), (client) => listLogGroups(client, ctx));
      case 'sqs':
        return using(c.sqs(credentials, region), (client) => listQueues(client, ctx));
    }
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
}
