import { IdentitystoreClient, ListGroupMembershipsCommand, ListGroupsCommand, ListUsersCommand } from '@aws-sdk/client-identitystore';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IdentityStoreDirectory } from '../../src/aws/identity-center/identity-store-directory.js';
import { DEFAULT_RETRY_POLICY } from '../../src/aws/retry.js';
import { ManualClock } from '../support/manual-clock.js';

const store = mockClient(IdentitystoreClient);
const STORE_ID = 'd-1234567890';

function directory() {
  const client = new IdentitystoreClient({ region: 'eu-west-1' });
  return new IdentityStoreDirectory({
    identityStoreId: STORE_ID,
    clients: { identityStore: () => client },
    clock: new ManualClock('2026-11-23T10:00:00Z'),
    retry: { policy: DEFAULT_RETRY_POLICY, runtime: { sleep: async () => undefined, random: () => 0 } },
  });
}

beforeEach(() => {
  store.reset();
  store
    .on(ListUsersCommand)
    .resolvesOnce({
      Users: [
        { IdentityStoreId: STORE_ID, UserId: 'u-ana', UserName: 'ana', DisplayName: 'Ana Lima', Emails: [{ Value: 'Ana.Lima@Example.com', Primary: true }] },
        { IdentityStoreId: STORE_ID, UserId: 'u-ben', UserName: 'ben', Emails: [{ Value: 'ben@example.com' }, { Value: 'shared@example.com' }] },
      ],
      NextToken: 'page-2',
    })
    .resolvesOnce({ Users: [{ IdentityStoreId: STORE_ID, UserId: 'u-carla', UserName: 'carla', Emails: [{ Value: 'SHARED@example.com' }] }] });
  store.on(ListGroupsCommand).resolves({ Groups: [{ IdentityStoreId: STORE_ID, GroupId: 'g-1', DisplayName: 'payments-oncall' }, { IdentityStoreId: STORE_ID, GroupId: 'g-2', DisplayName: 'admins' }] });
  store.on(ListGroupMembershipsCommand, { GroupId: 'g-1' }).resolves({
    GroupMemberships: [{ IdentityStoreId: STORE_ID, MemberId: { UserId: 'u-ana' } }, { IdentityStoreId: STORE_ID, MemberId: { UserId: 'u-ben' } }],
  });
  store.on(ListGroupMembershipsCommand, { GroupId: 'g-2' }).resolves({ GroupMemberships: [{ IdentityStoreId: STORE_ID, MemberId: { UserId: 'u-ana' } }] });
});

afterEach(() => store.reset());

describe('IdentityStoreDirectory', () => {
  it('matches the full verified address case-insensitively, with the user’s groups', async () => {
    const d = directory();
    expect(await d.refresh()).toEqual({ users: 3, groups: 2, ambiguousEmails: 1 });
    expect(d.match('ana.lima@example.COM')).toEqual({
      ok: true,
      person: { userId: 'u-ana', userName: 'ana', displayName: 'Ana Lima', groups: ['admins', 'payments-oncall'] },
    });
    expect(store.commandCalls(ListUsersCommand).map((c) => c.args[0].input)).toEqual([{ IdentityStoreId: STORE_ID, NextToken: undefined }, { IdentityStoreId: STORE_ID, NextToken: 'page-2' }]);
  });

  it('never matches by domain or part of an address, nor an address two users share', async () => {
    const d = directory();
    expect(d.match('ana.lima@example.com')).toMatchObject({ ok: false, reason: expect.stringMatching(/not been loaded/) });
    await d.refresh();
    expect(d.match('someone.else@example.com')).toMatchObject({ ok: false, reason: expect.stringMatching(/no IAM Identity Center user/) });
    expect(d.match('ana.lima@example')).toMatchObject({ ok: false });
    expect(d.match('lima@example.com')).toMatchObject({ ok: false });
    expect(d.match('shared@example.com')).toMatchObject({ ok: false, reason: expect.stringMatching(/belongs to 2/) });
    expect(d.match('')).toMatchObject({ ok: false, reason: expect.stringMatching(/no verified e-mail/) });
  });

  it('a failed refresh keeps the previous snapshot', async () => {
    const d = directory();
    await d.refresh();
    store.on(ListUsersCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(d.refresh()).rejects.toThrow(/denied/);
    expect(d.match('ben@example.com')).toMatchObject({ ok: true, person: { userId: 'u-ben', groups: ['payments-oncall'] } });
  });
});
