import { ListUsersCommand } from '@aws-sdk/client-identitystore';
import { DeleteAccountAssignmentCommand, DescribePermissionSetCommand, ListPermissionSetsCommand, ResourceNotFoundException } from '@aws-sdk/client-sso-admin';
import { WebClient } from '@slack/web-api';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Directory } from '../../src/access/directory.js';
import { UserFacingError } from '../../src/access/errors.js';
import { handleRequesterMessage } from '../../src/access/workflows/converse.js';
import { approveRequest } from '../../src/access/workflows/decide.js';
import { endGrant } from '../../src/access/workflows/grant.js';
import { releaseGrant } from '../../src/access/workflows/requester-actions.js';
import { submitDraft } from '../../src/access/workflows/submit.js';
import { awsGranting, type AwsGranting } from '../../src/aws/aws-granting.js';
import { parseAwsEnv } from '../../src/aws/config.js';
import { slackVerifiedEmails } from '../../src/chat/slack/context.js';
import type { Account, Org } from '../../src/config/schemas.js';
import { FakeSlackWebApi } from '../../src/playground/fake-slack/index.js';
import { makeAccessDeps, type TestDeps } from '../support/access-deps.js';
import { makeDraft } from '../support/builders.js';
import { IC_ENV, IC_INSTANCE, IC_PERMISSION_SET_ARN, identityStoreUser, mockIdentityCenter, primeIdentityCenter, resetIdentityCenter } from '../support/identity-center.js';

/*
 * Identity Center wired end to end: the org file sends payments-prod through Identity Center, the
 * requester is found by the e-mail Slack verified (users.info through the real WebClient against the
 * fake Slack), and the grant is a permission-set assignment made with the SDK (mocked at the client).
 */

const SHARED_ARN = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-readonly0000000a';
const { sso, identityStore, sts } = mockIdentityCenter();
let slack: FakeSlackWebApi;

beforeAll(async () => {
  slack = await FakeSlackWebApi.start({
    botToken: 'xoxb-ic-test',
    users: [
      { id: 'U0ANA', name: 'ana', email: 'ana@example.com' },
      { id: 'U0BEN', name: 'ben', email: 'ben@example.com' },
      // Carla's Slack address is on the company domain, but no Identity Center user has it.
      { id: 'U0CARLA', name: 'carla', email: 'carla@example.com' },
      // Dave hides his address from apps.
      { id: 'U0DAVE', name: 'dave' },
    ],
    channels: [],
  });
});
afterAll(async () => {
  await slack.close();
});


const status = (Status: 'SUCCEEDED', RequestId = 'op-1') => ({ Status, RequestId });

beforeEach(() => primeIdentityCenter({ sso, identityStore, sts }));
afterEach(() => resetIdentityCenter({ sso, identityStore, sts }));

function ssoCalls(): { op: string; input: Record<string, unknown> }[] {
  return sso.calls().map((c) => {
    const command = c.args[0] as unknown as { constructor: { name: string }; input: Record<string, unknown> };
    return { op: command.constructor.name.replace(/Command$/, ''), input: command.input };
  });
}

/** The sample org with payments-prod granted through Identity Center (and the given user changes). */
function icOrg(base: Org, grant: NonNullable<Account['grant']>, users = base.users): Org {
  return { ...base, users, accounts: base.accounts.map((a) => (a.name === 'payments-prod' ? { ...a, grant } : a)) };
}

interface Setup {
  deps: TestDeps;
  aws: AwsGranting;
}

