/**
 * The asking user's own rules, computed from the config with the same routing the request checks
 * use, so help answers about "who approves me" cannot drift from what actually happens.
 */
import { Directory } from '../access/directory.js';
import type { AccessRules, Account, Org, User } from '../config/schemas.js';
import { routeRequest } from '../policy/access-rules.js';
import { describeMinutes } from '../policy/request-text/duration.js';
import { listWithOr } from '../policy/wording.js';

export type AccountRule =
  | { account: Account; allowed: true; ruleName: string; approverNames: string[]; quorum: number; maxDurationMinutes: number; cardsGo: string }
  | { account: Account; allowed: false; reason: string };

export interface UserRules {
  user: User | undefined;
  accounts: AccountRule[];
  pendingTtlMinutes: number;
}

/**
 * The access rules in force now. Admins replace them from chat (`/warden rules set`) while Warden
 * runs, so the assistant and the drafter ask at every call instead of keeping the start-up copy.
 * PolicyConfigHolder fits this shape; src/ai never depends on the store behind it.
 */
export interface RulesInForce {
  current(): { rules: AccessRules };
}

/** Fixed rules (tests, tools) or the rules in force. */
export type RulesOption = AccessRules | RulesInForce;

export function rulesNow(option: RulesOption): AccessRules {
  return 'current' in option ? option.current().rules : option;
}

export function userRules(org: Org, rules: AccessRules, userId: string): UserRules {
  const directory = new Directory(org);
  const user = directory.user(userId);
  const accounts = org.accounts.map((account): AccountRule => {
    const routed = routeRequest(rules, directory, userId, account);
    if (!routed.ok) return { account, allowed: false, reason: routed.reason };
    const { route } = routed;
    return {
      account,
      allowed: true,
      ruleName: route.ruleName,
      approverNames: route.approverIds.map((id) => directory.displayName(id)),
      quorum: route.quorum,
      maxDurationMinutes: route.maxDurationMinutes,
      cardsGo:
        route.notify.mode === 'dm'
          ? 'a DM to each approver'
          : [route.notify.channel && `the ${route.notify.channel} channel`, route.notify.teamsChannel && `the ${route.notify.teamsChannel} Teams channel`].filter(Boolean).join(' and '),
    };
  });
  return { user, accounts, pendingTtlMinutes: rules.defaults.pendingTtlMinutes };
}

export function approversLine(rule: Extract<AccountRule, { allowed: true }>): string {
  const needed = rule.quorum === 1 ? '1 approval' : `${rule.quorum} approvals`;
  return `${listWithOr(rule.approverNames)} (${needed} needed; cards go to ${rule.cardsGo})`;
}

/** One line per account, for the help prompt and the offline answer. */
export function describeUserRules(rules: UserRules): string[] {
  const lines = rules.accounts.map((r) =>
    r.allowed
      ? `- ${r.account.name} (${r.account.id}, ${r.account.environment}): rule "${r.ruleName}"; approved by ${approversLine(r)}; at most ${describeMinutes(r.maxDurationMinutes)}.`
      : `- ${r.account.name} (${r.account.id}): you cannot request access here. ${r.reason}`,
  );
  lines.push(`- A request nobody approves or denies expires after ${describeMinutes(rules.pendingTtlMinutes)}.`);
  return lines;
}
