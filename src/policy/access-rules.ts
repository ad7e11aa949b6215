import type { Directory } from '../access/directory.js';
import { RISK_LEVELS, type AccessLevel, type RiskLevel } from '../access/types.js';
import type { AccessRule, AccessRules, Account } from '../config/schemas.js';
import { capitalize, listWithOr } from './wording.js';

export interface ApprovalRoute {
  ruleName: string;
  approverIds: string[];
  quorum: number;
  maxDurationMinutes: number;
  notify: AccessRule['notify'];
  /** The rule allows approval without a human; the submit workflow still decides whether it applies. */
  autoApprove: boolean;
}

export type RouteResult = { ok: true; route: ApprovalRoute } | { ok: false; reason: string };

/**
 * What the checks know about a drafted request. Without it (help answers, "which accounts may I ask
 * in") a rule's access-level and risk conditions are not judged, only account, environment and requester.
 */
export interface RoutedRequest {
  accessLevel: AccessLevel;
  /** The final risk level, computed by the checks before routing. */
  risk: RiskLevel;
}

function ruleCoversAccount(rule: AccessRule, account: Account): boolean {
  return rule.accounts.some((a) => a === '*' || a === account.id || a === account.name);
}

function riskRank(level: RiskLevel): number {
  return RISK_LEVELS.indexOf(level);
}

/** Why a rule that covers the account does not cover this request, in words for the requester; null when it does. */
function mismatch(rule: AccessRule, account: Account, requesterId: string, directory: Directory, request?: RoutedRequest): string | null {
  if (rule.environments && !rule.environments.includes(account.environment)) {
    return `rule "${rule.name}" covers ${listWithOr(rule.environments)} accounts only`;
  }
  const requesters = directory.expand(rule.requesters);
  if (requesters.length > 0 && !requesters.includes(requesterId)) return `you are not among the requesters of rule "${rule.name}"`;
  if (!request) return null;
  if (rule.accessLevels && !rule.accessLevels.includes(request.accessLevel)) {
    return `rule "${rule.name}" allows ${listWithOr(rule.accessLevels)} only`;
  }
  if (rule.maxRisk && riskRank(request.risk) > riskRank(rule.maxRisk)) {
    return `rule "${rule.name}" covers risk up to ${rule.maxRisk} only, and this request is ${request.risk} risk`;
  }
  return null;
}

/**
 * The first rule that covers the account, its environment, the requester and (when known) the
 * request's access level and risk decides who approves. The requester is never one of their own
 * approvers, even when a group they belong to approves.
 */
export function routeRequest(rules: AccessRules, directory: Directory, requesterId: string, account: Account, request?: RoutedRequest): RouteResult {
  const misses: string[] = [];
  for (const rule of rules.rules) {
    if (!ruleCoversAccount(rule, account)) continue;
    const miss = mismatch(rule, account, requesterId, directory, request);
    if (miss !== null) {
      misses.push(miss);
      continue;
    }
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
        maxDurationMinutes: request ? maxDuration(rules, rule) : longestAllowed(rules, directory, requesterId, account, rule),
        notify: rule.notify,
        autoApprove: rule.autoApprove === true,
      },
    };
  }
  const what = request ? `${request.accessLevel} on ${account.name} (${account.environment}, ${request.risk} risk)` : `access to ${account.name} (${account.environment}, ${account.id})`;
  const why = misses.length > 0 ? ` ${capitalize(misses.join('; '))}.` : ` No rule names ${account.name}.`;
  return { ok: false, reason: `No access rule lets you request ${what}.${why} Ask the platform team to add one.` };
}

function maxDuration(rules: AccessRules, rule: AccessRule): number {
  return rule.maxDurationMinutes ?? rules.defaults.maxDurationMinutes;
}

/**
 * Before a draft exists, a rule limited to some access levels or risks is only one of the rules that
 * may decide: the longest duration the requester may ask for is the longest among those, up to the
 * first rule without such conditions (which decides whatever the request turns out to be).
 */
function longestAllowed(rules: AccessRules, directory: Directory, requesterId: string, account: Account, first: AccessRule): number {
  let longest = maxDuration(rules, first);
  for (const rule of rules.rules.slice(rules.rules.indexOf(first))) {
    if (!ruleCoversAccount(rule, account) || mismatch(rule, account, requesterId, directory) !== null) continue;
    longest = Math.max(longest, maxDuration(rules, rule));
    if (!rule.accessLevels && !rule.maxRisk) break;
  }
  return longest;
}
