import { SYSTEM_ACTOR } from '../access/lifecycle.js';
import type { AccessLevel } from '../access/types.js';
import { formatPath } from './config-error.js';
import type { AccessRule, AccessRules, Org } from './schemas.js';
import { closest } from './zod-issues.js';

/** A problem at a field path; the loader turns the path into `users[2].slackId` and a line number. */
export interface PathIssue {
  path: (string | number)[];
  message: string;
}

/** What zod cannot see inside the org file: uniqueness, and groups naming people who exist. */
export function checkOrg(org: Org): PathIssue[] {
  const userIds = org.users.map((u) => u.id);
  return [
    ...duplicates(org.accounts.map((a) => a.id), (i) => ['accounts', i, 'id'], 'account id'),
    ...duplicates(org.accounts.map((a) => a.name), (i) => ['accounts', i, 'name'], 'account name'),
    ...duplicates(userIds, (i) => ['users', i, 'id'], 'user id'),
    // Warden records its own moves (and auto-approvals) under this id; a person with it could pass for Warden.
    ...userIds.flatMap((id, i) =>
      id === SYSTEM_ACTOR ? [{ path: ['users', i, 'id'], message: `"${SYSTEM_ACTOR}" is reserved for Warden itself in the audit log; give this user another id` }] : [],
    ),
    // One Slack id on two users would let one person act as the other.
    ...duplicates(org.users.map((u) => u.slackId), (i) => ['users', i, 'slackId'], 'Slack id'),
    ...duplicates(org.groups.map((g) => g.id), (i) => ['groups', i, 'id'], 'group id'),
    ...org.groups.flatMap((g, gi) =>
      g.members.flatMap((m, mi) => unknownRef(m, userIds, 'user', ['groups', gi, 'members', mi], 'users')),
    ),
  ];
}

/**
 * What zod cannot see in the rules file, checked against the org: accounts and people exist, a quorum
 * can be reached, and durations are consistent. `orgFile` only makes messages point at the right file.
 */
export function checkAccessRules(rules: AccessRules, org: Org, orgFile = 'the org file'): PathIssue[] {
  const issues: PathIssue[] = [];
  const { defaults } = rules;
  const accountRefs = org.accounts.flatMap((a) => [a.name, a.id]);
  const userIds = org.users.map((u) => u.id);
  const groups = new Map(org.groups.map((g) => [g.id, g.members]));

  if (defaults.maxDurationMinutes < defaults.defaultDurationMinutes) {
    issues.push({
      path: ['defaults', 'maxDurationMinutes'],
      message: `${defaults.maxDurationMinutes} is shorter than defaults.defaultDurationMinutes (${defaults.defaultDurationMinutes}); raise it or lower the default`,
    });
  }
  issues.push(...duplicates(rules.rules.map((r) => r.name), (i) => ['rules', i, 'name'], 'rule name'));
  // An unknown admin would silently grant nobody the right to fix the files from chat.
  rules.admins.users.forEach((u, i) => issues.push(...unknownRef(u, userIds, 'user', ['admins', 'users', i], `users in ${orgFile}`)));
  rules.admins.groups.forEach((g, i) => issues.push(...unknownRef(g, [...groups.keys()], 'group', ['admins', 'groups', i], `groups in ${orgFile}`)));

  rules.rules.forEach((rule, ri) => {
    const at = (...rest: (string | number)[]) => ['rules', ri, ...rest];
    rule.accounts.forEach((ref, i) => {
      if (ref === '*' || accountRefs.includes(ref)) return;
      const known = org.accounts.map((a) => `${a.name} (${a.id})`).join(', ');
      const guess = closest(ref, accountRefs);
      issues.push({
        path: at('accounts', i),
        message: `unknown account "${ref}"; ${guess ? `did you mean "${guess}"? ` : ''}use an account name or id from ${orgFile} (${known}), or "*" for every account`,
      });
    });
    for (const role of ['requesters', 'approvers'] as const) {
      rule[role].users.forEach((u, i) => issues.push(...unknownRef(u, userIds, 'user', at(role, 'users', i), `users in ${orgFile}`)));
      rule[role].groups.forEach((g, i) =>
        issues.push(...unknownRef(g, [...groups.keys()], 'group', at(role, 'groups', i), `groups in ${orgFile}`)),
      );
    }

    // Only people who exist count: an unknown name is reported above and cannot approve anything.
    const approvers = new Set(rule.approvers.users.filter((u) => userIds.includes(u)));
    for (const g of rule.approvers.groups) for (const m of groups.get(g) ?? []) approvers.add(m);
    if (rule.quorum > approvers.size) {
      const who = approvers.size ? ` (${[...approvers].join(', ')})` : '';
      issues.push({
        path: at('quorum'),
        message: `quorum ${rule.quorum} needs at least ${rule.quorum} distinct approvers, but approvers name ${approvers.size}${who}; add approvers or lower the quorum`,
      });
    }

    // A channel rule naming no channel would page nobody.
    if (rule.notify.mode === 'channel' && rule.notify.channel === undefined && rule.notify.teamsChannel === undefined) {
      issues.push({
        path: at('notify'),
        message: 'mode channel names no channel; set channel (a Slack channel, e.g. "#access-requests") and/or teamsChannel (a Teams channel name or conversation id), or use mode dm',
      });
    }

    issues.push(...environmentIssues(rule, org, at));
    if (rule.autoApprove === true) issues.push(...autoApproveIssues(rule, org, at));

    if (rule.maxDurationMinutes !== undefined && rule.maxDurationMinutes < defaults.defaultDurationMinutes) {
      issues.push({
        path: at('maxDurationMinutes'),
        message: `${rule.maxDurationMinutes} is shorter than defaults.defaultDurationMinutes (${defaults.defaultDurationMinutes}), so a request for the default duration could never fit; raise it to at least ${defaults.defaultDurationMinutes}`,
      });
    }
  });
  return issues;
}