async function setup(grant: NonNullable<Account['grant']> = { via: 'identity-center' }, changeUsers?: (org: Org) => Org['users']): Promise<Setup> {
  const deps = await makeAccessDeps();
  const org = icOrg(deps.directory.org, grant, changeUsers?.(deps.directory.org));
  deps.directory = new Directory(org);
  const aws = awsGranting(parseAwsEnv(IC_ENV), { store: deps.store, clock: deps.clock, ids: deps.ids, users: () => org.users });
  const ic = aws.identityCenter!;
  deps.granter = aws.accessGranter;
  deps.policyGate = ic.gate(deps.policyGate);
  ic.requesters.addEmailSource(slackVerifiedEmails(new WebClient('xoxb-ic-test', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } })));
  await ic.requesters.refreshIfDue();
  return { deps, aws };
}

async function draft(deps: TestDeps, userId: string, thread: string): Promise<string> {
  const origin = { platform: 'slack', channel: `D0${userId.toUpperCase()}`, threadTs: thread } as const;
  await handleRequesterMessage(deps, { userId, origin, text: 'I need read access to the billing-reports S3 bucket in payments-prod for 2 hours to debug the export' });
  return (await deps.store.getConversation(`slack:${origin.channel}:${thread}`))!.requestId!;
}

describe('Identity Center for the accounts the org file names', () => {
  it('grants an assignment of a per-request permission set to the user Slack’s verified e-mail matches, and tells the requester how to sign in', async () => {
    const { deps } = await setup();
    try {
      const id = await draft(deps, 'ana', '1700000000.000001');
      await submitDraft(deps, id, 'ana');
      const active = await approveRequest(deps, id, 'ben');
      expect(active.state).toBe('active');
      expect(active.grant?.handle).toMatchObject({ grantMode: 'aws-identity-center', principalId: 'u-ana', permissionSetName: `warden-${id}`, accountId: '111111111111' });

      const calls = ssoCalls();
      expect(calls.map((c) => c.op)).toEqual(['CreatePermissionSet', 'PutInlinePolicyToPermissionSet', 'PutPermissionsBoundaryToPermissionSet', 'CreateAccountAssignment']);
      expect(calls[0]?.input).toMatchObject({ InstanceArn: IC_INSTANCE, Name: `warden-${id}`, SessionDuration: 'PT2H' });
      const policy = JSON.parse(String(calls[1]?.input['InlinePolicy'])) as { Statement: { Action: string[]; Condition: Record<string, unknown> }[] };
      expect(policy.Statement.flatMap((s) => s.Action).sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
      for (const s of policy.Statement) expect(s.Condition).toMatchObject({ DateLessThan: { 'aws:CurrentTime': active.grant!.expiresAt.replace('.000Z', 'Z') } });
      expect(calls[3]?.input).toEqual({ InstanceArn: IC_INSTANCE, TargetId: '111111111111', TargetType: 'AWS_ACCOUNT', PermissionSetArn: IC_PERMISSION_SET_ARN, PrincipalType: 'USER', PrincipalId: 'u-ana' });
      // Nothing went through IAM: no role to assume, so no assume-role command either.
      expect(sts.calls()).toHaveLength(0);
      const told = deps.notifier.threadTexts().at(-1)!;
      expect(told).toMatch(/is active until/);
      expect(told).toContain('https://d-1234567890.awsapps.com/start');
      expect(told).toContain(`aws sso login --profile payments-prod-warden-${id}`);
      expect(told).toContain('sso_account_id = 111111111111');
      expect(told).not.toContain('assume-role');

      // Revoked with the granter that made it, though Warden's configured granter is IAM.
      await releaseGrant(deps, id, 'ana');
      expect((await deps.store.getRequest(id))?.state).toBe('revoked');
      expect(ssoCalls().slice(4).map((c) => c.op)).toEqual(['PutInlinePolicyToPermissionSet', 'ProvisionPermissionSet', 'DeleteAccountAssignment', 'DeletePermissionSet']);
    } finally {
      await deps.store.close();
    }
  });

  it('refuses, with the reason, a requester whose e-mail no Identity Center user has exactly: told at drafting, no request, nothing granted', async () => {
    // Ana's Slack address is ana@example.com; Identity Center has only an address on her domain.
    identityStore.on(ListUsersCommand).resolves({ Users: [identityStoreUser('u-ana-2', 'ana.lima@example.com'), identityStoreUser('u-ben', 'ben@example.com')] });
    const { deps } = await setup();
    try {
      const origin = { platform: 'slack', channel: 'D0ANA', threadTs: '1700000000.000002' } as const;
      await handleRequesterMessage(deps, { userId: 'ana', origin, text: 'I need read access to the billing-reports S3 bucket in payments-prod for 2 hours to debug the export' });
      expect(deps.notifier.threadTexts().at(-1)).toMatch(/cannot be submitted.*payments-prod is granted through IAM Identity Center.*no IAM Identity Center user has the e-mail ana@example\.com/);
      expect((await deps.store.getConversation(`slack:D0ANA:${origin.threadTs}`))?.requestId ?? null).toBeNull();
      expect(deps.notifier.posts.filter((p) => p.target.kind === 'user')).toHaveLength(0);
      expect(ssoCalls()).toEqual([]);
    } finally {
      await deps.store.close();
    }
  });

  it('refuses at submit a draft whose requester Identity Center no longer has; no approver is asked', async () => {
    const { deps, aws } = await setup();
    try {
      const id = await draft(deps, 'ana', '1700000000.000004');
      identityStore.on(ListUsersCommand).resolves({ Users: [identityStoreUser('u-ben', 'ben@example.com')] });
      deps.clock.advanceMinutes(15);
      expect(await aws.identityCenter!.requesters.refreshIfDue()).toBe(true);
      const error = await submitDraft(deps, id, 'ana').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserFacingError);
      expect((await deps.store.getRequest(id))?.state).toBe('drafting');
      expect(deps.notifier.threadTexts().at(-1)).toMatch(/cannot be submitted.*no IAM Identity Center user has the e-mail ana@example\.com/);
      expect(deps.notifier.posts.filter((p) => p.target.kind === 'user')).toHaveLength(0);
      expect(ssoCalls()).toEqual([]);
    } finally {
      await deps.store.close();
    }
  });

  it('tells a requester whose Slack profile shows no e-mail why, and leaves IAM accounts alone', async () => {
    const { deps, aws } = await setup();
    try {
      const dave = deps.directory.user('dave')!;
      expect(aws.identityCenter!.requesters.match(dave)).toEqual({ ok: false, reason: expect.stringMatching(/your Slack profile shows Warden no e-mail address.*identityCenterUserId/) });
      const gate = deps.policyGate!;
      const onIc = await gate.review({ draft: makeDraft(), account: deps.directory.account('payments-prod')!, requester: dave, now: deps.clock.now() });
      expect(onIc.blockers.map((b) => b.code)).toContain('no-identity-center-user');
      const review = await gate.review({ draft: makeDraft({ accountId: '222222222222', accountName: 'sandbox' }), account: deps.directory.account('sandbox')!, requester: dave, now: deps.clock.now() });
      expect(review.blockers.map((b) => b.code)).not.toContain('no-identity-center-user');
    } finally {
      await deps.store.close();
    }
  });

  it('matches the whole address case-insensitively, never by domain', async () => {
    const { deps, aws } = await setup();
    try {
      const { requesters } = aws.identityCenter!;
      expect(requesters.match(deps.directory.user('ana')!)).toEqual({ ok: true, userId: 'u-ana', via: 'email' });
      expect(requesters.match(deps.directory.user('ben')!)).toEqual({ ok: true, userId: 'u-ben', via: 'email' });
      // carla@example.com: only carla.diaz@example.com exists on that domain, which is someone else as far as Warden knows.
      expect(requesters.match(deps.directory.user('carla')!)).toMatchObject({ ok: false, reason: expect.stringMatching(/no IAM Identity Center user has the e-mail carla@example\.com/) });
    } finally {
      await deps.store.close();
    }
  });

  it('the org file’s identityCenterUserId wins over the e-mail match', async () => {
    const override = '906722a5f6-1b2c3d4e-5f6a-7b8c-9d0e-1f2a3b4c5d6e';
    const { deps, aws } = await setup({ via: 'identity-center' }, (org) => org.users.map((u) => (u.id === 'carla' || u.id === 'ana' ? { ...u, identityCenterUserId: override } : u)));
    try {
      const { requesters } = aws.identityCenter!;
      expect(requesters.match(deps.directory.user('ana')!)).toEqual({ ok: true, userId: override, via: 'org-file' });
      expect(requesters.match(deps.directory.user('carla')!)).toEqual({ ok: true, userId: override, via: 'org-file' });
      const id = await draft(deps, 'carla', '1700000000.000003');
      await submitDraft(deps, id, 'carla');
      const active = await approveRequest(deps, id, 'ben');
      expect(active.state).toBe('active');
      expect(ssoCalls().find((c) => c.op === 'CreateAccountAssignment')?.input).toMatchObject({ PrincipalId: override });
    } finally {
      await deps.store.close();
    }
  });

  it('reads the directory again on its schedule, so a user added to Identity Center is found without a restart', async () => {
    const { deps, aws } = await setup();
    try {
      const { requesters } = aws.identityCenter!;
      const carla = deps.directory.user('carla')!;
      expect(requesters.match(carla).ok).toBe(false);
      identityStore.on(ListUsersCommand).resolves({ Users: [identityStoreUser('u-ana', 'ana@example.com'), identityStoreUser('u-carla', 'CARLA@example.com')] });

      deps.clock.advanceMinutes(14);
      expect(await requesters.refreshIfDue()).toBe(false);
      expect(requesters.match(carla).ok).toBe(false);

      deps.clock.advanceMinutes(1); // 15 minutes: the default interval
      expect(await requesters.refreshIfDue()).toBe(true);
      expect(requesters.match(carla)).toEqual({ ok: true, userId: 'u-carla', via: 'email' });
      expect(identityStore.commandCalls(ListUsersCommand)).toHaveLength(2);
    } finally {
      await deps.store.close();
    }
  });

  it('a failed refresh keeps the previous snapshot and is reported', async () => {
    const errors: unknown[] = [];
    const deps = await makeAccessDeps();
    try {
      const org = icOrg(deps.directory.org, { via: 'identity-center' });
      const aws = awsGranting(parseAwsEnv(IC_ENV), { store: deps.store, clock: deps.clock, ids: deps.ids, users: () => org.users, onError: (_what, e) => void errors.push(e) });
      const { requesters } = aws.identityCenter!;
      requesters.addEmailSource(slackVerifiedEmails(new WebClient('xoxb-ic-test', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } })));
      await requesters.refreshIfDue();
      expect(requesters.match(org.users[0]!)).toMatchObject({ ok: true, userId: 'u-ana' });
      identityStore.on(ListUsersCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
      deps.clock.advanceMinutes(15);
      expect(await requesters.refreshIfDue()).toBe(true);
      expect(errors).toHaveLength(1);
      expect(requesters.match(org.users[0]!)).toMatchObject({ ok: true, userId: 'u-ana' });
    } finally {
      await deps.store.close();
    }
  });
});

