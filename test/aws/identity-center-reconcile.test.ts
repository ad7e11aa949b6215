import {
  DeleteAccountAssignmentCommand,
  DeletePermissionSetCommand,
  DescribePermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListPermissionSetsProvisionedToAccountCommand,
  ListTagsForResourceCommand,
  ProvisionPermissionSetCommand,
  PutInlinePolicyToPermissionSetCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccessRequest, Grant } from '../../src/access/types.js';
import { sdkIdentityCenterClients } from '../../src/aws/identity-center/clients.js';
import { IdentityCenterGranter } from '../../src/aws/identity-center/identity-center-granter.js';
import type { IdentityCenterSettings } from '../../src/aws/identity-center/plan.js';
import { IdentityCenterGrantInventory } from '../../src/aws/reconcile/identity-center-inventory.js';
import { Reconciler } from '../../src/aws/reconcile/reconciler.js';
import { makeAccessDeps, type TestDeps } from '../support/access-deps.js';
import { makeEventFor, makeRequest } from '../support/builders.js';

const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
const PROD = '111111111111';
const SANDBOX = '222222222222';
const ADMINS = { kind: 'channel', channel: 'C0PLATFORM' } as const;
const SETTINGS: IdentityCenterSettings = { instanceArn: INSTANCE, identityStoreId: 'd-1234567890', permissionsBoundaryName: null, poll: { firstDelayMs: 1, maxDelayMs: 1, timeoutMs: 10 } };
const noWait = { runtime: { sleep: async () => undefined, random: () => 0.5 } };
const psArn = (suffix: string) => `arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-${suffix.padEnd(16, '0')}`;

const sso = mockClient(SSOAdminClient);
let deps: TestDeps;

beforeEach(async () => {
  sso.reset();
  deps = await makeAccessDeps();
});
afterEach(async () => {
  sso.reset();
  await deps.store.close();
});

function icGrant(requestId: string, overrides: Partial<Grant> = {}): Grant {
  return {
    grantedAt: '2026-11-23T09:00:00.000Z',
    expiresAt: '2026-11-23T12:00:00.000Z',
    // Routed to Identity Center beside the configured IAM granter: the handle names the granter.
    mode: 'aws-iam',
    handle: { accountId: PROD, instanceArn: INSTANCE, permissionSetArn: psArn(requestId), permissionSetName: `warden-${requestId}`, principalId: 'u-ana', principalType: 'USER', grantMode: 'aws-identity-center' },
    ...overrides,
  };
}

async function storeRequest(overrides: Partial<AccessRequest>): Promise<AccessRequest> {
  const request = makeRequest({ requesterId: 'ana', draft: { ...makeRequest().draft, accountId: PROD }, createdAt: '2026-11-23T08:55:00.000Z', updatedAt: '2026-11-23T09:00:00.000Z', ...overrides });
  await deps.store.createRequest(request, makeEventFor(request));
  return request;
}

/** A `warden-<id>` permission set in PROD, assigned to u-ana and tagged with its request. */
function seedWardenSet(requestId: string, tagged = requestId): string {
  const arn = psArn(requestId);
  sso.on(DescribePermissionSetCommand, { PermissionSetArn: arn }).resolves({ PermissionSet: { Name: `warden-${requestId}`, PermissionSetArn: arn } });
  sso.on(ListAccountAssignmentsCommand, { AccountId: PROD, PermissionSetArn: arn }).resolves({ AccountAssignments: [{ AccountId: PROD, PermissionSetArn: arn, PrincipalType: 'USER', PrincipalId: 'u-ana' }] });
  sso.on(ListTagsForResourceCommand, { ResourceArn: arn }).resolves({ Tags: [{ Key: 'warden:request-id', Value: tagged }, { Key: 'warden:expires-at', Value: '2026-11-23T09:30:00.000Z' }] });
  return arn;
}

function reconciler(): Reconciler {
  const clients = sdkIdentityCenterClients({ region: 'eu-west-1' });
  const granter = new IdentityCenterGranter({ settings: SETTINGS, clients, principals: { userId: async () => 'unused' }, clock: deps.clock, retry: noWait });
  return new Reconciler(deps, new IdentityCenterGrantInventory({ instanceArn: INSTANCE, clients, granter, retry: noWait }), { alertTargets: [ADMINS] });
}

function ssoCalls(op: string): Record<string, unknown>[] {
  return sso.calls().flatMap((c) => {
    const command = c.args[0] as unknown as { constructor: { name: string }; input: Record<string, unknown> };
    return command.constructor.name === `${op}Command` ? [command.input] : [];
  });
}

