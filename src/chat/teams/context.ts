import { errorText } from '../../access/audit.js';
import type { AccessDeps } from '../../access/deps.js';
import { UserFacingError } from '../../access/errors.js';
import type { User } from '../../config/schemas.js';
import type { PolicyConfigHolder } from '../../policy/policy-config-holder.js';
import type { ResourceDiscovery } from '../../access/resource-discovery.js';
import type { SharedScans } from '../scan-wiring.js';
import type { HelpAnswerer, Logger } from '../slack/context.js';
import type { TeamsAddressBook } from './addresses.js';
import type { BackgroundWork } from './background.js';
import type { TeamsNotifier } from './teams-notifier.js';
import type { TeamsVerifiedEmails } from './verified-emails.js';

export interface TeamsHandlerContext {
  deps: AccessDeps;
  notifier: TeamsNotifier;
  addresses: TeamsAddressBook;
  background: BackgroundWork;
  logger: Logger;
  /** Tenants whose activities are served; empty serves every tenant (a multi-tenant bot). */
  allowedTenants: ReadonlySet<string>;
  /** How long an Action.Execute may work before Teams is answered with the card as it stands. */
  invokeBudgetMs: number;
  /** Answers `access help <question>`; without it the command reference is shown. */
  help?: HelpAnswerer;
  /** `scan …` and the scan buttons, when scans are on (shared with Slack: one tracker). */
  readonly scans?: SharedScans | undefined;
  /** The policy files admins change (`guardrails set` / `rules set` with a file); absent: not offered. */
  policyConfig?: PolicyConfigHolder;
  /** Answers the request form's resource picker (typeahead); without it the form has no picker. */
  resources?: ResourceDiscovery;
  /** Reads the acting person's verified e-mail (for the Identity Center match) before their activity is handled. */
  verifiedEmails?: TeamsVerifiedEmails;
}

/** The person behind an activity, as Teams identifies them: the Entra ID object id on `from`. */
export interface TeamsSender {
  aadObjectId: string | undefined;
  name: string | undefined;
}

/**
 * Maps the acting Teams user to an org user by Entra ID object id only. The id comes from an
 * activity whose token botbuilder verified; a name or e-mail could belong to someone else.
 */
export function resolveUser(ctx: TeamsHandlerContext, sender: TeamsSender): User {
  const user = sender.aadObjectId ? ctx.deps.directory.userByAadObjectId(sender.aadObjectId) : undefined;
  if (!user) {
    const id = sender.aadObjectId ?? 'unknown';
    throw new UserFacingError(
      `Your Teams account (Entra ID object id ${id}) is not in Warden's org config, so Warden cannot act for you. Ask the platform team to add your aadObjectId.`,
    );
  }
  return user;
}

/** What to tell a person about a failure; other errors are logged by message only, never the activity. */
export function explainError(ctx: Pick<TeamsHandlerContext, 'logger'>, error: unknown): string {
  if (error instanceof UserFacingError) return error.message;
  ctx.logger.error('teams handler failed', { error: errorText(error) });
  return 'Something went wrong on Warden’s side. Try again in a minute; if it keeps failing, tell the platform team.';
}
