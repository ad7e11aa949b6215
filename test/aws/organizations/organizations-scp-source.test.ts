import { DescribePolicyCommand, ListParentsCommand, ListPoliciesForTargetCommand } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScpSourceConfig } from '../../../src/aws/config.js';
import { organizationsScpSource } from '../../../src/aws/organizations/index.js';
import { ScpUnavailableError, type AccountScps } from '../../../src/policy/scp/index.js';
import { ManualClock } from '../../support/manual-clock.js';
import { awsError, fakeOrganization, MANAGEMENT, ORG_ID, organizations, organizationsCalls, PAYMENTS, POLICY_IDS, PROD_OU, ROOT } from './fake-organizations.js';

const sts = mockClient(STSClient);
const CONFIG: Extract<ScpSourceConfig, { source: 'organizations' }> = { source: 'organizations', region: 'us-east-1', stsRegion: 'eu-west-1', roleArn: undefined, cacheTtlSeconds: 900 };

let clock: ManualClock;
let waits: number[];

function source(config: Partial<typeof CONFIG> = {}) {
  return organizationsScpSource(
    { ...CONFIG, ...config },
    {
      clock,
      accountName: (id) => (id === PAYMENTS ? 'payments-prod' : undefined),
      retry: { runtime: { sleep: async (ms) => void waits.push(ms), random: () => 0.5 } },
    },
  );
}

function found(scps: AccountScps) {
  if (!scps.path.found) throw new Error('account not found');
  return scps.path;
}

beforeEach(() => {
  clock = new ManualClock('2026-11-23T10:00:00Z');
  waits = [];
  fakeOrganization();
  sts.reset();
});

afterEach(() => {
  organizations.reset();
  sts.reset();
});

