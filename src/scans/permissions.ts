import type { Directory } from '../access/directory.js';
import type { Account, AccessRules } from '../config/schemas.js';

/**
 * Who may start a scan of (or import results for) an account: the approvers of every access rule
 * that covers the account — the people trusted to decide access there — and the members of the scan
 * groups (WARDEN_SCAN_GROUPS, default "platform"), who may scan every account. Requesters alone may
 * not: a scan uses a powerful read-only role across the whole account.
 */
export function scanners(directory: Directory, rules: AccessRules, scanGroups: readonly string[], account: Account): Set<string> {
  const people = new Set<string>(directory.expand({ users: [], groups: [...scanGroups] }));
  for (const rule of rules.rules) {
    const covers = rule.accounts.some((a) => a === '*' || a === account.id || a.toLowerCase() === account.name);
    if (covers) for (const id of directory.expand(rule.approvers)) people.add(id);
  }
  return people;
}

export function canScan(directory: Directory, rules: AccessRules, scanGroups: readonly string[], userId: string, account: Account): boolean {
  return scanners(directory, rules, scanGroups, account).has(userId);
}
