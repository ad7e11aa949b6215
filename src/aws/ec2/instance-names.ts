/**
 * EC2 Name tags → running instance ids, for `/access ssh web-1` and `/run web-1 …`: DescribeInstances
 * in the account's region through its `warden-grant` role (which needs ec2:DescribeInstances).
 */
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { STSClient } from '@aws-sdk/client-sts';
import type { InstanceNames, NamedInstance } from '../../access/command-runner.js';
import type { Account } from '../../config/schemas.js';
import { assumeRole, type SessionCredentials } from '../iam/clients.js';
import { assumeGrantRoleInput, type IamGrantSettings } from '../iam/plan.js';
import { DEFAULT_RETRY_POLICY, realRuntime, withRetry, type RetryPolicy, type RetryRuntime } from '../retry.js';

export interface InstanceNameClients {
  sts(): STSClient;
  ec2(credentials: SessionCredentials, region: string): EC2Client;
}

export function sdkInstanceNameClients(sts: () => STSClient): InstanceNameClients {
  return { sts, ec2: (credentials, region) => new EC2Client({ region, credentials, maxAttempts: 1 }) };
}

/** More matches than this is not one instance anyway; the requester is asked for an id. */
const MAX_MATCHES = 20;

export class Ec2InstanceNames implements InstanceNames {
  private readonly retry: { policy: RetryPolicy; runtime: RetryRuntime };

  constructor(
    private readonly options: { settings: IamGrantSettings; clients: InstanceNameClients; retry?: { policy?: RetryPolicy; runtime?: RetryRuntime } },
  ) {
    this.retry = { policy: options.retry?.policy ?? DEFAULT_RETRY_POLICY, runtime: options.retry?.runtime ?? realRuntime };
  }

  async running(account: Account, name: string): Promise<NamedInstance[]> {
    const credentials = await assumeRole(this.options.clients.sts(), assumeGrantRoleInput(this.options.settings, account.id, 'instance-names'), this.retry);
    const ec2 = this.options.clients.ec2(credentials, account.region);
    try {
      const found: NamedInstance[] = [];
      let token: string | undefined;
      do {
        const page = await withRetry(
          `EC2 DescribeInstances Name=${name} in ${account.id}`,
          () =>
            ec2.send(
              new DescribeInstancesCommand({
                Filters: [
                  { Name: 'tag:Name', Values: [name] },
                  { Name: 'instance-state-name', Values: ['running'] },
                ],
                ...(token ? { NextToken: token } : {}),
              }),
            ),
          this.retry,
        );
        for (const instance of (page.Reservations ?? []).flatMap((r) => r.Instances ?? [])) {
          if (instance.InstanceId) found.push({ instanceId: instance.InstanceId, name });
        }
        token = page.NextToken;
      } while (token && found.length < MAX_MATCHES);
      return found;
    } finally {
      ec2.destroy();
    }
  }
}