describe('SCPs read from AWS Organizations', () => {
  it('walks account → OU Prod → root with the exact calls, follows pagination, and returns the chain root first', async () => {
    const scps = await source().forAccount(PAYMENTS);

    const calls = organizationsCalls();
    // The walk, in order: the organization, the parents up to the root with the OU's name, then each level's SCPs.
    expect(calls.filter((c) => c.op !== 'DescribePolicy')).toEqual([
      { op: 'DescribeOrganization', input: {} },
      { op: 'ListParents', input: { ChildId: PAYMENTS } },
      { op: 'DescribeOrganizationalUnit', input: { OrganizationalUnitId: PROD_OU } },
      { op: 'ListParents', input: { ChildId: PROD_OU } },
      { op: 'ListPoliciesForTarget', input: { TargetId: ROOT, Filter: 'SERVICE_CONTROL_POLICY' } },
      { op: 'ListPoliciesForTarget', input: { TargetId: ROOT, Filter: 'SERVICE_CONTROL_POLICY', NextToken: 'root-page-2' } },
      { op: 'ListPoliciesForTarget', input: { TargetId: PROD_OU, Filter: 'SERVICE_CONTROL_POLICY' } },
      { op: 'ListPoliciesForTarget', input: { TargetId: PAYMENTS, Filter: 'SERVICE_CONTROL_POLICY' } },
    ]);
    // Each policy's contents once, however many levels it is attached to.
    expect(calls.filter((c) => c.op === 'DescribePolicy').map((c) => c.input['PolicyId'])).toEqual([
      POLICY_IDS.FullAWSAccess,
      POLICY_IDS['deny-leave-organization'],
      POLICY_IDS['deny-root-user'],
      POLICY_IDS['deny-writes-in-prod'],
    ]);

    expect(scps.organizationId).toBe(ORG_ID);
    const path = found(scps);
    expect(path.path).toEqual(['Root', 'Prod', 'payments-prod']);
    expect(path.exempt).toBe(false);
    expect(path.levels.map((l) => ({ target: l.target, policies: l.policies.map((p) => p.name) }))).toEqual([
      { target: { kind: 'root', id: ROOT, name: 'Root' }, policies: ['FullAWSAccess', 'deny-leave-organization', 'deny-root-user'] },
      { target: { kind: 'ou', id: PROD_OU, name: 'Prod' }, policies: ['FullAWSAccess', 'deny-writes-in-prod'] },
      { target: { kind: 'account', id: PAYMENTS, name: 'payments-prod' }, policies: ['FullAWSAccess'] },
    ]);
  });

  it('reuses an account within the TTL without any call, and reads it again after', async () => {
    const scps = source({ cacheTtlSeconds: 900 });
    await scps.forAccount(PAYMENTS);
    const first = organizations.calls().length;

    clock.advanceMinutes(14);
    await scps.forAccount(PAYMENTS);
    expect(organizations.calls()).toHaveLength(first);

    clock.advanceMinutes(2);
    await scps.forAccount(PAYMENTS);
    expect(organizationsCalls().slice(first).filter((c) => c.op === 'ListParents')).toHaveLength(2);
    expect(organizationsCalls().slice(first).filter((c) => c.op === 'DescribePolicy')).toHaveLength(4);
  });

  it('concurrent requests for one account share one lookup', async () => {
    const scps = source();
    const [a, b, c] = await Promise.all([scps.forAccount(PAYMENTS), scps.forAccount(PAYMENTS), scps.forAccount(PAYMENTS)]);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(organizationsCalls().filter((call) => call.op === 'ListParents')).toHaveLength(2);
  });

  it('an SCP change is seen after the TTL: the policy contents are read again', async () => {
    const scps = source({ cacheTtlSeconds: 60 });
    await scps.forAccount(PAYMENTS);
    organizations.on(DescribePolicyCommand, { PolicyId: POLICY_IDS['deny-writes-in-prod'] }).resolves({
      Policy: { PolicySummary: { Name: 'deny-writes-in-prod' }, Content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'DenyAll', Effect: 'Deny', Action: '*', Resource: '*' }] }) },
    });
    clock.advanceMinutes(2);
    const prod = found(await scps.forAccount(PAYMENTS)).levels[1];
    expect(prod?.policies.find((p) => p.name === 'deny-writes-in-prod')?.statements.map((s) => s.sid)).toEqual(['DenyAll']);
  });

  it('retries a throttled call and then answers', async () => {
    organizations
      .on(ListPoliciesForTargetCommand, { TargetId: PROD_OU, Filter: 'SERVICE_CONTROL_POLICY' })
      .rejectsOnce(awsError('TooManyRequestsException', 'AWS Organizations can not complete your request because another request is already in progress', 429))
      .resolves({ Policies: [{ Id: POLICY_IDS.FullAWSAccess, Name: 'FullAWSAccess' }, { Id: POLICY_IDS['deny-writes-in-prod'], Name: 'deny-writes-in-prod' }] });

    const path = found(await source().forAccount(PAYMENTS));
    expect(path.levels[1]?.policies.map((p) => p.name)).toEqual(['FullAWSAccess', 'deny-writes-in-prod']);
    expect(organizationsCalls().filter((c) => c.op === 'ListPoliciesForTarget' && c.input['TargetId'] === PROD_OU)).toHaveLength(2);
    expect(waits).toHaveLength(1);
  });

  it('throttling past the retries, and a network failure, say so and that the next request tries again', async () => {
    organizations.on(ListParentsCommand).rejects(awsError('TooManyRequestsException', 'slow down', 429));
    await expect(source().forAccount(PAYMENTS)).rejects.toThrow('AWS Organizations kept throttling Warden (TooManyRequestsException, 6 attempts); the next request tries again.');
    expect(waits).toHaveLength(5);

    organizations.on(ListParentsCommand).rejects(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' }));
    await expect(source().forAccount(PAYMENTS)).rejects.toThrow('AWS Organizations could not be reached (ECONNREFUSED); the next request tries again.');
  });

  it('AccessDenied is an error an admin can act on, without the SDK message (it quotes Warden session ARNs)', async () => {
    organizations
      .on(ListParentsCommand)
      .rejects(awsError('AccessDeniedException', 'User: arn:aws:sts::123456789012:assumed-role/warden/i-0abc is not authorized to perform: organizations:ListParents'));
    const error = await source().forAccount(PAYMENTS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScpUnavailableError);
    expect((error as Error).message).toMatch(/denied access \(AccessDeniedException\).*WARDEN_ORG_ROLE_ARN.*organizations:ListParents/);
    expect((error as Error).message).not.toContain('123456789012');
  });

  it('a failure is not cached: once access is fixed, the next request reads the SCPs', async () => {
    const scps = source();
    organizations
      .on(ListParentsCommand, { ChildId: PAYMENTS })
      .rejectsOnce(awsError('AccessDeniedException', 'not authorized'))
      .resolves({ Parents: [{ Id: PROD_OU, Type: 'ORGANIZATIONAL_UNIT' }] });
    await expect(scps.forAccount(PAYMENTS)).rejects.toThrow(/AccessDeniedException/);
    expect(found(await scps.forAccount(PAYMENTS)).path).toEqual(['Root', 'Prod', 'payments-prod']);
  });

  it('a malformed SCP in Organizations is an error naming the policy id', async () => {
    organizations.on(DescribePolicyCommand, { PolicyId: POLICY_IDS['deny-writes-in-prod'] }).resolves({
      Policy: { PolicySummary: { Name: 'deny-writes-in-prod' }, Content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'DenyWrites', Effect: 'Maybe', Action: 's3:PutObject', Resource: '*' }] }) },
    });
    const error = await source().forAccount(PAYMENTS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScpUnavailableError);
    expect((error as Error).message).toMatch(new RegExp(`SCP ${POLICY_IDS['deny-writes-in-prod']} \\(deny-writes-in-prod\\) in AWS Organizations is not a policy document.*Effect`));

    organizations.on(DescribePolicyCommand, { PolicyId: POLICY_IDS['deny-writes-in-prod'] }).resolves({ Policy: { Content: '{"Version": "2012-10-17", "Statement": [' } });
    clock.advanceMinutes(1);
    await expect(source().forAccount(PAYMENTS)).rejects.toThrow(/SCP p-denywrite1 \(deny-writes-in-prod\) in AWS Organizations is not valid JSON/);
  });

  it('an account outside the organization is "not found"; the management account is exempt', async () => {
    organizations.on(ListParentsCommand, { ChildId: '333333333333' }).rejects(awsError('ChildNotFoundException', 'We can’t find an organizational unit (OU) or AWS account with the ChildId that you specified.'));
    const scps = source();
    expect((await scps.forAccount('333333333333')).path).toEqual({ found: false, accountId: '333333333333' });
    expect((await scps.forAccount(MANAGEMENT)).path).toEqual({ found: true, accountId: MANAGEMENT, path: ['Root', MANAGEMENT], levels: [], exempt: true });
  });

  it('with WARDEN_ORG_ROLE_ARN, reads through the assumed role, assuming it once while its credentials last', async () => {
    const roleArn = 'arn:aws:iam::999999999999:role/warden-scp-reader';
    sts.on(AssumeRoleCommand).resolves({
      Credentials: { AccessKeyId: 'AKIAORGREAD', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date(clock.now().getTime() + 60 * 60_000) },
    });
    const scps = source({ roleArn, cacheTtlSeconds: 60 });
    await scps.forAccount(PAYMENTS);
    clock.advanceMinutes(5);
    await scps.forAccount(PAYMENTS);

    expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input)).toEqual([{ RoleArn: roleArn, RoleSessionName: 'warden-scps' }]);
    const client = organizations.call(0).thisValue as { config: { credentials: () => Promise<{ accessKeyId: string }>; region: () => Promise<string> } };
    expect((await client.config.credentials()).accessKeyId).toBe('AKIAORGREAD');
    expect(await client.config.region()).toBe('us-east-1');
  });

  it('a role Warden cannot assume is named in the error', async () => {
    sts.on(AssumeRoleCommand).rejects(awsError('AccessDenied', 'User: arn:aws:sts::123456789012:assumed-role/warden is not authorized to perform: sts:AssumeRole'));
    await expect(source({ roleArn: 'arn:aws:iam::999999999999:role/warden-scp-reader' }).forAccount(PAYMENTS)).rejects.toThrow(
      /could not assume WARDEN_ORG_ROLE_ARN arn:aws:iam::999999999999:role\/warden-scp-reader \(AccessDenied\)/,
    );
    expect(organizations.calls()).toHaveLength(0);
  });
});