/** The org's accounts a rule names (all of them for "*"), before its environment condition. */
function namedAccounts(rule: AccessRule, org: Org): Org['accounts'] {
  return org.accounts.filter((a) => rule.accounts.some((ref) => ref === '*' || ref === a.id || ref === a.name));
}

/** A rule whose environments exclude every account it names can never match anything. */
function environmentIssues(rule: AccessRule, org: Org, at: (...rest: (string | number)[]) => (string | number)[]): PathIssue[] {
  if (!rule.environments) return [];
  const named = namedAccounts(rule, org);
  if (named.length === 0 || named.some((a) => rule.environments!.includes(a.environment))) return [];
  return [
    {
      path: at('environments'),
      message: `none of the accounts this rule names is in ${rule.environments.join(' or ')} (${named.map((a) => `${a.name}: ${a.environment}`).join(', ')}), so the rule never applies; fix environments or accounts`,
    },
  ];
}

/**
 * Auto-approval is for low-stakes access only. Whatever the submit path checks at run time, a rule that
 * could auto-approve permissions management or writes in production is refused here, at the field to change.
 */
function autoApproveIssues(rule: AccessRule, org: Org, at: (...rest: (string | number)[]) => (string | number)[]): PathIssue[] {
  const issues: PathIssue[] = [];
  const levels = rule.accessLevels;
  const levelPath = (level: AccessLevel) => (levels ? at('accessLevels', levels.indexOf(level)) : at('autoApprove'));
  if (!levels || levels.includes('Permissions management')) {
    issues.push({
      path: levelPath('Permissions management'),
      message: levels
        ? 'an autoApprove rule may not cover "Permissions management"; remove it from accessLevels, or set autoApprove: false'
        : 'an autoApprove rule must list its accessLevels (e.g. [List, Read]): without them it would cover "Permissions management"',
    });
  }
  const prod = namedAccounts(rule, org).filter((a) => a.environment === 'prod' && (!rule.environments || rule.environments.includes('prod')));
  if ((!levels || levels.includes('Write')) && prod.length > 0) {
    issues.push({
      path: levelPath('Write'),
      message: `an autoApprove rule may not cover Write in production (it names ${prod.map((a) => a.name).join(', ')}); ${
        levels ? 'remove "Write" from accessLevels' : 'list accessLevels without "Write"'
      }, or set environments without prod`,
    });
  }
  if (rule.maxRisk === 'high' || rule.maxRisk === 'critical') {
    issues.push({
      path: at('maxRisk'),
      message: `Warden never auto-approves ${rule.maxRisk}-risk requests; set maxRisk: medium (or lower) on this autoApprove rule, or split it into two rules`,
    });
  }
  return issues;
}

/** Flags every repeat after the first, pointing back at the first so the admin sees both. */
function duplicates(
  values: (string | undefined)[],
  pathOf: (i: number) => (string | number)[],
  what: string,
): PathIssue[] {
  const first = new Map<string, number>();
  const issues: PathIssue[] = [];
  values.forEach((v, i) => {
    if (v === undefined) return;
    const seen = first.get(v);
    if (seen === undefined) first.set(v, i);
    else issues.push({ path: pathOf(i), message: `duplicate ${what} "${v}" (also at ${formatPath(pathOf(seen))}); each ${what} must be unique` });
  });
  return issues;
}

function unknownRef(ref: string, known: string[], what: string, path: (string | number)[], where: string): PathIssue[] {
  if (known.includes(ref)) return [];
  const guess = closest(ref, known);
  const list = known.length > 12 ? `${known.slice(0, 12).join(', ')}, …` : known.join(', ');
  return [
    {
      path,
      message: `unknown ${what} "${ref}"; ${guess ? `did you mean "${guess}"? ` : ''}${where}: ${list || '(none)'}`,
    },
  ];
}
