import type { Account } from '../config/schemas.js';
import type { Granter, GrantInput } from './granter.js';
import type { AccessRequest, Grant } from './types.js';

/** Handle key naming the granter of a grant routed away from the primary (e.g. Identity Center beside IAM). */
export const GRANT_MODE_KEY = 'grantMode';

/**
 * The mode of the granter that made a grant. `Grant.mode` is the configured granter's; a grant
 * routed to another granter by its account records that one in its handle, which wins.
 */
export function grantModeOf(grant: Pick<Grant, 'mode' | 'handle'>): string {
  return grant.handle[GRANT_MODE_KEY] ?? grant.mode;
}

export interface GrantersByModeOptions {
  /** Which granter an account's grants go to; undefined: the primary. */
  route?: (account: Account) => Granter | undefined;
}

/**
 * Grants with the configured granter (or the one the account is routed to) and revokes each grant
 * with the granter that made it (by the mode stored with the grant): after switching from dry-run
 * to AWS, an old dry-run grant must not be "revoked" against a real account, and vice versa.
 */
export class GrantersByMode implements Granter {
  private readonly all: Granter[];

  constructor(
    private readonly primary: Granter,
    others: Granter[],
    private readonly options: GrantersByModeOptions = {},
  ) {
    this.all = [primary, ...others.filter((g) => g.mode !== primary.mode)];
  }

  get mode(): string {
    return this.primary.mode;
  }

  async grant(input: GrantInput): Promise<Grant['handle']> {
    const granter = this.options.route?.(input.account) ?? this.primary;
    const handle = await granter.grant(input);
    return granter.mode === this.primary.mode ? handle : { ...handle, [GRANT_MODE_KEY]: granter.mode };
  }

  /** Whether a grant made in `mode` can be revoked here, directly or by a nested router. */
  canRevoke(mode: string): boolean {
    return this.granterFor(mode) !== undefined;
  }

  async revoke(request: AccessRequest, grant: Grant): Promise<void> {
    const mode = grantModeOf(grant);
    const granter = this.granterFor(mode);
    if (!granter) {
      throw new Error(`Grant ${request.id} was made in "${mode}" mode, which this Warden is not configured for; revoke it by hand or start Warden with that mode.`);
    }
    await granter.revoke(request, grant);
  }

  private granterFor(mode: string): Granter | undefined {
    return this.all.find((g) => g.mode === mode) ?? this.all.find((g) => g instanceof GrantersByMode && g.canRevoke(mode));
  }
}