describe('an existing permission set shared by grants', () => {
  it('is assigned as it is, and revoking one of two grants keeps the assignment the other needs', async () => {
    sso.on(ListPermissionSetsCommand).resolves({ PermissionSets: [IC_PERMISSION_SET_ARN, SHARED_ARN] });
    sso.on(DescribePermissionSetCommand, { PermissionSetArn: IC_PERMISSION_SET_ARN }).resolves({ PermissionSet: { Name: 'AdministratorAccess', PermissionSetArn: IC_PERMISSION_SET_ARN } });
    sso.on(DescribePermissionSetCommand, { PermissionSetArn: SHARED_ARN }).resolves({ PermissionSet: { Name: 'ReadOnly', PermissionSetArn: SHARED_ARN } });
    const { deps } = await setup({ via: 'identity-center', permissionSet: 'ReadOnly' });
    try {
      const first = await draft(deps, 'ana', '1700000000.000010');
      await submitDraft(deps, first, 'ana');
      await approveRequest(deps, first, 'ben');
      const second = await draft(deps, 'ana', '1700000000.000011');
      await submitDraft(deps, second, 'ana');
      await approveRequest(deps, second, 'ben');
      const assignment = { InstanceArn: IC_INSTANCE, TargetId: '111111111111', TargetType: 'AWS_ACCOUNT', PermissionSetArn: SHARED_ARN, PrincipalType: 'USER', PrincipalId: 'u-ana' };
      expect(ssoCalls().filter((c) => c.op === 'CreateAccountAssignment').map((c) => c.input)).toEqual([assignment, assignment]);
      // The permission set is Warden's to assign, not to change.
      expect(ssoCalls().map((c) => c.op)).not.toContain('CreatePermissionSet');
      expect(ssoCalls().map((c) => c.op)).not.toContain('PutInlinePolicyToPermissionSet');
      expect(deps.notifier.threadTexts().at(-1)).toContain('sso_role_name = ReadOnly');

      await releaseGrant(deps, first, 'ana');
      expect((await deps.store.getRequest(first))?.state).toBe('revoked');
      expect(ssoCalls().map((c) => c.op)).not.toContain('DeleteAccountAssignment');
      const kept = (await deps.store.listAudit({ requestId: first })).find((e) => e.type === 'aws.call' && e.detail['outcome'] === 'kept-shared');
      expect(kept?.detail).toMatchObject({ operation: 'DeleteAccountAssignment', input: assignment });

      await releaseGrant(deps, second, 'ana');
      expect(ssoCalls().filter((c) => c.op === 'DeleteAccountAssignment').map((c) => c.input)).toEqual([assignment]);
      expect(ssoCalls().map((c) => c.op)).not.toContain('DeletePermissionSet');
    } finally {
      await deps.store.close();
    }
  });

  it('a grant past its expiry does not keep the assignment alive: expiring both removes it at the first', async () => {
    sso.on(DescribePermissionSetCommand, { PermissionSetArn: SHARED_ARN }).resolves({ PermissionSet: { Name: 'ReadOnly', PermissionSetArn: SHARED_ARN } });
    sso.on(DeleteAccountAssignmentCommand).resolvesOnce({ AccountAssignmentDeletionStatus: status('SUCCEEDED', 'op-d') }).rejects(new ResourceNotFoundException({ message: 'no such assignment', $metadata: {} }));
    const { deps } = await setup({ via: 'identity-center', permissionSet: SHARED_ARN });
    try {
      const ids: string[] = [];
      for (const thread of ['1700000000.000020', '1700000000.000021']) {
        const id = await draft(deps, 'ana', thread);
        await submitDraft(deps, id, 'ana');
        await approveRequest(deps, id, 'ben');
        ids.push(id);
      }
      deps.clock.advanceMinutes(121);
      const [first, second] = await Promise.all(ids.map(async (id) => (await deps.store.getRequest(id))!));
      expect((await endGrant(deps, first!, { to: 'expired', actorId: 'warden' }))?.state).toBe('expired');
      expect(ssoCalls().filter((c) => c.op === 'DeleteAccountAssignment')).toHaveLength(1);
      // The second finds it gone already, which is what it wanted.
      expect((await endGrant(deps, second!, { to: 'expired', actorId: 'warden' }))?.state).toBe('expired');
      expect(ssoCalls().filter((c) => c.op === 'DeleteAccountAssignment')).toHaveLength(2);
    } finally {
      await deps.store.close();
    }
  });
});
