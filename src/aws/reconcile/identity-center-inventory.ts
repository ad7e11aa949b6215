import {
  DescribePermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListPermissionSetsProvisionedToAccountCommand,
  ListTagsForResourceCommand,
  type AccountAssignment,
  type SSOAdminClient,
  type Tag,
} from '@aws-sdk/client-sso-admin';
import { TAG_KEYS } from '../iam/plan.js';
import type { IdentityCenterClients } from '../identity-center/clients.js';
import type { IdentityCenterGranter } from '../identity-center/identity-center-granter.js';
import { IDENTITY_CENTER_MODE, permissionSetName } from '../identity-center/plan.js';
import { DEFAULT_RETRY_POLICY, isAwsError, realRuntime, withRetry, type RetryPolicy, type RetryRuntime } from '../retry.js';
import type { GrantInventory } from './iam-inventory.js';
import type { ObservedGrant } from './reconcile.js';

const PREFIX = 'warden-';

/**
 * Per-request permission sets (`warden-<request id>`) provisioned to an account and assigned there.
 * A set counts as Warden's only when its `warden:request-id` tag names the request its name does.
 * A set provisioned but assigned to nobody grants nothing: it is not a grant (so an active request
 * whose set lost its assignment is reported missing).
 *
 * Assignments of existing permission sets (`grant.permissionSet` in the org file) carry no tag:
 * Warden cannot tell them from assignments an admin made, so reconciliation leaves them alone.
 */
export class IdentityCenterGrantInventory implements GrantInventory {
  readonly mode = IDENTITY_CENTER_MODE;
  private readonly retry: { policy: RetryPolicy; runtime: RetryRuntime };
  /** A permission set's name never changes, so it is asked once per ARN. */
  private readonly names = new Map<string, string | null>();

  constructor(
    private readonly options: {
      instanceArn: string;
      clients: Pick<IdentityCenterClients, 'ssoAdmin'>;
      /** Removal goes through the granter, so it makes exactly the calls of a revocation. */
      granter: Pick<IdentityCenterGranter, 'removeFound'>;
      retry?: { policy?: RetryPolicy; runtime?: RetryRuntime };
    },
  ) {
    this.retry = { policy: options.retry?.policy ?? DEFAULT_RETRY_POLICY, runtime: options.retry?.runtime ?? realRuntime };
  }

  private get admin(): SSOAdminClient {
    return this.options.clients.ssoAdmin();
  }

  async list(accountId: string): Promise<ObservedGrant[]> {
    const InstanceArn = this.options.instanceArn;
    const arns = await this.pages('ListPermissionSetsProvisionedToAccount', async (NextToken) => {
      const out = await this.admin.send(new ListPermissionSetsProvisionedToAccountCommand({ InstanceArn, AccountId: accountId, ...(NextToken ? { NextToken } : {}) }));
      return { items: out.PermissionSets, next: out.NextToken };
    });
    const found: ObservedGrant[] = [];
    for (const arn of arns) {
      const name = await this.nameOf(arn);
      if (name === null || !name.startsWith(PREFIX)) continue;
      const assignments = await this.pages<AccountAssignment>(`ListAccountAssignments ${name}`, async (NextToken) => {
        const out = await this.admin.send(new ListAccountAssignmentsCommand({ InstanceArn, AccountId: accountId, PermissionSetArn: arn, ...(NextToken ? { NextToken } : {}) }));
        return { items: out.AccountAssignments, next: out.NextToken };
      });
      const principalIds = assignments.flatMap((a) => (a.PrincipalType === 'USER' && a.PrincipalId ? [a.PrincipalId] : []));
      if (principalIds.length === 0) continue;
      const tags = await this.tags(arn);
      if (tags === null) continue; // deleted between the calls
      const tagged = tags.find((t) => t.Key === TAG_KEYS.requestId)?.Value ?? null;
      found.push({
        accountId,
        name,
        requestId: tagged !== null && nameMatches(name, tagged) ? tagged : null,
        expiresAt: tags.find((t) => t.Key === TAG_KEYS.expiresAt)?.Value ?? null,
        ref: { permissionSetArn: arn, principalIds: principalIds.join(',') },
      });
    }
    return found;
  }

  remove(grant: ObservedGrant & { requestId: string }): Promise<void> {
    const permissionSetArn = grant.ref?.['permissionSetArn'];
    if (!permissionSetArn) return Promise.reject(new Error(`${grant.name} in ${grant.accountId} was not found by this inventory; refusing to remove it`));
    const principalIds = (grant.ref?.['principalIds'] ?? '').split(',').filter((id) => id !== '');
    return this.options.granter.removeFound({ requestId: grant.requestId, accountId: grant.accountId, permissionSetArn, principalIds });
  }

  private async nameOf(arn: string): Promise<string | null> {
    const known = this.names.get(arn);
    if (known !== undefined) return known;
    try {
      const out = await withRetry('Identity Center DescribePermissionSet', () => this.admin.send(new DescribePermissionSetCommand({ InstanceArn: this.options.instanceArn, PermissionSetArn: arn })), this.retry);
      const name = out.PermissionSet?.Name ?? null;
      this.names.set(arn, name);
      return name;
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFoundException')) return null;
      throw error;
    }
  }

  private async tags(arn: string): Promise<Tag[] | null> {
    try {
      return await this.pages('ListTagsForResource', async (NextToken) => {
        const out = await this.admin.send(new ListTagsForResourceCommand({ InstanceArn: this.options.instanceArn, ResourceArn: arn, ...(NextToken ? { NextToken } : {}) }));
        return { items: out.Tags, next: out.NextToken };
      });
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFoundException')) return null;
      throw error;
    }
  }

  private async pages<T>(what: string, page: (next: string | undefined) => Promise<{ items: T[] | undefined; next: string | undefined }>): Promise<T[]> {
    const all: T[] = [];
    let token: string | undefined;
    do {
      const out = await withRetry(`Identity Center ${what}`, () => page(token), this.retry);
      all.push(...(out.items ?? []));
      token = out.next;
    } while (token);
    return all;
  }
}

function nameMatches(name: string, requestId: string): boolean {
  try {
    return permissionSetName(requestId) === name;
  } catch {
    return false; // a tag no request id could have
  }
}
