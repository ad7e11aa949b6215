import { recordAudit } from '../access/audit.js';
import type { AccessDeps } from '../access/deps.js';
import { UserFacingError } from '../access/errors.js';
import { ConfigError } from '../config/config-error.js';
import type { User } from '../config/schemas.js';
import { POLICY_FILE_NAMES, type PolicyConfigHolder } from '../policy/policy-config-holder.js';
import { describeDiff, diffPolicyText } from '../policy/policy-summary.js';
import type { PolicyKind } from '../store/store.js';
import type { Logger } from './slack/context.js';

/**
 * Admins' changes of the policy files, the same on every chat platform: who may, how a new version
 * is checked, stored and audited. Slack's `/warden` form and file uploads on Slack and Teams all
 * come through here.
 */
export interface PolicyAdminContext {
  deps: AccessDeps;
  logger: Logger;
  policyConfig: PolicyConfigHolder;
}

export const POLICY_LABEL: Record<PolicyKind, string> = { guardrails: 'Guardrails', 'access-rules': 'Access rules' };
/** The word that names a kind in commands: `/warden rules set`, `rules set`. */
export const POLICY_COMMAND: Record<PolicyKind, string> = { guardrails: 'guardrails', 'access-rules': 'rules' };

/** Admins are named in the access rules in force, so a rules change can add or remove one. */
export function isPolicyAdmin(ctx: PolicyAdminContext, user: User): boolean {
  return ctx.deps.directory.expand(ctx.policyConfig.current().rules.admins).includes(user.id);
}

export function requirePolicyAdmin(ctx: PolicyAdminContext, user: User, kind: PolicyKind): void {
  if (!isPolicyAdmin(ctx, user)) {
    throw new UserFacingError(
      `Only Warden admins can change the ${POLICY_LABEL[kind].toLowerCase()}. Admins are listed under \`admins\` in access-rules.yaml; ask the platform team.`,
    );
  }
}

/** Where the version in force came from, in words. */
export function policyProvenance(ctx: PolicyAdminContext, kind: PolicyKind): string {
  const active = ctx.policyConfig.active(kind);
  if (active.version === 0) return 'from the file Warden started with';
  const restored = active.restores !== undefined ? `, restoring version ${active.restores}` : '';
  return `version ${active.version}, applied by ${active.savedBy ?? '?'} at ${active.savedAt ?? '?'}${restored}`;
}

/** `line 12: durations.maxMinutes: …` lines, the first `max` problems. */
export function describeConfigIssues(error: ConfigError, max: number): string {
  const lines = error.issues.slice(0, max).map((i) => `${i.line !== undefined ? `line ${i.line}: ` : ''}${i.path ? `${i.path}: ` : ''}${i.message}`);
  if (error.issues.length > max) lines.push(`… and ${error.issues.length - max} more`);
  return lines.join('\n');
}

/** Stores a new version, uses it here at once, and records who changed what. */
export async function applyPolicyVersion(ctx: PolicyAdminContext, user: User, kind: PolicyKind, text: string, restores?: number): Promise<string> {
  const before = ctx.policyConfig.active(kind);
  const saved = await ctx.policyConfig.apply(kind, text, user.id, ctx.deps.clock.now().toISOString(), restores);
  if (!saved) throw new UserFacingError(`Someone applied another version of the ${POLICY_LABEL[kind].toLowerCase()} meanwhile. Run \`/warden ${POLICY_COMMAND[kind]} set\` again to start from it.`);
  const diff = diffPolicyText(before.text, text);
  await recordAudit(ctx.deps, {
    requestId: null,
    actorId: user.id,
    type: restores !== undefined ? 'policy.rolled_back' : 'policy.changed',
    detail: { kind, version: saved.version, previousVersion: before.version, ...(restores !== undefined ? { restores } : {}), ...diff, summary: describeDiff(diff) },
  });
  ctx.logger.info('policy version applied', { kind, version: saved.version, by: user.id });
  return `${POLICY_LABEL[kind]} version ${saved.version} applied: ${describeDiff(diff)}.`;
}

/**
 * Applies a whole policy file someone uploaded, through the same checks, store and audit as the
 * form: admins only, validated like the file at start-up (every problem listed with field and line).
 * `read` is called only once the uploader is known to be an admin, so nothing is downloaded for
 * anyone else. The text is stored as uploaded, comments included.
 */
export async function applyUploadedPolicy(ctx: PolicyAdminContext, user: User, kind: PolicyKind, read: () => Promise<string>): Promise<string> {
  await ctx.policyConfig.refresh();
  requirePolicyAdmin(ctx, user, kind);
  const text = await read();
  try {
    ctx.policyConfig.validate(kind, text);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new UserFacingError(`${POLICY_FILE_NAMES[kind]} was not applied; nothing changed. Fix these and upload it again:\n${describeConfigIssues(error, Number.MAX_SAFE_INTEGER)}`);
  }
  // The same file again (uploaded twice, or a redelivered event) would only add an empty version.
  if (text === ctx.policyConfig.active(kind).text) {
    return `That file is exactly the ${POLICY_LABEL[kind].toLowerCase()} in force (${policyProvenance(ctx, kind)}); nothing changed.`;
  }
  return applyPolicyVersion(ctx, user, kind, text);
}
