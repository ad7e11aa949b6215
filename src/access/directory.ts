import type { Account, Org, User } from '../config/schemas.js';

/** Lookups over the org config: people by id or chat id, accounts by name or id, groups expanded. */
export class Directory {
  private readonly usersById = new Map<string, User>();
  private readonly usersBySlackId = new Map<string, User>();
  private readonly usersByAadObjectId = new Map<string, User>();

  constructor(readonly org: Org) {
    for (const user of org.users) {
      this.usersById.set(user.id, user);
      if (user.slackId) this.usersBySlackId.set(user.slackId, user);
      if (user.aadObjectId) {
        const key = user.aadObjectId.toLowerCase();
        const other = this.usersByAadObjectId.get(key);
        // One object id on two users would let one person act as the other: refuse to start.
        if (other) throw new Error(`Users ${other.id} and ${user.id} have the same aadObjectId ${key}; each Entra ID object id may belong to one user only.`);
        this.usersByAadObjectId.set(key, user);
      }
    }
  }

  user(id: string): User | undefined {
    return this.usersById.get(id);
  }

  /** Exact Slack member id only: a loose match (e-mail, name) could hand access to the wrong person. */
  userBySlackId(slackId: string): User | undefined {
    return this.usersBySlackId.get(slackId);
  }

  /** Exact Entra ID object id only (what Teams sends as `from.aadObjectId`); never a loose match. */
  userByAadObjectId(aadObjectId: string): User | undefined {
    return this.usersByAadObjectId.get(aadObjectId.toLowerCase());
  }

  displayName(userId: string): string {
    return this.usersById.get(userId)?.name ?? userId;
  }

  account(nameOrId: string): Account | undefined {
    return this.org.accounts.find((a) => a.id === nameOrId || a.name === nameOrId.toLowerCase());
  }

  /** Distinct user ids named directly or through groups. */
  expand(people: { users: string[]; groups: string[] }): string[] {
    const ids = new Set(people.users);
    for (const groupId of people.groups) {
      for (const member of this.org.groups.find((g) => g.id === groupId)?.members ?? []) ids.add(member);
    }
    return [...ids];
  }
}
