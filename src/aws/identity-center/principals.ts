import { GetUserIdCommand } from '@aws-sdk/client-identitystore';
import type { User } from '../../config/schemas.js';
import { isAwsError, withRetry, type RetryPolicy, type RetryRuntime } from '../retry.js';
import type { IdentityCenterClients } from './clients.js';

/** Who a requester is in IAM Identity Center. Warden uses IdentityCenterRequesters (requesters.ts). */
export interface IdentityCenterPrincipals {
  /** The Identity Center user id; throws with a message the requester can act on when there is none. */
  userId(requester: User): Promise<string>;
}

/**
 * Looks the requester up by the e-mail in the org file (kept for tests of the granter alone; the
 * wired lookup uses the e-mail the chat platform verified), exactly (Identity Center's unique
 * attribute `emails.value`), never by a looser match: a wrong match would grant someone else.
 */
export class IdentityStoreByEmail implements IdentityCenterPrincipals {
  constructor(
    private readonly options: { identityStoreId: string; clients: IdentityCenterClients; retry: { policy: RetryPolicy; runtime: RetryRuntime } },
  ) {}

  async userId(requester: User): Promise<string> {
    if (!requester.email) throw new Error(`${requester.id} has no e-mail in the org file, so their IAM Identity Center user cannot be found`);
    const email = requester.email;
    try {
      const out = await withRetry(
        'Identity Store GetUserId',
        () =>
          this.options.clients.identityStore().send(
            new GetUserIdCommand({ IdentityStoreId: this.options.identityStoreId, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'emails.value', AttributeValue: email } } }),
          ),
        this.options.retry,
      );
      if (!out.UserId) throw new Error('no user id returned');
      return out.UserId;
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFoundException')) throw new Error(`no IAM Identity Center user has the e-mail ${email} (${requester.id} in the org file)`);
      throw error;
    }
  }
}
