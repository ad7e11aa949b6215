import type { Granter, GrantInput } from './granter.js';
import type { AccessRequest, Grant } from './types.js';

/**
 * Grants with the configured granter and revokes each grant with the granter that made it (by the
 * mode stored on the grant): after switching from dry-run to AWS, an old dry-run grant must not be
 * "revoked" against a real account, and vice versa.
 */
export class GrantersByMode implements Granter {
  private readonly all: Granter[];

  constructor(
    private readonly primary: Granter,
    others: Granter[],
  ) {
    this.all = [primary, ...others.filter((g) => g.mode !== primary.mode)];
  }

  get mode(): string {
    return this.primary.mode;
  }

  grant(input: GrantInput): Promise<Grant['handle']> {
    return this.primary.grant(input);
  }

  revoke(request: AccessRequest, grant: Grant): Promise<void> {
    const granter = this.all.find((g) => g.mode === grant.mode);
    if (!granter) {
      throw new Error(`Grant ${request.id} was made in "${grant.mode}" mode, which this Warden is not configured for; revoke it by hand or start Warden with that mode.`);
    }
    return granter.revoke(request, grant);
  }
}
