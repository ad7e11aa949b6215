import { CreateAccountAssignmentCommand } from '@aws-sdk/client-sso-admin';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { awsGranting, type AwsGranting } from '../../../src/aws/aws-granting.js';
import { parseAwsEnv } from '../../../src/aws/config.js';
import type { Org } from '../../../src/config/schemas.js';
import { randomIds } from '../../../src/ids.js';
import { adaptiveCardOf, refreshOf, type FakeTeamsMessage } from '../../../src/playground/fake-teams/index.js';
import { TeamsAddressBook } from '../../../src/chat/teams/addresses.js';
import { TeamsVerifiedEmails } from '../../../src/chat/teams/verified-emails.js';
import { IC_ENV, IC_INSTANCE, IC_PERMISSION_SET_ARN, mockIdentityCenter, primeIdentityCenter, resetIdentityCenter } from '../../support/identity-center.js';
import { AAD, shown, startTeamsHarness, TEAMS_APP_ID, type TeamsHarness } from '../../support/teams-harness.js';

/*
 * Teams users matched to IAM Identity Center by the e-mail Teams verified: a Teams-only Warden over
 * the real botbuilder adapter and the fake Bot Connector (token checks on), which answers
 * GET /v3/conversations/{id}/members/{aadObjectId} with the member's Entra address. The identity
 * store and SSO Admin are mocked at the SDK client; payments-prod is granted through Identity Center.
 */

const ASK = 'I need read access to the billing-reports S3 bucket in payments-prod to debug the export';
const { sso, identityStore, sts } = mockIdentityCenter();

beforeEach(() => primeIdentityCenter({ sso, identityStore, sts }));

let h: TeamsHarness;
let aws: AwsGranting;

afterEach(async () => {
  await h.close();
  resetIdentityCenter({ sso, identityStore, sts });
});

/** A Teams-only Warden with payments-prod granted through Identity Center and Teams as the e-mail source. */
async function start(changeOrg: (org: Org) => Org = (org) => org, teamsEmailTtlMs?: number): Promise<void> {
  h = await startTeamsHarness({
    slack: false,
    org: (org) => changeOrg({ ...org, accounts: org.accounts.map((a) => (a.name === 'payments-prod' ? { ...a, grant: { via: 'identity-center' } } : a)) }),
    ...(teamsEmailTtlMs !== undefined ? { teamsEmailTtlMs } : {}),
    granting: ({ store, clock, org }) => {
      aws = awsGranting(parseAwsEnv(IC_ENV), { store, clock, ids: randomIds, users: () => org.users });
      return { granter: aws.accessGranter, policyGate: (inner) => aws.identityCenter!.gate(inner) };
    },
  });
  // As main wires it: Teams is a source of verified addresses once Identity Center needs them.
  const { requesters } = aws.identityCenter!;
  requesters.addEmailSource(h.warden.teams!.verifiedEmails);
  await requesters.refreshIfDue();
}

const memberLookups = (aad?: string) =>
  h.teams.requests.filter((r) => r.operation === 'getConversationMember' && r.status === 200 && (aad === undefined || r.path.toLowerCase().endsWith(`/members/${aad}`)));

function ssoOps(): string[] {
  return sso.calls().map((c) => (c.args[0] as unknown as { constructor: { name: string } }).constructor.name.replace(/Command$/, ''));
}

/** Asks in the person's personal chat and answers the duration question; the last bot message of the chat. */
async function ask(aad: string): Promise<{ chat: string; since: number }> {
  const first = await h.sender.message({ from: aad, text: ASK });
  expect(first.status).toBe(200);
  const chat = first.conversationId;
  await h.teams.waitForMessage(chat, /how long/i);
  const since = h.teams.requests.length;
  await h.sender.message({ from: aad, text: '2 hours' });
  return { chat, since };
}

function approvalCard(aad: string, requestId: string): FakeTeamsMessage {
  const card = h.teams.messages(h.teams.personalChatOf(aad).id).find((m) => shown(m).includes('requests access to payments-prod') && shown(m).includes(requestId));
  if (!card) throw new Error(`no approval card for ${requestId} in ${aad}'s chat`);
  return card;
}

