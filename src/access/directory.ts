import type { Account, Org, User } from '../config/schemas.js';

/**
 * A chat platform's word for a person's e-mail address: what the platform verified, never what
 * anyone typed into Warden. `undefined`: this platform does not know the user (not on it);
 * `{ email: null }`: it knows them but shows no address (hidden, or the scope is missing).
 */
export interface VerifiedEmailSource {
  readonly platform: string;
  /**
   * `{ pending }`: the platform knows the user but has not told Warden their address yet (Teams
   * answers only while the person acts); `pending` completes "… because <pending>" for them.
   */
  verifiedEmail(user: User): Promise<VerifiedEmailAnswer | undefined>;
  /**
   * Platforms that learn addresses as people act (Teams) report each one here as soon as it is read,
   * so the Identity Center match does not wait for the next scheduled refresh. Subscribing is also
   * what turns such a lookup on: without a listener the platform asks nothing.
   */
  onLearned?(listener: (user: User) => Promise<void>): void;
}

export type VerifiedEmailAnswer = { email: string | null } | { pending: string };

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
