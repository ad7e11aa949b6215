import type { Directory } from '../access/directory.js';
import type { AccessRule, AccessRules, Account } from '../config/schemas.js';

export interface ApprovalRoute {
  ruleName: string;
  approverIds: string[];
  quorum: number;
  maxDurationMinutes: number;
  notify: AccessRule['notify'];
}

export type RouteResult = { ok: true; route: ApprovalRoute } | { ok: false; reason: string };

function ruleCoversAccount(rule: AccessRule, account: Account): boolean {
  return rule.accounts.some((a) => a === '*' || a === account.id || a === account.name);
}

/**
 * The first rule that covers the account and the requester decides who approves. The requester is
 * never one of their own approvers, even when a group they belong to approves.
 */
export function routeRequest(rules: AccessRules, directory: Directory, requesterId: string, account: Account): RouteResult {
  for (const rule of rules.rules) {
    if (!ruleCoversAccount(rule, account)) continue;
    const requesters = directory.expand(rule.requesters);
    if (requesters.length > 0 && !requesters.includes(requesterId)) continue;
    const approverIds = directory.expand(rule.approvers).filter((id) => id !== requesterId);
    if (approverIds.length < rule.quorum) {
      return {
        ok: false,
        reason: `Rule "${rule.name}" needs ${rule.quorum} approval(s) but names only ${approverIds.length} approver(s) other than you. Ask the platform team to add approvers.`,
      };
    }
    return {
      ok: true,
      route: {
        ruleName: rule.name,
        approverIds,
        quorum: rule.quorum,
        maxDurationMinutes: rule.maxDurationMinutes ?? rules.defaults.maxDurationMinutes,
        notify: rule.notify,
      },
    };
  }
  return {
    ok: false,
    reason: `No access rule lets you request access to ${account.name} (${account.id}). Ask the platform team to add one.`,
  };
}