describe('Teams users and IAM Identity Center, matched by the e-mail Teams verified', () => {
  it('grants a Teams user through Identity Center to the user whose e-mail matches what Teams returned', async () => {
    await start();
    const { requesters } = aws.identityCenter!;
    const ana = h.org.users.find((u) => u.id === 'ana')!;
    // Nothing read before Ana acts: she is told to write to Warden, not matched by a guess.
    expect(requesters.match(ana)).toMatchObject({ ok: false, reason: expect.stringMatching(/not read your e-mail address from Teams yet/) });

    const { chat, since } = await ask(AAD.ana);
    expect(requesters.match(ana)).toEqual({ ok: true, userId: 'u-ana', via: 'email' });
    const preview = await h.teams.waitForMessage(chat, /"view":"draft"/, { since });
    const requestId = String(refreshOf(adaptiveCardOf(preview))?.action.data?.['requestId']);

    const submitted = h.teams.requests.length;
    expect((await h.sender.click({ from: AAD.ana, message: preview, verb: 'draft.submit' })).status).toBe(200);
    await h.teams.waitForMessage(chat, /Submitted/, { since: submitted });
    expect((await h.store.getRequest(requestId))?.state).toBe('pending_approval');

    const approved = h.teams.requests.length;
    await h.sender.click({ from: AAD.ben, message: approvalCard(AAD.ben, requestId), verb: 'request.approve' });
    const told = await h.teams.waitForMessage(chat, /is active until/, { since: approved });
    expect(shown(told)).toContain('https://d-1234567890.awsapps.com/start');
    const active = await h.store.getRequest(requestId);
    expect(active?.state).toBe('active');
    expect(active?.grant?.handle).toMatchObject({ grantMode: 'aws-identity-center', principalId: 'u-ana', accountId: '111111111111' });
    expect(sso.commandCalls(CreateAccountAssignmentCommand).map((c) => c.args[0].input)).toEqual([
      { InstanceArn: IC_INSTANCE, TargetId: '111111111111', TargetType: 'AWS_ACCOUNT', PermissionSetArn: IC_PERMISSION_SET_ARN, PrincipalType: 'USER', PrincipalId: 'u-ana' },
    ]);
    expect(sts.calls()).toHaveLength(0);
    // Two messages and a click from Ana within the hour: Teams was asked about her once.
    expect(memberLookups(AAD.ana)).toHaveLength(1);
  });

  it('tells a Teams user whose address no Identity Center user has exactly why, and grants nothing', async () => {
    await start();
    const { chat, since } = await ask(AAD.carla);
    const refused = await h.teams.waitForMessage(chat, /cannot be submitted/, { since });
    expect(shown(refused)).toMatch(/payments-prod is granted through IAM Identity Center/);
    expect(shown(refused)).toMatch(/no IAM Identity Center user has the e-mail carla@example\.com/);
    await h.idle();
    // No request was made for her, so none waits for approval.
    expect((await h.store.listRequestsByRequester('carla')).items.filter((r) => r.state !== 'drafting')).toEqual([]);
    expect(ssoOps()).toEqual([]);
    // No approver was asked.
    expect(h.teams.messages(h.teams.personalChatOf(AAD.ben).id).some((m) => /requests access to/.test(shown(m)))).toBe(false);
  });

  it('tells a Teams user whose Entra profile has no e-mail to get identityCenterUserId set; the org file’s id wins for others', async () => {
    const override = '906722a5f6-1b2c3d4e-5f6a-7b8c-9d0e-1f2a3b4c5d6e';
    await start((org) => ({
      ...org,
      users: org.users.map((u) => {
        if (u.id === 'dave') {
          const { email: _hidden, ...rest } = u;
          return rest;
        }
        return u.id === 'carla' ? { ...u, identityCenterUserId: override } : u;
      }),
    }));
    const { requesters } = aws.identityCenter!;
    const { chat, since } = await ask(AAD.dave);
    const refused = await h.teams.waitForMessage(chat, /cannot be submitted/, { since });
    expect(shown(refused)).toMatch(/your Teams profile shows Warden no e-mail address.*identityCenterUserId/);
    expect(requesters.match(h.org.users.find((u) => u.id === 'carla')!)).toEqual({ ok: true, userId: override, via: 'org-file' });
    await h.idle();
    expect(ssoOps()).toEqual([]);
  });

  it('reads a person’s address once per TTL: one member call for two messages, another after it expires', async () => {
    await start((org) => org, 30 * 60_000);
    await h.sender.message({ from: AAD.ana, text: 'help' });
    await h.sender.message({ from: AAD.ana, text: 'help' });
    await h.idle();
    expect(memberLookups(AAD.ana)).toHaveLength(1);
    h.clock.advanceMinutes(31);
    await h.sender.message({ from: AAD.ana, text: 'help' });
    await h.idle();
    expect(memberLookups(AAD.ana)).toHaveLength(2);
    expect(memberLookups()).toHaveLength(2);
  });

  it('a mention in a channel reads the address from the team’s roster', async () => {
    await start();
    const mention = await h.sender.message({ from: AAD.ben, channel: 'access-requests', text: 'help' });
    expect(mention.status).toBe(200);
    await h.idle();
    const [lookup] = memberLookups(AAD.ben);
    // TeamsInfo.getMember asks the team (channelData.team.id), not the channel.
    expect(decodeURIComponent(lookup!.path)).toContain('/v3/conversations/19:warden-team@thread.tacv2/members/');
    expect(aws.identityCenter!.requesters.match(h.org.users.find((u) => u.id === 'ben')!)).toEqual({ ok: true, userId: 'u-ben', via: 'email' });
  });

  it('after a restart, reads the address of someone Warden has a personal chat with, without waiting for them to write', async () => {
    await start();
    await h.sender.message({ from: AAD.ana, text: 'help' });
    await h.idle();
    expect(memberLookups(AAD.ana)).toHaveLength(1);
    // A new process: an empty cache over the same store (which keeps the personal chat's reference).
    const restarted = new TeamsVerifiedEmails({
      directory: h.warden.deps.directory,
      clock: h.clock,
      logger: h.logger,
      proactive: { adapter: h.warden.teams!.adapter, appId: TEAMS_APP_ID, addresses: new TeamsAddressBook(h.store, h.clock) },
    });
    restarted.onLearned(async () => undefined);
    const ana = h.org.users.find((u) => u.id === 'ana')!;
    expect(await restarted.verifiedEmail(ana)).toEqual({ email: 'ana@example.com' });
    expect(await restarted.verifiedEmail(ana)).toEqual({ email: 'ana@example.com' });
    expect(memberLookups(AAD.ana)).toHaveLength(2);
    // No personal chat with Dave yet: nothing to ask through, so he is matched when he writes.
    expect(await restarted.verifiedEmail(h.org.users.find((u) => u.id === 'dave')!)).toEqual({ pending: expect.stringMatching(/send Warden a message in Teams/) });
  });
});
