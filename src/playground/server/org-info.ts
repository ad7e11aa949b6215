import type { AccessRules, Org } from '../../config/schemas.js';
import type { FakeSlackWebApi } from '../fake-slack/index.js';
import type { OrgInfo, OrgPerson } from '../api-types.js';

/** The sample org as the user switcher shows it: who approves what, who only requests. */
export function orgInfo(org: Org, rules: AccessRules, fake: FakeSlackWebApi, commands: string[], teams = false): OrgInfo {
  const groupsOf = (userId: string) => org.groups.filter((g) => g.members.includes(userId)).map((g) => g.id);
  const people = org.users.map((user): OrgPerson => {
    const groups = groupsOf(user.id);
    const approves = rules.rules
      .filter((rule) => rule.approvers.users.includes(user.id) || rule.approvers.groups.some((g) => groups.includes(g)))
      .map((rule) => rule.name);
    return {
      id: user.id,
      name: user.name,
      email: user.email ?? null,
      slackId: user.slackId ?? null,
      aadObjectId: user.aadObjectId ?? null,
      groups,
      approves,
      role: approves.length > 0 ? 'approver' : 'requester',
    };
  });
  return {
    workspace: fake.teamDomain,
    bot: { slackId: fake.botUserId, name: 'Warden' },
    people,
    channels: fake.channels(),
    platforms: [{ id: 'slack', label: 'Slack' }, ...(teams ? [{ id: 'teams' as const, label: 'Teams' }] : [])],
    commands,
  };
}
