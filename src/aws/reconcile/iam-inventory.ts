import { ListRolesCommand, ListRoleTagsCommand, type IAMClient, type Tag } from '@aws-sdk/client-iam';
import { assumeRole, type AwsClientFactory } from '../iam/clients.js';
import { IAM_GRANT_MODE, type IamGranter } from '../iam/iam-granter.js';
import { assumeGrantRoleInput, requestIdOfRoleName, ROLE_PATH, ROLE_PREFIX, TAG_KEYS, type IamGrantSettings } from '../iam/plan.js';
import { DEFAULT_RETRY_POLICY, isAwsError, realRuntime, withRetry, type RetryPolicy, type RetryRuntime } from '../retry.js';
import type { ObservedGrant } from './reconcile.js';

/** What a Reconciler needs from one kind of grant: find them in an account, and remove one. */
export interface GrantInventory {
  /** The `Grant.mode` of the granter whose grants these are. */
  readonly mode: string;
  /** Everything of this kind Warden granted in the account. Throws when the account cannot be listed. */
  list(accountId: string): Promise<ObservedGrant[]>;
  /** Removes one grant; idempotent (already gone is success). */
  remove(grant: ObservedGrant & { requestId: string }): Promise<void>;
}

/**
 * Per-request IAM roles, found under Warden's role path. ListRoles does not return tags, so each
 * candidate's tags are read with ListRoleTags: a role counts as Warden's only when its
 * `warden:request-id` tag names the same request as its name.
 */
export class IamGrantInventory implements GrantInventory {
  readonly mode = IAM_GRANT_MODE;
  private readonly retry: { policy: RetryPolicy; runtime: RetryRuntime };

  constructor(
    private readonly options: {
      settings: IamGrantSettings;
      clients: AwsClientFactory;
      /** Removal goes through the granter, so it makes exactly the calls of a revocation. */
      granter: Pick<IamGranter, 'revokeRole'>;
      retry?: { policy?: RetryPolicy; runtime?: RetryRuntime };
    },
  ) {
    this.retry = { policy: options.retry?.policy ?? DEFAULT_RETRY_POLICY, runtime: options.retry?.runtime ?? realRuntime };
  }

  async list(accountId: string): Promise<ObservedGrant[]> {
    const credentials = await assumeRole(this.options.clients.sts(), assumeGrantRoleInput(this.options.settings, accountId, 'reconcile'), this.retry);
    const iam = this.options.clients.iam(credentials);
    try {
      const found: ObservedGrant[] = [];
      for (const roleName of await this.roleNames(iam)) {
        const tags = await this.tags(iam, roleName);
        if (tags === null) continue; // deleted between the two calls
        const tagged = tags.find((t) => t.Key === TAG_KEYS.requestId)?.Value ?? null;
        found.push({
          accountId,
          name: roleName,
          requestId: tagged !== null && requestIdOfRoleName(roleName) === tagged ? tagged : null,
          expiresAt: tags.find((t) => t.Key === TAG_KEYS.expiresAt)?.Value ?? null,
        });
      }
      return found;
    } finally {
      iam.destroy();
    }
  }

  remove(grant: ObservedGrant & { requestId: string }): Promise<void> {
    return this.options.granter.revokeRole({ requestId: grant.requestId, accountId: grant.accountId, roleName: grant.name });
  }

  private async roleNames(iam: IAMClient): Promise<string[]> {
    const names: string[] = [];
    let marker: string | undefined;
    do {
      const page = await withRetry('IAM ListRoles', () => iam.send(new ListRolesCommand({ PathPrefix: ROLE_PATH, ...(marker ? { Marker: marker } : {}) })), this.retry);
      for (const role of page.Roles ?? []) {
        if (role.RoleName?.startsWith(ROLE_PREFIX)) names.push(role.RoleName);
      }
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    return names;
  }

  private async tags(iam: IAMClient, roleName: string): Promise<Tag[] | null> {
    const tags: Tag[] = [];
    let marker: string | undefined;
    try {
      do {
        const page = await withRetry(`IAM ListRoleTags ${roleName}`, () => iam.send(new ListRoleTagsCommand({ RoleName: roleName, ...(marker ? { Marker: marker } : {}) })), this.retry);
        tags.push(...(page.Tags ?? []));
        marker = page.IsTruncated ? page.Marker : undefined;
      } while (marker);
    } catch (error) {
      if (isAwsError(error, 'NoSuchEntityException')) return null;
      throw error;
    }
    return tags;
  }
}
