/**
 * The IAM Identity Center identity store as a directory: who a chat user is (by the e-mail their
 * chat platform verified) and which Identity Center groups they are in.
 *
 * The whole store is listed on refresh and matched here, not with a filtered API call, so the
 * match rule is ours and tested: the full address, compared case-insensitively (mail providers
 * treat addresses that way; Identity Center stores whatever case was typed), never a domain or
 * partial match. An address two users share matches nobody: guessing would grant the wrong person.
 *
 * IdentityCenterRequesters (requesters.ts) refreshes it on a schedule and matches chat users with
 * it, the org file's `identityCenterUserId` overriding; it needs identitystore:ListUsers, ListGroups
 * and ListGroupMemberships on the identity store.
 */
import { ListGroupMembershipsCommand, ListGroupsCommand, ListUsersCommand } from '@aws-sdk/client-identitystore';
import type { Clock } from '../../clock.js';
import { withRetry, type RetryPolicy, type RetryRuntime } from '../retry.js';
import type { IdentityCenterClients } from './clients.js';

export interface IdentityStorePerson {
  userId: string;
  userName: string;
  displayName: string | null;
  /** Display names of the Identity Center groups the user is a direct member of, sorted. */
  groups: string[];
}

export type IdentityStoreMatch = { ok: true; person: IdentityStorePerson } | { ok: false; reason: string };

interface Snapshot {
  at: Date;
  /** Lower-cased address → the user ids that have it (more than one: ambiguous). */
  byEmail: Map<string, string[]>;
  people: Map<string, IdentityStorePerson>;
}

export class IdentityStoreDirectory {
  private snapshot: Snapshot | undefined;

  constructor(
    private readonly options: {
      identityStoreId: string;
      clients: Pick<IdentityCenterClients, 'identityStore'>;
      clock: Clock;
      retry: { policy: RetryPolicy; runtime: RetryRuntime };
    },
  ) {}

  /** When the last refresh finished; undefined before the first. */
  get refreshedAt(): Date | undefined {
    return this.snapshot?.at;
  }

  /**
   * Lists users, groups and memberships and swaps them in at once. A failed refresh keeps the
   * previous snapshot (and throws, for the caller to report): a flaky call must not unmap everyone.
   */
  async refresh(): Promise<{ users: number; groups: number; ambiguousEmails: number }> {
    const people = new Map<string, IdentityStorePerson>();
    const byEmail = new Map<string, string[]>();
    const store = this.options.clients.identityStore();
    const IdentityStoreId = this.options.identityStoreId;
    const users = await this.pages('ListUsers', async (NextToken) => {
      const out = await store.send(new ListUsersCommand({ IdentityStoreId, NextToken }));
      return { items: out.Users, next: out.NextToken };
    });
    for (const user of users) {
      if (!user.UserId || !user.UserName) continue;
      people.set(user.UserId, { userId: user.UserId, userName: user.UserName, displayName: user.DisplayName ?? null, groups: [] });
      const addresses = new Set((user.Emails ?? []).flatMap((e) => (e.Value ? [e.Value.trim().toLowerCase()] : [])));
      for (const address of addresses) byEmail.set(address, [...(byEmail.get(address) ?? []), user.UserId]);
    }
    const groups = await this.pages('ListGroups', async (NextToken) => {
      const out = await store.send(new ListGroupsCommand({ IdentityStoreId, NextToken }));
      return { items: out.Groups, next: out.NextToken };
    });
    for (const group of groups) {
      const GroupId = group.GroupId;
      if (!GroupId) continue;
      const name = group.DisplayName ?? GroupId;
      const memberships = await this.pages(`ListGroupMemberships ${name}`, async (NextToken) => {
        const out = await store.send(new ListGroupMembershipsCommand({ IdentityStoreId, GroupId, NextToken }));
        return { items: out.GroupMemberships, next: out.NextToken };
      });
      for (const membership of memberships) {
        const userId = membership.MemberId && 'UserId' in membership.MemberId ? membership.MemberId.UserId : undefined;
        const person = userId ? people.get(userId) : undefined;
        if (person && !person.groups.includes(name)) person.groups.push(name);
      }
    }
    for (const person of people.values()) person.groups.sort();
    this.snapshot = { at: this.options.clock.now(), byEmail, people };
    return { users: people.size, groups: groups.length, ambiguousEmails: [...byEmail.values()].filter((ids) => ids.length > 1).length };
  }

  /** The person with exactly this verified address, or why there is none (worded for the user). */
  match(verifiedEmail: string): IdentityStoreMatch {
    if (!this.snapshot) return { ok: false, reason: 'the IAM Identity Center directory has not been loaded yet; try again in a minute' };
    const address = verifiedEmail.trim().toLowerCase();
    if (!/^[^\s@]+@[^\s@]+$/.test(address)) return { ok: false, reason: 'your chat account has no verified e-mail address Warden can use' };
    const ids = this.snapshot.byEmail.get(address) ?? [];
    if (ids.length > 1) return { ok: false, reason: `${address} belongs to ${ids.length} IAM Identity Center users, so Warden cannot tell which is you; ask the platform team` };
    const person = ids[0] ? this.snapshot.people.get(ids[0]) : undefined;
    if (!person) return { ok: false, reason: `no IAM Identity Center user has the e-mail ${address}; ask the platform team to add it to your user` };
    return { ok: true, person: { ...person, groups: [...person.groups] } };
  }

  /** Follows the next token to the end; every page retried on throttling like every other call. */
  private async pages<T>(what: string, page: (nextToken: string | undefined) => Promise<{ items: T[] | undefined; next: string | undefined }>): Promise<T[]> {
    const all: T[] = [];
    let token: string | undefined;
    do {
      const out = await withRetry(`Identity Store ${what}`, () => page(token), this.options.retry);
      all.push(...(out.items ?? []));
      token = out.next;
    } while (token);
    return all;
  }
}