describe('Reconciler over IAM Identity Center', () => {
  it('removes expired and unknown permission sets, reports an active grant AWS lacks, leaves the rest alone', async () => {
    await storeRequest({ id: 'r-insync02', state: 'active', grant: icGrant('r-insync02') });
    const ended = await storeRequest({ id: 'r-ended001', state: 'expired', grant: icGrant('r-ended001') });
    const missing = await storeRequest({ id: 'r-missing1', state: 'active', grant: icGrant('r-missing1') });
    // An IAM grant: the IAM reconciler's business, never "missing" here.
    await storeRequest({ id: 'r-iamgrant', state: 'active', grant: { ...icGrant('r-iamgrant'), handle: { accountId: PROD, roleName: 'warden-r-iamgrant' } } });

    const arns = [seedWardenSet('r-insync02'), seedWardenSet(ended.id), seedWardenSet('r-ghost001'), psArn('readonly')];
    // An admin's own permission set: not Warden's naming, never looked at further.
    sso.on(DescribePermissionSetCommand, { PermissionSetArn: psArn('readonly') }).resolves({ PermissionSet: { Name: 'ReadOnly', PermissionSetArn: psArn('readonly') } });
    sso.on(ListPermissionSetsProvisionedToAccountCommand, { AccountId: PROD }).resolvesOnce({ PermissionSets: arns.slice(0, 2), NextToken: 'p2' }).resolves({ PermissionSets: arns.slice(2) });
    sso.on(ListPermissionSetsProvisionedToAccountCommand, { AccountId: SANDBOX }).resolves({ PermissionSets: [] });
    sso.on(PutInlinePolicyToPermissionSetCommand).resolves({});
    sso.on(ProvisionPermissionSetCommand).resolves({ PermissionSetProvisioningStatus: { Status: 'SUCCEEDED', RequestId: 'op-p' } });
    sso.on(DeleteAccountAssignmentCommand).resolves({ AccountAssignmentDeletionStatus: { Status: 'SUCCEEDED', RequestId: 'op-d' } });
    sso.on(DeletePermissionSetCommand).resolves({});

    const report = await reconciler().run();

    expect(report.revoked.map((a) => [a.grant.name, a.reason]).sort()).toEqual([
      ['warden-r-ended001', 'ended'],
      ['warden-r-ghost001', 'unknown-request'],
    ]);
    expect(report.revokeFailures).toEqual([]);
    expect(report.plan.inSync).toEqual(['r-insync02']);
    expect(report.markedMissing).toEqual([missing.id]);
    expect(report.accountErrors).toEqual([]);

    // Removed exactly as a revocation does: sessions cut, assignment gone, then the set.
    expect(ssoCalls('DeleteAccountAssignment')).toEqual(
      ['r-ended001', 'r-ghost001'].map((id) => ({ InstanceArn: INSTANCE, TargetId: PROD, TargetType: 'AWS_ACCOUNT', PermissionSetArn: psArn(id), PrincipalType: 'USER', PrincipalId: 'u-ana' })),
    );
    expect(ssoCalls('DeletePermissionSet').map((i) => i['PermissionSetArn'])).toEqual([psArn('r-ended001'), psArn('r-ghost001')]);
    for (const input of ssoCalls('PutInlinePolicyToPermissionSet')) expect(String(input['InlinePolicy'])).toContain('Deny');
    expect(ssoCalls('ListTagsForResource').map((i) => i['ResourceArn'])).not.toContain(psArn('readonly'));

    const audit = await deps.store.listAudit({ requestId: missing.id });
    expect(audit.find((e) => e.type === 'grant.missing_in_aws')?.detail).toMatchObject({ mode: 'aws-identity-center' });
    const alert = deps.notifier.posts.find((p) => p.target.kind === 'channel' && p.target.channel === 'C0PLATFORM');
    expect(alert?.card.fallback).toMatch(/Removed 2 grant\(s\)[\s\S]*warden-r-ended001[\s\S]*request already ended[\s\S]*warden-r-ghost001[\s\S]*no such request[\s\S]*missing in AWS[\s\S]*r-missing1/);

    // Reported once: the next run finds nothing new to say.
    sso.resetHistory();
    const again = await reconciler().run();
    expect(again.markedMissing).toEqual([]);
  });

  it('a permission set named like Warden’s whose tag names another request is left alone and reported', async () => {
    const arn = seedWardenSet('r-forged01', 'r-other001');
    sso.on(ListPermissionSetsProvisionedToAccountCommand, { AccountId: PROD }).resolves({ PermissionSets: [arn] });
    sso.on(ListPermissionSetsProvisionedToAccountCommand, { AccountId: SANDBOX }).resolves({ PermissionSets: [] });
    const report = await reconciler().run();
    expect(report.plan.foreign.map((g) => g.name)).toEqual(['warden-r-forged01']);
    expect(ssoCalls('DeleteAccountAssignment')).toEqual([]);
    expect(ssoCalls('DeletePermissionSet')).toEqual([]);
  });
});
