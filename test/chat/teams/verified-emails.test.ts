import type { TurnContext } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { Directory, type VerifiedEmailSource } from '../../../src/access/directory.js';
import type { IdentityStoreMatch } from '../../../src/aws/identity-center/identity-store-directory.js';
import { IdentityCenterRequesters } from '../../../src/aws/identity-center/requesters.js';
import { TeamsVerifiedEmails } from '../../../src/chat/teams/verified-emails.js';
import type { Org, User } from '../../../src/config/schemas.js';
import { memoryLogger } from '../../../src/logger.js';
import { ManualClock } from '../../support/manual-clock.js';

/* The Teams e-mail cache and the Identity Center match over it, with the member lookup as a small fake. */

const ANA_AAD = 'a0000000-0000-4000-8000-00000000a0a0';
const ana: User = { id: 'ana', name: 'Ana Lima', aadObjectId: ANA_AAD } as User;
const activityOf = (aad: string) => ({ activity: { type: 'message', from: { id: '29:1x', aadObjectId: aad } } }) as unknown as TurnContext;

function setup(member: () => Promise<{ email?: string; userPrincipalName?: string }>) {
  const clock = new ManualClock();
  const calls: string[] = [];
  const directory = new Directory({ users: [ana], groups: [], accounts: [] } as unknown as Org);
  const source = new TeamsVerifiedEmails({
    directory,
    clock,
    logger: memoryLogger(),
    getMember: async (_context, aad) => {
      calls.push(aad);
      return member();
    },
  });
  const store = new Map([['ana@example.com', 'u-ana']]);
  const requesters = new IdentityCenterRequesters({
    identityStore: {
      refresh: async () => ({ users: 1, groups: 0, ambiguousEmails: 0 }),
      match: (email: string): IdentityStoreMatch =>
        store.has(email.toLowerCase()) ? ({ ok: true, person: { userId: store.get(email.toLowerCase())! } } as IdentityStoreMatch) : ({ ok: false, reason: `no IAM Identity Center user has the e-mail ${email}` } as IdentityStoreMatch),
    },
    users: () => [ana],
    clock,
    refreshIntervalMs: 15 * 60_000,
  });
  return { clock, calls, source, requesters };
}

describe('Teams verified e-mails', () => {
  it('asks nothing until Identity Center subscribes; then matches the person as soon as they act', async () => {
    const { calls, source, requesters } = setup(async () => ({ email: 'Ana@Example.com', userPrincipalName: 'ana@corp.example.com' }));
    await source.observe(activityOf(ANA_AAD));
    expect(calls).toEqual([]);

    requesters.addEmailSource(source);
    await requesters.refreshIfDue();
    expect(requesters.match(ana)).toMatchObject({ ok: false, reason: expect.stringMatching(/not read your e-mail address from Teams yet/) });
    await source.observe(activityOf(ANA_AAD.toUpperCase()));
    // Entra's `mail`, never the UPN.
    expect(await source.verifiedEmail(ana)).toEqual({ email: 'Ana@Example.com' });
    expect(requesters.match(ana)).toEqual({ ok: true, userId: 'u-ana', via: 'email' });
    expect(calls).toHaveLength(1);
  });

  it('a member with no `email` (only a UPN) is told to get identityCenterUserId set', async () => {
    const { source, requesters } = setup(async () => ({ userPrincipalName: 'ana@corp.example.com' }));
    requesters.addEmailSource(source);
    await requesters.refreshIfDue();
    await source.observe(activityOf(ANA_AAD));
    expect(requesters.match(ana)).toEqual({ ok: false, reason: expect.stringMatching(/your Teams profile shows Warden no e-mail address.*identityCenterUserId/) });
  });

  it('a failed lookup is the reason, never a guess; after a good one it keeps the last address and retries a minute later', async () => {
    let fail = true;
    const { clock, calls, source, requesters } = setup(async () => {
      if (fail) throw new Error('connector unavailable');
      return { email: 'ana@example.com' };
    });
    requesters.addEmailSource(source);
    await requesters.refreshIfDue();
    await source.observe(activityOf(ANA_AAD));
    expect(requesters.match(ana)).toEqual({ ok: false, reason: expect.stringMatching(/Teams could not be asked for your e-mail address \(connector unavailable\)/) });
    await source.observe(activityOf(ANA_AAD));
    expect(calls).toHaveLength(1);

    fail = false;
    clock.advanceMinutes(1);
    await source.observe(activityOf(ANA_AAD));
    expect(requesters.match(ana)).toMatchObject({ ok: true, userId: 'u-ana' });

    fail = true;
    clock.advanceMinutes(61);
    await source.observe(activityOf(ANA_AAD));
    expect(calls).toHaveLength(3);
    expect(requesters.match(ana)).toMatchObject({ ok: true, userId: 'u-ana' });
  });

  it('two activities at once share one lookup', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { calls, source, requesters } = setup(async () => {
      await gate;
      return { email: 'ana@example.com' };
    });
    requesters.addEmailSource(source);
    const both = Promise.all([source.observe(activityOf(ANA_AAD)), source.observe(activityOf(ANA_AAD))]);
    release();
    await both;
    expect(calls).toHaveLength(1);
  });

  it('on Slack and Teams: the platform that shows an address is used when the other hides it', async () => {
    const { source, requesters } = setup(async () => ({ email: 'ana@example.com' }));
    const slackHidden: VerifiedEmailSource = { platform: 'Slack', verifiedEmail: async () => ({ email: null }) };
    requesters.addEmailSource(slackHidden);
    requesters.addEmailSource(source);
    await requesters.refreshIfDue();
    expect(requesters.match(ana)).toMatchObject({ ok: false, reason: expect.stringMatching(/your Slack profile shows Warden no e-mail address/) });
    await source.observe(activityOf(ANA_AAD));
    expect(requesters.match(ana)).toEqual({ ok: true, userId: 'u-ana', via: 'email' });
  });
});
