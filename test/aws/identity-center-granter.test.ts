import { GetUserIdCommand, IdentitystoreClient, ResourceNotFoundException as StoreNotFound } from '@aws-sdk/client-identitystore';
import {
  ConflictException,
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  DeleteAccountAssignmentCommand,
  DeletePermissionSetCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  DescribePermissionSetCommand,
  DescribePermissionSetProvisioningStatusCommand,
  ListPermissionSetsCommand,
  ListTagsForResourceCommand,
  ProvisionPermissionSetCommand,
  PutInlinePolicyToPermissionSetCommand,
  PutPermissionsBoundaryToPermissionSetCommand,
  ResourceNotFoundException,
  SSOAdminClient,
  TagResourceCommand,
  ThrottlingException,
  UpdatePermissionSetCommand,
} from '@aws-sdk/client-sso-admin';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GrantInput } from '../../src/access/granter.js';
import type { Grant } from '../../src/access/types.js';
import { handleRequesterMessage } from '../../src/access/workflows/converse.js';
import { approveRequest } from '../../src/access/workflows/decide.js';
import { releaseGrant } from '../../src/access/workflows/requester-actions.js';
import { submitDraft } from '../../src/access/workflows/submit.js';
import { sdkIdentityCenterClients } from '../../src/aws/identity-center/clients.js';
import { IdentityCenterGranter } from '../../src/aws/identity-center/identity-center-granter.js';
import { sessionDuration, type IdentityCenterSettings } from '../../src/aws/identity-center/plan.js';
import { IdentityStoreByEmail } from '../../src/aws/identity-center/principals.js';
import type { RetryRuntime } from '../../src/aws/retry.js';
import { makeAccessDeps } from '../support/access-deps.js';
import { makeDraft, makeRequest } from '../support/builders.js';
import { ManualClock } from '../support/manual-clock.js';
import { sampleOrg } from '../support/org.js';

const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
const PS_ARN = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-0123456789abcdef';
const SETTINGS: IdentityCenterSettings = {
  instanceArn: INSTANCE,
  identityStoreId: 'd-1234567890',
  permissionsBoundaryName: 'warden-grant-boundary',
  poll: { firstDelayMs: 1000, maxDelayMs: 4000, timeoutMs: 10_000 },
};

const sso = mockClient(SSOAdminClient);
const store = mockClient(IdentitystoreClient);
let clock: ManualClock;
let sleeps: number[];
let runtime: RetryRuntime;

const conflict = () => new ConflictException({ message: 'An operation is in progress on this permission set', $metadata: {} });
const throttled = () => new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
const notFound = () => new ResourceNotFoundException({ message: 'not found', $metadata: {} });

beforeEach(() => {
  sso.reset();
  store.reset();
  clock = new ManualClock('2026-11-23T10:00:00Z');
  sleeps = [];
  runtime = { sleep: async (ms) => void sleeps.push(ms), random: () => 0.999 };
  store.on(GetUserIdCommand).resolves({ UserId: 'u-ana-0001', IdentityStoreId: 'd-1234567890' });
  sso.on(CreatePermissionSetCommand).resolves({ PermissionSet: { Name: 'warden-r-ic000001', PermissionSetArn: PS_ARN } });
  sso.on(PutInlinePolicyToPermissionSetCommand).resolves({});
  sso.on(PutPermissionsBoundaryToPermissionSetCommand).resolves({});
  sso.on(DeletePermissionSetCommand).resolves({});
});

afterEach(() => {
  sso.reset();
  store.reset();
});

function granter(): IdentityCenterGranter {
  const clients = sdkIdentityCenterClients({ region: 'eu-west-1' });
  return new IdentityCenterGranter({
    settings: SETTINGS,
    clients,
    principals: new IdentityStoreByEmail({ identityStoreId: SETTINGS.identityStoreId, clients, retry: { policy: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000 }, runtime } }),
    clock,
    retry: { policy: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000 }, runtime },
  });
}

