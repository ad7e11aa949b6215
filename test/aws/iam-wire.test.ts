/**
 * The IAM granter and inventory over real SDK clients against a local STS + IAM on 127.0.0.1,
 * reached only through the SDK's own endpoint variables: what aws-sdk-client-mock cannot show
 * (wire serialization, IAM's error codes as sent, which credentials sign which call).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GrantInput } from '../../src/access/granter.js';
import { sdkClientFactory } from '../../src/aws/iam/clients.js';
import { IamGranter } from '../../src/aws/iam/iam-granter.js';
import { DEFAULT_IAM_GRANT_SETTINGS, grantPlan } from '../../src/aws/iam/plan.js';
import { IamGrantInventory } from '../../src/aws/reconcile/iam-inventory.js';
import { makeDraft, makeRequest } from '../support/builders.js';
import { ManualClock } from '../support/manual-clock.js';
import { sampleOrg } from '../support/org.js';
import { LocalIamServer } from './support/local-iam-server.js';

const ENV_KEYS = ['AWS_ENDPOINT_URL_IAM', 'AWS_ENDPOINT_URL_STS', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'] as const;
const saved: Partial<Record<(typeof ENV_KEYS)[number], string>> = {};
let server: LocalIamServer;
const clock = new ManualClock('2026-11-23T10:00:00Z');
const fast = { policy: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 } };

beforeAll(async () => {
  server = await LocalIamServer.start();
  for (const key of ENV_KEYS) {
    const value = process.env[key];
    if (value !== undefined) saved[key] = value;
    delete process.env[key];
  }
  process.env['AWS_ENDPOINT_URL_IAM'] = server.url;
  process.env['AWS_ENDPOINT_URL_STS'] = server.url;
  process.env['AWS_ACCESS_KEY_ID'] = 'AKIDWARDENRUNTIME';
  process.env['AWS_SECRET_ACCESS_KEY'] = 'runtime-secret';
});

afterAll(async () => {
  for (const key of ENV_KEYS) {
    delete process.env[key];
    const value = saved[key];
    if (value !== undefined) process.env[key] = value;
  }
  await server.close();
});

beforeEach(() => {
  server.requests.length = 0;
});

function input(id: string): GrantInput {
  const grantedAt = clock.now();
  return {
    request: makeRequest({ id, state: 'granting', requesterId: 'ana', draft: makeDraft(), approvals: [{ userId: 'ben', at: grantedAt.toISOString() }] }),
    requester: sampleOrg.users[0]!,
    account: sampleOrg.accounts[0]!,
    grantedAt,
    expiresAt: new Date(grantedAt.getTime() + 2 * 3_600_000),
  };
}

const granter = () => new IamGranter({ settings: DEFAULT_IAM_GRANT_SETTINGS, clients: sdkClientFactory({ region: 'eu-west-1' }), clock, retry: fast });

describe('IAM granter on the wire', () => {
  it('sends the plan as IAM’s Query protocol, signing STS with Warden’s keys and IAM with the assumed role’s', async () => {
    const grant = input('r-wire0001');
    await granter().grant(grant);
    expect(server.requests.map((r) => [r.service, r.action, r.accessKeyId, r.status])).toEqual([
      ['sts', 'AssumeRole', 'AKIDWARDENRUNTIME', 200],
      ['iam', 'CreateRole', 'ASIA111111111111', 200],
      ['iam', 'PutRolePolicy', 'ASIA111111111111', 200],
    ]);
    const plan = grantPlan(
      { requestId: 'r-wire0001', requester: grant.requester, approverIds: ['ben'], draft: grant.request.draft, accountId: '111111111111', grantedAt: grant.grantedAt, expiresAt: grant.expiresAt },
      DEFAULT_IAM_GRANT_SETTINGS,
    );
    const [create, put] = plan.steps;
    expect(server.requests[0]?.params).toMatchObject({ RoleArn: 'arn:aws:iam::111111111111:role/warden-grant', RoleSessionName: 'warden-r-wire0001', DurationSeconds: '900' });
    expect(server.requests[1]?.params).toMatchObject({
      RoleName: 'warden-r-wire0001',
      Path: '/warden/',
      MaxSessionDuration: '7200',
      PermissionsBoundary: 'arn:aws:iam::111111111111:policy/warden-grant-boundary',
      AssumeRolePolicyDocument: create?.operation === 'CreateRole' ? create.input.AssumeRolePolicyDocument : '',
      'Tags.member.1.Key': 'warden:request-id',
      'Tags.member.1.Value': 'r-wire0001',
      'Tags.member.4.Key': 'warden:expires-at',
      'Tags.member.4.Value': '2026-11-23T12:00:00.000Z',
    });
    expect(server.requests[2]?.params['PolicyDocument']).toBe(put?.operation === 'PutRolePolicy' ? put.input.PolicyDocument : '');
  });

  it('understands IAM’s own error codes: Throttling is retried, EntityAlreadyExists adopts, NoSuchEntity is done', async () => {
    server.fail('PutRolePolicy', 'Throttling', 400, 2);
    await expect(granter().grant(input('r-wire0002'))).resolves.toMatchObject({ roleName: 'warden-r-wire0002' });
    expect(server.requests.filter((r) => r.action === 'PutRolePolicy').map((r) => r.status)).toEqual([400, 400, 200]);

    server.requests.length = 0;
    await granter().grant(input('r-wire0002'));
    expect(server.requests.map((r) => `${r.action}:${r.status}`)).toEqual([
      'AssumeRole:200',
      'CreateRole:409',
      'GetRole:200',
      'UpdateAssumeRolePolicy:200',
      'UpdateRole:200',
      'TagRole:200',
      'PutRolePolicy:200',
    ]);

    const request = input('r-wire0002').request;
    const grant = { grantedAt: '', expiresAt: '', mode: 'aws-iam', handle: { accountId: '111111111111', roleName: 'warden-r-wire0002' } };
    await granter().revoke(request, grant);
    expect(server.roles('111111111111').has('warden-r-wire0002')).toBe(false);
    server.requests.length = 0;
    await granter().revoke(request, grant);
    expect(server.requests.map((r) => `${r.action}:${r.status}`)).toEqual(['AssumeRole:200', 'PutRolePolicy:404', 'DeleteRolePolicy:404', 'DeleteRolePolicy:404', 'DeleteRole:404']);
  });

  it('the inventory reads roles under /warden/ and their tags from real ListRoles / ListRoleTags answers', async () => {
    await granter().grant(input('r-wire0003'));
    const inventory = new IamGrantInventory({ settings: DEFAULT_IAM_GRANT_SETTINGS, clients: sdkClientFactory({ region: 'eu-west-1' }), granter: granter(), retry: fast });
    const found = await inventory.list('111111111111');
    expect(found).toContainEqual({ accountId: '111111111111', name: 'warden-r-wire0003', requestId: 'r-wire0003', expiresAt: '2026-11-23T12:00:00.000Z' });
    expect(server.requests.find((r) => r.action === 'ListRoles')?.params['PathPrefix']).toBe('/warden/');
    expect(server.requests.filter((r) => r.action === 'AssumeRole').at(-1)?.params['RoleSessionName']).toBe('warden-reconcile');
  });
});
