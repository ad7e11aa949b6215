import type { Account, User } from '../config/schemas.js';
import type { AccessRequest, Grant } from './types.js';

export interface GrantInput {
  request: AccessRequest;
  requester: User;
  account: Account;
  grantedAt: Date;
  expiresAt: Date;
}

/** Applies and removes temporary access. Implemented by the dry-run granter and, later, IAM / Identity Center / SSM. */
export interface Granter {
  readonly mode: string;
  /** Returns what `revoke` needs to undo the grant. Throws when the grant could not be applied. */
  grant(input: GrantInput): Promise<Grant['handle']>;
  /** Idempotent: revoking something already gone succeeds. */
  revoke(request: AccessRequest, grant: Grant): Promise<void>;
}
