/**
 * docs/aws-grant-role.md is the setup people follow in real accounts, so its policies are tested:
 * every call the IAM granter, its repair path and reconciliation make is allowed by the documented
 * permission policy, the things it must never do are not, the boundary caps a grant, and the trust
 * policy admits only Warden. The oracle is @cloud-copilot/iam-simulate (AGPL, devDependency, test-only).
 */
import { readFile } from 'node:fs/promises';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_IAM_GRANT_SETTINGS,
  grantPlan,
  permissionsBoundaryArn,
  revokePlan,
  roleArn,
  type IamStep,
} from '../../src/aws/iam/plan.js';
import { makeDraft } from '../support/builders.js';

const ACCOUNT = '111111111111';
const WARDEN_ACCOUNT = '999999999999';
const RUNTIME_ROLE = `arn:aws:iam::${WARDEN_ACCOUNT}:role/warden-runtime`;
const EXTERNAL_ID = 'warden-7f3a9c';
const SSO_INSTANCE = 'ssoins-1234567890abcdef';
const GRANT_SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/warden-grant/warden-r-doc00001`;
const REQUEST_ROLE = roleArn(DEFAULT_IAM_GRANT_SETTINGS, ACCOUNT, 'warden-r-doc00001');
const BOUNDARY = permissionsBoundaryArn(DEFAULT_IAM_GRANT_SETTINGS, ACCOUNT);

type Verdict = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';
let policies: Record<'boundary' | 'trust' | 'permissions' | 'runtime' | 'identityCenter', unknown>;

beforeAll(async () => {
  const markdown = await readFile(new URL('../../docs/aws-grant-role.md', import.meta.url), 'utf8');
  const blocks = new Map([...markdown.matchAll(/<!-- policy: ([\w-]+) -->\s*```json\n([\s\S]*?)```/g)].map((m) => [m[1]!, m[2]!]));
  const fill = (text: string | undefined) =>
    JSON.parse((text ?? 'null').replaceAll('ACCOUNT_ID', ACCOUNT).replaceAll('WARDEN_RUNTIME_ROLE_ARN', RUNTIME_ROLE).replaceAll('EXTERNAL_ID', EXTERNAL_ID).replaceAll('SSO_INSTANCE_ID', SSO_INSTANCE).replaceAll('IDENTITY_STORE_ID', 'd-1234567890').replaceAll('IDENTITY_CENTER_ACCOUNT', WARDEN_ACCOUNT)) as unknown;
  policies = { boundary: fill(blocks.get('boundary')), trust: fill(blocks.get('trust')), permissions: fill(blocks.get('permissions')), runtime: fill(blocks.get('runtime')), identityCenter: fill(blocks.get('identity-center')) };
  for (const [name, policy] of Object.entries(policies)) expect(policy, `policy block "${name}" in the doc`).not.toBeNull();
});

async function simulate(options: {
  principal?: string;
  identity: unknown[];
  action: string;
  resource: string;
  resourceAccount?: string;
  context?: Record<string, string | string[]>;
  boundary?: unknown;
  resourcePolicy?: unknown;
}): Promise<Verdict> {
  const result = await runSimulation(
    {
      request: {
        principal: options.principal ?? GRANT_SESSION,
        action: options.action,
        resource: { resource: options.resource, accountId: options.resourceAccount ?? ACCOUNT },
        contextVariables: { 'aws:CurrentTime': '2026-11-23T10:00:00Z', ...(options.context ?? {}) },
      },
      identityPolicies: options.identity.map((policy, i) => ({ name: `p${i}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(options.boundary ? { permissionBoundaryPolicies: [{ name: 'boundary', policy: options.boundary }] } : {}),
      ...(options.resourcePolicy ? { resourcePolicy: options.resourcePolicy } : {}),
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(`simulation of ${options.action} on ${options.resource} failed: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
}

/** What IAM would see as request context for one of Warden's calls. */
function contextOf(step: Pick<IamStep, 'operation' | 'input'> | { operation: string; input: { Tags?: { Key?: string; Value?: string }[] } }): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = { 'iam:PermissionsBoundary': BOUNDARY };
  const tags = 'Tags' in step.input ? (step.input.Tags ?? []) : [];
  if (tags.length > 0) {
    context['aws:TagKeys'] = tags.map((t) => t.Key ?? '');
    for (const t of tags) context[`aws:RequestTag/${t.Key}`] = t.Value ?? '';
  }
  return context;
}

const asGrantRole = (action: string, resource: string, context: Record<string, string | string[]> = {}) =>
  simulate({ identity: [policies.permissions], action, resource, context });

describe('docs/aws-grant-role.md: the grant role’s permission policy', () => {
  it('allows every call of a grant, its repair, a revocation and a reconciliation', async () => {
    const now = new Date('2026-11-23T10:00:00Z');
    const grant = grantPlan(
      { requestId: 'r-doc00001', requester: { id: 'ana', awsPrincipal: `arn:aws:iam::${ACCOUNT}:role/ana` }, approverIds: ['ben'], draft: makeDraft(), accountId: ACCOUNT, grantedAt: now, expiresAt: new Date(now.getTime() + 7_200_000) },
      DEFAULT_IAM_GRANT_SETTINGS,
    );
    const revoke = revokePlan({ requestId: 'r-doc00001', accountId: ACCOUNT }, now, DEFAULT_IAM_GRANT_SETTINGS);
    const create = grant.steps[0]!;
    const calls = [
      ...grant.steps,
      ...revoke.steps,
      // The repair of a role an interrupted run created, and the reconciliation's reads.
      { operation: 'GetRole', input: {} },
      { operation: 'UpdateAssumeRolePolicy', input: {} },
      { operation: 'UpdateRole', input: {} },
      { operation: 'TagRole', input: { Tags: create.operation === 'CreateRole' ? create.input.Tags : [] } },
      { operation: 'ListRoleTags', input: {} },
    ];
    const verdicts: string[] = [];
    for (const call of calls) {
      verdicts.push(`${call.operation}: ${await asGrantRole(`iam:${call.operation}`, REQUEST_ROLE, contextOf(call))}`);
    }
    // CreateRole with tags is also authorized as iam:TagRole with the same request tags.
    verdicts.push(`TagRole (with CreateRole): ${await asGrantRole('iam:TagRole', REQUEST_ROLE, contextOf(create))}`);
    verdicts.push(`ListRoles: ${await asGrantRole('iam:ListRoles', '*')}`);
    // Resource discovery, through the same role, reads names only.
    verdicts.push(`ListAllMyBuckets: ${await asGrantRole('s3:ListAllMyBuckets', '*')}`);
    verdicts.push(`ListTables: ${await asGrantRole('dynamodb:ListTables', '*')}`);
    const listings = ['ec2:DescribeInstances', 'rds:DescribeDBInstances', 'lambda:ListFunctions', 'logs:DescribeLogGroups', 'sqs:ListQueues'];
    for (const action of listings) verdicts.push(`${action}: ${await asGrantRole(action, '*')}`);
    expect(verdicts.filter((v) => !v.endsWith('Allowed'))).toEqual([]);
    expect(verdicts).toHaveLength(calls.length + 4 + listings.length);
    expect(await asGrantRole('s3:GetObject', 'arn:aws:s3:::billing-reports/export.csv')).not.toBe('Allowed');
    expect(await asGrantRole('dynamodb:Scan', `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/orders`)).not.toBe('Allowed');
  });

  it('denies creating or changing a role without the boundary, outside /warden/, or any other role', async () => {
    expect(await asGrantRole('iam:CreateRole', REQUEST_ROLE)).not.toBe('Allowed');
    expect(await asGrantRole('iam:CreateRole', REQUEST_ROLE, { 'iam:PermissionsBoundary': `arn:aws:iam::${ACCOUNT}:policy/AdministratorAccess` })).not.toBe('Allowed');
    expect(await asGrantRole('iam:PutRolePolicy', REQUEST_ROLE, { 'iam:PermissionsBoundary': `arn:aws:iam::aws:policy/AdministratorAccess` })).not.toBe('Allowed');
    expect(await asGrantRole('iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/warden-admin`, { 'iam:PermissionsBoundary': BOUNDARY })).not.toBe('Allowed');
    expect(await asGrantRole('iam:PutRolePolicy', `arn:aws:iam::${ACCOUNT}:role/warden-grant`, { 'iam:PermissionsBoundary': BOUNDARY })).not.toBe('Allowed');
    expect(await asGrantRole('iam:DeleteRole', `arn:aws:iam::${ACCOUNT}:role/OrganizationAccountAccessRole`, { 'iam:PermissionsBoundary': BOUNDARY })).not.toBe('Allowed');
    expect(await asGrantRole('iam:UpdateAssumeRolePolicy', `arn:aws:iam::${ACCOUNT}:role/warden-grant`)).not.toBe('Allowed');
  });

  it('can never loosen the boundary, attach managed policies, pass roles, or tag with foreign keys', async () => {
    expect(await asGrantRole('iam:DeleteRolePermissionsBoundary', REQUEST_ROLE, { 'iam:PermissionsBoundary': BOUNDARY })).toBe('ExplicitlyDenied');
    expect(await asGrantRole('iam:PutRolePermissionsBoundary', REQUEST_ROLE, { 'iam:PermissionsBoundary': BOUNDARY })).toBe('ExplicitlyDenied');
    expect(await asGrantRole('iam:CreatePolicyVersion', BOUNDARY)).toBe('ExplicitlyDenied');
    expect(await asGrantRole('iam:AttachRolePolicy', REQUEST_ROLE, { 'iam:PermissionsBoundary': BOUNDARY, 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' })).not.toBe('Allowed');
    expect(await asGrantRole('iam:PassRole', REQUEST_ROLE)).not.toBe('Allowed');
    expect(await asGrantRole('iam:TagRole', REQUEST_ROLE, { 'aws:TagKeys': ['warden:request-id', 'team'] })).not.toBe('Allowed');
    expect(await asGrantRole('s3:GetObject', 'arn:aws:s3:::billing-reports/x.csv')).not.toBe('Allowed');
  });
});

describe('docs/aws-grant-role.md: the boundary caps every grant', () => {
  it('a granted policy asking for more than the ceiling gets only what the boundary allows', async () => {
    const greedy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
    const asRequestRole = (action: string, resource: string) =>
      simulate({ principal: `arn:aws:sts::${ACCOUNT}:assumed-role/warden-r-doc00001/ana`, identity: [greedy], boundary: policies.boundary, action, resource });
    expect(await asRequestRole('s3:GetObject', 'arn:aws:s3:::billing-reports/x.csv')).toBe('Allowed');
    expect(await asRequestRole('dynamodb:Query', `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/orders`)).toBe('Allowed');
    expect(await asRequestRole('iam:GetRole', `arn:aws:iam::${ACCOUNT}:role/ana`)).toBe('Allowed');
    for (const [action, resource] of [
      ['iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/backdoor`],
      ['iam:PutRolePolicy', `arn:aws:iam::${ACCOUNT}:role/warden/warden-r-doc00001`],
      ['iam:DeleteRolePermissionsBoundary', `arn:aws:iam::${ACCOUNT}:role/warden/warden-r-doc00001`],
      ['iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/admin`],
      ['sts:AssumeRole', `arn:aws:iam::${ACCOUNT}:role/OrganizationAccountAccessRole`],
      ['cloudtrail:StopLogging', `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/org`],
    ] as const) {
      expect(await asRequestRole(action, resource), action).toBe('ExplicitlyDenied');
    }
  });
});

describe('docs/aws-grant-role.md: trust and Warden’s own policy', () => {
  const assume = (principal: string, context: Record<string, string> = {}) =>
    simulate({
      principal,
      identity: [policies.runtime],
      resourcePolicy: policies.trust,
      action: 'sts:AssumeRole',
      resource: `arn:aws:iam::${ACCOUNT}:role/warden-grant`,
      resourceAccount: ACCOUNT,
      context,
    });
  const runtimeSession = `arn:aws:sts::${WARDEN_ACCOUNT}:assumed-role/warden-runtime/task-1`;

  it('Warden, with the external id, may assume the grant role', async () => {
    expect(await assume(runtimeSession, { 'sts:ExternalId': EXTERNAL_ID })).toBe('Allowed');
  });

  it('nobody else may, and Warden not without the external id', async () => {
    expect(await assume(runtimeSession)).not.toBe('Allowed');
    expect(await assume(runtimeSession, { 'sts:ExternalId': 'guess' })).not.toBe('Allowed');
    expect(await assume(`arn:aws:sts::${WARDEN_ACCOUNT}:assumed-role/ci-deployer/job-9`, { 'sts:ExternalId': EXTERNAL_ID })).not.toBe('Allowed');
    expect(await assume(`arn:aws:sts::${ACCOUNT}:assumed-role/ana/ana`, { 'sts:ExternalId': EXTERNAL_ID })).not.toBe('Allowed');
  });
});

describe('docs/aws-grant-role.md: the Identity Center policy', () => {
  const PS = `arn:aws:sso:::permissionSet/${SSO_INSTANCE}/ps-0123456789abcdef`;
  const INSTANCE = `arn:aws:sso:::instance/${SSO_INSTANCE}`;
  const asWarden = (action: string, resource: string, context: Record<string, string | string[]> = {}) =>
    simulate({ principal: `arn:aws:sts::${WARDEN_ACCOUNT}:assumed-role/warden-runtime/task-1`, identity: [policies.identityCenter], action, resource, resourceAccount: WARDEN_ACCOUNT, context });
  const OURS = { 'aws:ResourceTag/warden:request-id': 'r-7k2m9x4q' };

  it('allows every call of an Identity Center grant and revocation on Warden’s permission sets', async () => {
    const onPermissionSet = [
      'PutInlinePolicyToPermissionSet',
      'PutPermissionsBoundaryToPermissionSet',
      'UpdatePermissionSet',
      'ProvisionPermissionSet',
      'CreateAccountAssignment',
      'DeleteAccountAssignment',
      'DeletePermissionSet',
      'DescribePermissionSet',
      'ListTagsForResource',
    ];
    const verdicts: string[] = [];
    for (const op of onPermissionSet) verdicts.push(`${op} ps: ${await asWarden(`sso:${op}`, PS, OURS)}`);
    for (const op of ['CreateAccountAssignment', 'DeleteAccountAssignment', 'ProvisionPermissionSet']) {
      verdicts.push(`${op} account: ${await asWarden(`sso:${op}`, 'arn:aws:sso:::account/111111111111')}`);
    }
    for (const op of ['CreatePermissionSet', 'DescribeAccountAssignmentCreationStatus', 'DescribeAccountAssignmentDeletionStatus', 'DescribePermissionSetProvisioningStatus', 'ListPermissionSets', 'CreateAccountAssignment']) {
      verdicts.push(`${op} instance: ${await asWarden(`sso:${op}`, INSTANCE, { 'aws:TagKeys': ['warden:request-id', 'warden:expires-at'] })}`);
    }
    verdicts.push(`CreatePermissionSet ps: ${await asWarden('sso:CreatePermissionSet', PS, { 'aws:TagKeys': ['warden:request-id'] })}`);
    verdicts.push(`GetUserId: ${await asWarden('identitystore:GetUserId', `arn:aws:identitystore::${WARDEN_ACCOUNT}:identitystore/d-1234567890`)}`);
    expect(verdicts.filter((v) => !v.endsWith('Allowed'))).toEqual([]);
  });

  it('allows reading the directory, reconciling, and assigning a shared permission set tagged assignable, but never changing it', async () => {
    const STORE = `arn:aws:identitystore::${WARDEN_ACCOUNT}:identitystore/d-1234567890`;
    const verdicts: string[] = [];
    for (const op of ['ListUsers', 'ListGroups', 'ListGroupMemberships']) verdicts.push(`${op}: ${await asWarden(`identitystore:${op}`, STORE)}`);
    verdicts.push(`ListGroupMemberships group: ${await asWarden('identitystore:ListGroupMemberships', 'arn:aws:identitystore:::group/g-1')}`);
    for (const resource of [INSTANCE, 'arn:aws:sso:::account/111111111111']) verdicts.push(`ListPermissionSetsProvisionedToAccount ${resource}: ${await asWarden('sso:ListPermissionSetsProvisionedToAccount', resource)}`);
    for (const resource of [INSTANCE, 'arn:aws:sso:::account/111111111111', PS]) verdicts.push(`ListAccountAssignments ${resource}: ${await asWarden('sso:ListAccountAssignments', resource)}`);
    const ASSIGNABLE = { 'aws:ResourceTag/warden:assignable': 'true' };
    for (const op of ['CreateAccountAssignment', 'DeleteAccountAssignment', 'DescribePermissionSet']) verdicts.push(`${op} shared: ${await asWarden(`sso:${op}`, PS, ASSIGNABLE)}`);
    expect(verdicts.filter((v) => !v.endsWith('Allowed'))).toEqual([]);
    for (const op of ['PutInlinePolicyToPermissionSet', 'DeletePermissionSet', 'ProvisionPermissionSet', 'UpdatePermissionSet']) {
      expect(await asWarden(`sso:${op}`, PS, ASSIGNABLE), op).not.toBe('Allowed');
    }
    expect(await asWarden('sso:CreateAccountAssignment', PS, { 'aws:ResourceTag/warden:assignable': 'false' })).not.toBe('Allowed');
  });

  it('cannot assign, change or delete permission sets that are not Warden’s, nor tag with foreign keys', async () => {
    for (const op of ['CreateAccountAssignment', 'PutInlinePolicyToPermissionSet', 'DeletePermissionSet', 'ProvisionPermissionSet']) {
      expect(await asWarden(`sso:${op}`, PS), op).not.toBe('Allowed');
    }
    expect(await asWarden('sso:CreatePermissionSet', INSTANCE, { 'aws:TagKeys': ['warden:request-id', 'owner'] })).not.toBe('Allowed');
    expect(await asWarden('sso:AttachManagedPolicyToPermissionSet', PS, OURS)).not.toBe('Allowed');
    expect(await asWarden('sso:DeleteInstance', INSTANCE)).not.toBe('Allowed');
  });
});