function grantInput(id = 'r-ic000001'): GrantInput {
  const grantedAt = clock.now();
  return {
    request: makeRequest({ id, state: 'granting', requesterId: 'ana', draft: makeDraft(), approvals: [{ userId: 'ben', at: grantedAt.toISOString() }] }),
    requester: sampleOrg.users[0]!,
    account: sampleOrg.accounts[0]!,
    grantedAt,
    expiresAt: new Date(grantedAt.getTime() + 2 * 3_600_000),
  };
}

/** The SSO admin calls in order, as `Operation` and input. */
function ssoCalls(): { op: string; input: Record<string, unknown> }[] {
  return sso.calls().map((c) => {
    const command = c.args[0] as unknown as { constructor: { name: string }; input: Record<string, unknown> };
    return { op: command.constructor.name.replace(/Command$/, ''), input: command.input };
  });
}

const status = (Status: 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED', extra: Record<string, string> = {}) => ({ Status, RequestId: 'op-1', ...extra });

describe('Identity Center granter: grant', () => {
  it('creates the per-request permission set, assigns it, and polls IN_PROGRESS → SUCCEEDED', async () => {
    sso.on(CreateAccountAssignmentCommand).resolves({ AccountAssignmentCreationStatus: status('IN_PROGRESS') });
    sso.on(DescribeAccountAssignmentCreationStatusCommand).resolvesOnce({ AccountAssignmentCreationStatus: status('IN_PROGRESS') }).resolves({ AccountAssignmentCreationStatus: status('SUCCEEDED') });

    const handle = await granter().grant(grantInput());

    // `usage` (how to sign in) is for the requester's message; revocation needs the rest.
    expect(handle).toEqual({
      accountId: '111111111111',
      instanceArn: INSTANCE,
      permissionSetArn: PS_ARN,
      permissionSetName: 'warden-r-ic000001',
      principalId: 'u-ana-0001',
      principalType: 'USER',
      usage: expect.stringContaining('sso_role_name = warden-r-ic000001'),
    });
    expect(store.commandCalls(GetUserIdCommand)[0]?.args[0].input).toEqual({
      IdentityStoreId: 'd-1234567890',
      AlternateIdentifier: { UniqueAttribute: { AttributePath: 'emails.value', AttributeValue: 'ana@example.com' } },
    });
    const calls = ssoCalls();
    expect(calls.map((c) => c.op)).toEqual([
      'CreatePermissionSet',
      'PutInlinePolicyToPermissionSet',
      'PutPermissionsBoundaryToPermissionSet',
      'CreateAccountAssignment',
      'DescribeAccountAssignmentCreationStatus',
      'DescribeAccountAssignmentCreationStatus',
    ]);
    expect(calls[0]?.input).toEqual({
      InstanceArn: INSTANCE,
      Name: 'warden-r-ic000001',
      Description: 'Warden temporary access for ana, request r-ic000001',
      SessionDuration: 'PT2H',
      Tags: [
        { Key: 'warden:request-id', Value: 'r-ic000001' },
        { Key: 'warden:requester', Value: 'ana' },
        { Key: 'warden:approvers', Value: 'ben' },
        { Key: 'warden:expires-at', Value: '2026-11-23T12:00:00.000Z' },
      ],
    });
    const policy = JSON.parse(String(calls[1]?.input['InlinePolicy'])) as { Statement: { Condition: unknown }[] };
    for (const s of policy.Statement) expect(s.Condition).toEqual({ DateLessThan: { 'aws:CurrentTime': '2026-11-23T12:00:00Z' } });
    expect(calls[2]?.input).toEqual({ InstanceArn: INSTANCE, PermissionSetArn: PS_ARN, PermissionsBoundary: { CustomerManagedPolicyReference: { Name: 'warden-grant-boundary', Path: '/' } } });
    expect(calls[3]?.input).toEqual({ InstanceArn: INSTANCE, TargetId: '111111111111', TargetType: 'AWS_ACCOUNT', PermissionSetArn: PS_ARN, PrincipalType: 'USER', PrincipalId: 'u-ana-0001' });
    expect(calls[4]?.input).toEqual({ InstanceArn: INSTANCE, AccountAssignmentCreationRequestId: 'op-1' });
    expect(sleeps).toEqual([1000, 2000]);
  });

  it('a FAILED assignment fails the grant with the reason and removes what was created', async () => {
    sso.on(CreateAccountAssignmentCommand).resolves({ AccountAssignmentCreationStatus: status('IN_PROGRESS') });
    sso.on(DescribeAccountAssignmentCreationStatusCommand).resolves({ AccountAssignmentCreationStatus: status('FAILED', { FailureReason: 'Received a 404 status error: Not supported account' }) });
    sso.on(DeleteAccountAssignmentCommand).resolves({ AccountAssignmentDeletionStatus: status('SUCCEEDED', { RequestId: 'op-2' }) });

    await expect(granter().grant(grantInput())).rejects.toThrow(
      'Identity Center grant of warden-r-ic000001 in 111111111111: Account assignment of warden-r-ic000001 in 111111111111 failed: Received a 404 status error: Not supported account; what was created has been removed',
    );
    expect(ssoCalls().map((c) => c.op).slice(-2)).toEqual(['DeleteAccountAssignment', 'DeletePermissionSet']);
  });

  it('an assignment still IN_PROGRESS at the bound is a failure, cleaned up, never a success', async () => {
    sso.on(CreateAccountAssignmentCommand).resolves({ AccountAssignmentCreationStatus: status('IN_PROGRESS') });
    sso.on(DescribeAccountAssignmentCreationStatusCommand).resolves({ AccountAssignmentCreationStatus: status('IN_PROGRESS') });
    // Deleting while the creation still runs conflicts at first: retried.
    sso.on(DeleteAccountAssignmentCommand).rejectsOnce(conflict()).resolves({ AccountAssignmentDeletionStatus: status('IN_PROGRESS', { RequestId: 'op-2' }) });
    sso.on(DescribeAccountAssignmentDeletionStatusCommand).resolves({ AccountAssignmentDeletionStatus: status('SUCCEEDED', { RequestId: 'op-2' }) });

    await expect(granter().grant(grantInput())).rejects.toThrow(/did not finish in time \(still IN_PROGRESS after 10 s\); what was created has been removed/);
    expect(sleeps.slice(0, 4)).toEqual([1000, 2000, 4000, 3000]);
    expect(ssoCalls().filter((c) => c.op === 'DeleteAccountAssignment')).toHaveLength(2);
    expect(ssoCalls().at(-1)?.op).toBe('DeletePermissionSet');
  });

  it('retries ConflictException and throttling on the assignment', async () => {
    sso.on(CreateAccountAssignmentCommand).rejectsOnce(conflict()).rejectsOnce(throttled()).resolves({ AccountAssignmentCreationStatus: status('SUCCEEDED') });
    await granter().grant(grantInput());
    expect(ssoCalls().filter((c) => c.op === 'CreateAccountAssignment')).toHaveLength(3);
    expect(sleeps).toEqual([99, 199]);
  });

  it('a permission set left by an interrupted run is adopted, updated and re-provisioned', async () => {
    sso.on(CreatePermissionSetCommand).rejects(new ConflictException({ message: 'PermissionSet with name warden-r-ic000001 already exists', $metadata: {} }));
    sso.on(ListPermissionSetsCommand).resolves({ PermissionSets: ['arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-other', PS_ARN] });
    sso.on(DescribePermissionSetCommand, { PermissionSetArn: PS_ARN }).resolves({ PermissionSet: { Name: 'warden-r-ic000001', PermissionSetArn: PS_ARN } });
    sso.on(DescribePermissionSetCommand, { PermissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-other' }).resolves({ PermissionSet: { Name: 'AdministratorAccess' } });
    sso.on(ListTagsForResourceCommand).resolves({ Tags: [{ Key: 'warden:request-id', Value: 'r-ic000001' }] });
    sso.on(UpdatePermissionSetCommand).resolves({});
    sso.on(TagResourceCommand).resolves({});
    sso.on(ProvisionPermissionSetCommand).resolves({ PermissionSetProvisioningStatus: status('IN_PROGRESS', { RequestId: 'op-p' }) });
    sso.on(DescribePermissionSetProvisioningStatusCommand).resolves({ PermissionSetProvisioningStatus: status('SUCCEEDED', { RequestId: 'op-p' }) });
    sso.on(CreateAccountAssignmentCommand).resolves({ AccountAssignmentCreationStatus: status('SUCCEEDED') });

    const handle = await granter().grant(grantInput());
    expect(handle['permissionSetArn']).toBe(PS_ARN);
    expect(ssoCalls().map((c) => c.op)).toEqual([
      'CreatePermissionSet',
      'ListPermissionSets',
      'DescribePermissionSet',
      'DescribePermissionSet',
      'ListTagsForResource',
      'UpdatePermissionSet',
      'TagResource',
      'PutInlinePolicyToPermissionSet',
      'PutPermissionsBoundaryToPermissionSet',
      'ProvisionPermissionSet',
      'DescribePermissionSetProvisioningStatus',
      'CreateAccountAssignment',
    ]);
    expect(sso.commandCalls(ProvisionPermissionSetCommand)[0]?.args[0].input.TargetType).toBe('ALL_PROVISIONED_ACCOUNTS');
  });

  it('refuses a permission set of that name that is not this request’s, and touches nothing', async () => {
    sso.on(CreatePermissionSetCommand).rejects(new ConflictException({ message: 'exists', $metadata: {} }));
    sso.on(ListPermissionSetsCommand).resolves({ PermissionSets: [PS_ARN] });
    sso.on(DescribePermissionSetCommand).resolves({ PermissionSet: { Name: 'warden-r-ic000001' } });
    sso.on(ListTagsForResourceCommand).resolves({ Tags: [] });
    await expect(granter().grant(grantInput())).rejects.toThrow(/will not take it over/);
    expect(ssoCalls().map((c) => c.op)).not.toContain('DeletePermissionSet');
    expect(ssoCalls().map((c) => c.op)).not.toContain('PutInlinePolicyToPermissionSet');
  });

  it('a requester with no Identity Center user is told why, and nothing is created', async () => {
    store.on(GetUserIdCommand).rejects(new StoreNotFound({ message: 'USER not found', $metadata: {} }));
    await expect(granter().grant(grantInput())).rejects.toThrow('no IAM Identity Center user has the e-mail ana@example.com (ana in the org file)');
    expect(ssoCalls()).toEqual([]);
  });

  it('session length follows the grant within 1–12 hours', () => {
    const at = new Date('2026-11-23T10:00:00Z');
    const plus = (min: number) => new Date(at.getTime() + min * 60_000);
    expect([15, 90, 120, 24 * 60].map((m) => sessionDuration(at, plus(m)))).toEqual(['PT1H', 'PT1H30M', 'PT2H', 'PT12H']);
  });
});

describe('Identity Center granter: revoke', () => {
  const grant: Grant = {
    grantedAt: '2026-11-23T10:00:00.000Z',
    expiresAt: '2026-11-23T12:00:00.000Z',
    mode: 'aws-identity-center',
    handle: { accountId: '111111111111', instanceArn: INSTANCE, permissionSetArn: PS_ARN, permissionSetName: 'warden-r-ic000001', principalId: 'u-ana-0001', principalType: 'USER' },
  };

  it('cuts sessions, pushes that to the account, removes the assignment (polled), then the permission set', async () => {
    clock.advanceMinutes(30);
    sso.on(ProvisionPermissionSetCommand).resolves({ PermissionSetProvisioningStatus: status('IN_PROGRESS', { RequestId: 'op-p' }) });
    sso.on(DescribePermissionSetProvisioningStatusCommand).resolves({ PermissionSetProvisioningStatus: status('SUCCEEDED', { RequestId: 'op-p' }) });
    sso.on(DeleteAccountAssignmentCommand).resolves({ AccountAssignmentDeletionStatus: status('IN_PROGRESS', { RequestId: 'op-d' }) });
    sso.on(DescribeAccountAssignmentDeletionStatusCommand).resolvesOnce({ AccountAssignmentDeletionStatus: status('IN_PROGRESS') }).resolves({ AccountAssignmentDeletionStatus: status('SUCCEEDED') });

    await granter().revoke(grantInput().request, grant);
    const calls = ssoCalls();
    expect(calls.map((c) => c.op)).toEqual([
      'PutInlinePolicyToPermissionSet',
      'ProvisionPermissionSet',
      'DescribePermissionSetProvisioningStatus',
      'DeleteAccountAssignment',
      'DescribeAccountAssignmentDeletionStatus',
      'DescribeAccountAssignmentDeletionStatus',
      'DeletePermissionSet',
    ]);
    expect(JSON.parse(String(calls[0]?.input['InlinePolicy']))).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'WardenRevokeOlderSessions', Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': '2026-11-23T10:30:00Z' } } }],
    });
    expect(calls[3]?.input).toEqual({ InstanceArn: INSTANCE, TargetId: '111111111111', TargetType: 'AWS_ACCOUNT', PermissionSetArn: PS_ARN, PrincipalType: 'USER', PrincipalId: 'u-ana-0001' });
    expect(calls[4]?.input).toEqual({ InstanceArn: INSTANCE, AccountAssignmentDeletionRequestId: 'op-d' });
  });

  it('is done at once when the permission set is already gone (revoking twice)', async () => {
    sso.on(PutInlinePolicyToPermissionSetCommand).rejects(notFound());
    await granter().revoke(grantInput().request, grant);
    expect(ssoCalls().map((c) => c.op)).toEqual(['PutInlinePolicyToPermissionSet']);
  });

  it('a removal that FAILS fails the revocation, so it is retried and alerted on', async () => {
    sso.on(ProvisionPermissionSetCommand).resolves({ PermissionSetProvisioningStatus: status('SUCCEEDED', { RequestId: 'op-p' }) });
    sso.on(DeleteAccountAssignmentCommand).resolves({ AccountAssignmentDeletionStatus: status('FAILED', { RequestId: 'op-d', FailureReason: 'AccessDenied' }) });
    await expect(granter().revoke(grantInput().request, grant)).rejects.toThrow('Removal of warden-r-ic000001 from 111111111111 failed: AccessDenied');
    expect(ssoCalls().map((c) => c.op)).not.toContain('DeletePermissionSet');
  });

  it('refuses a handle that is not an Identity Center handle of this request', async () => {
    await expect(granter().revoke(grantInput().request, { ...grant, handle: { accountId: '111111111111', roleName: 'warden-r-ic000001' } })).rejects.toThrow(/not an Identity Center handle/);
    await expect(granter().revoke(grantInput('r-other001').request, grant)).rejects.toThrow(/refusing to revoke/);
    expect(ssoCalls()).toEqual([]);
  });
});

describe('Identity Center granter through the access workflows', () => {
  it('an approved request becomes an assignment, and release removes it', async () => {
    sso.on(CreateAccountAssignmentCommand).resolves({ AccountAssignmentCreationStatus: status('SUCCEEDED') });
    sso.on(ProvisionPermissionSetCommand).resolves({ PermissionSetProvisioningStatus: status('SUCCEEDED', { RequestId: 'op-p' }) });
    sso.on(DeleteAccountAssignmentCommand).resolves({ AccountAssignmentDeletionStatus: status('SUCCEEDED', { RequestId: 'op-d' }) });
    const deps = await makeAccessDeps({ granter: granter() });
    try {
      const origin = { platform: 'slack', channel: 'D0ANA', threadTs: '1700000000.000001' } as const;
      await handleRequesterMessage(deps, { userId: 'ana', origin, text: 'I need read access to the billing-reports S3 bucket in payments-prod for 2 hours to debug the export' });
      const requestId = (await deps.store.getConversation(`slack:D0ANA:${origin.threadTs}`))!.requestId!;
      await submitDraft(deps, requestId, 'ana');
      const active = await approveRequest(deps, requestId, 'ben');
      expect(active.state).toBe('active');
      expect(active.grant?.mode).toBe('aws-identity-center');
      expect(active.grant?.handle['permissionSetName']).toBe(`warden-${requestId}`);
      expect(deps.notifier.threadTexts().at(-1)).toMatch(/is active until/);
      await releaseGrant(deps, requestId, 'ana');
      expect((await deps.store.getRequest(requestId))?.state).toBe('revoked');
      expect(ssoCalls().at(-1)?.op).toBe('DeletePermissionSet');
    } finally {
      await deps.store.close();
    }
  });
});
