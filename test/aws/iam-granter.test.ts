import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GrantInput } from '../../src/access/granter.js';
import type { Grant } from '../../src/access/types.js';
import { DryRunGranter, type AwsCall } from '../../src/aws/dry-run-granter.js';
import { sdkClientFactory } from '../../src/aws/iam/clients.js';
import { IamGranter, IamStepError, type MadeCall } from '../../src/aws/iam/iam-granter.js';
import { DEFAULT_IAM_GRANT_SETTINGS, type IamGrantSettings } from '../../src/aws/iam/plan.js';
import type { RetryRuntime } from '../../src/aws/retry.js';
import { makeDraft, makeRequest } from '../support/builders.js';
import { ManualClock } from '../support/manual-clock.js';
import { sampleOrg } from '../support/org.js';
import { accessDenied, FakeAws, throttling } from './support/fake-aws.js';

const ACCOUNT = sampleOrg.accounts[0]!; // payments-prod, 111111111111
const ANA = sampleOrg.users[0]!;
const ROLE_PATH_ARN = (id: string) => `arn:aws:iam::111111111111:role/warden/warden-${id}`;

let fake: FakeAws;
let clock: ManualClock;
let sleeps: number[];
let runtime: RetryRuntime;

beforeEach(() => {
  clock = new ManualClock('2026-11-23T10:00:00Z');
  fake = new FakeAws({ now: () => clock.now() });
  sleeps = [];
  // The top of each backoff window, so the waits are the policy's ceilings.
  runtime = { sleep: async (ms) => void sleeps.push(ms), random: () => 0.999 };
});

afterEach(() => fake.restore());

function granter(options: { settings?: IamGrantSettings; onCall?: (requestId: string, call: MadeCall) => Promise<void> } = {}) {
  return new IamGranter({
    settings: options.settings ?? DEFAULT_IAM_GRANT_SETTINGS,
    clients: sdkClientFactory({ region: 'eu-west-1' }),
    clock,
    retry: { runtime },
    ...(options.onCall ? { onCall: options.onCall } : {}),
  });
}

function grantInput(id = 'r-7k2m9x4q', minutes = 120): GrantInput {
  const grantedAt = clock.now();
  const request = makeRequest({ id, state: 'granting', requesterId: 'ana', draft: makeDraft({ durationMinutes: minutes }), approvals: [{ userId: 'ben', at: grantedAt.toISOString() }] });
  return { request, requester: ANA, account: ACCOUNT, grantedAt, expiresAt: new Date(grantedAt.getTime() + minutes * 60_000) };
}

function grantOf(input: GrantInput, handle: Grant['handle']): Grant {
  return { grantedAt: input.grantedAt.toISOString(), expiresAt: input.expiresAt.toISOString(), mode: 'aws-iam', handle };
}

async function dryRunCalls(run: (g: DryRunGranter) => Promise<unknown>, settings = DEFAULT_IAM_GRANT_SETTINGS): Promise<AwsCall[]> {
  const calls: AwsCall[] = [];
  await run(new DryRunGranter(async (_id, call) => void calls.push(call), { clock, settings }));
  return calls;
}

describe('IAM granter: grant', () => {
  it('assumes the grant role, creates the bounded per-request role and puts the expiring policy: exactly the dry-run calls', async () => {
    const input = grantInput();
    const handle = await granter().grant(input);

    expect(handle).toEqual({ accountId: '111111111111', roleName: 'warden-r-7k2m9x4q', roleArn: ROLE_PATH_ARN('r-7k2m9x4q') });
    expect(fake.madeCalls()).toEqual(await dryRunCalls((g) => g.grant(input)));

    const [assume, create, put] = fake.madeCalls();
    expect(assume).toEqual({
      service: 'sts',
      operation: 'AssumeRole',
      input: { RoleArn: 'arn:aws:iam::111111111111:role/warden-grant', RoleSessionName: 'warden-r-7k2m9x4q', DurationSeconds: 900 },
    });
    expect(create?.operation).toBe('CreateRole');
    expect(create?.input).toMatchObject({
      RoleName: 'warden-r-7k2m9x4q',
      Path: '/warden/',
      MaxSessionDuration: 7200,
      PermissionsBoundary: 'arn:aws:iam::111111111111:policy/warden-grant-boundary',
      Tags: [
        { Key: 'warden:request-id', Value: 'r-7k2m9x4q' },
        { Key: 'warden:requester', Value: 'ana' },
        { Key: 'warden:approvers', Value: 'ben' },
        { Key: 'warden:expires-at', Value: '2026-11-23T12:00:00.000Z' },
      ],
    });
    expect(JSON.parse(String(create?.input['AssumeRolePolicyDocument']))).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'WardenRequester',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111111111111:role/ana' },
          Action: 'sts:AssumeRole',
          Condition: { DateLessThan: { 'aws:CurrentTime': '2026-11-23T12:00:00Z' } },
        },
      ],
    });
    expect(put).toMatchObject({ operation: 'PutRolePolicy', input: { RoleName: 'warden-r-7k2m9x4q', PolicyName: 'warden-grant' } });
    const policy = JSON.parse(String(put?.input['PolicyDocument'])) as { Statement: { Effect: string; Action: string[]; Resource: string[]; Condition: unknown }[] };
    expect(policy.Statement.map((s) => [s.Effect, s.Action, s.Resource])).toEqual([
      ['Allow', ['s3:ListBucket'], ['arn:aws:s3:::billing-reports']],
      ['Allow', ['s3:GetObject'], ['arn:aws:s3:::billing-reports/*']],
    ]);
    for (const s of policy.Statement) expect(s.Condition).toEqual({ DateLessThan: { 'aws:CurrentTime': '2026-11-23T12:00:00Z' } });

    // IAM calls are signed with the assumed role's credentials, in the target account.
    expect(fake.seen.filter((c) => c.service === 'iam').map((c) => c.accountId)).toEqual(['111111111111', '111111111111']);
    expect(fake.roleIn('111111111111', 'warden-r-7k2m9x4q')?.policies['warden-grant']).toEqual(policy);
  });

  it('keeps the maximum session as short as the grant, within IAM’s 1–12 hour bounds', async () => {
    for (const [minutes, expected] of [[30, 3600], [90, 5400], [24 * 60, 43200]] as const) {
      fake.reset();
      await granter().grant(grantInput(`r-dur${minutes}`, minutes));
      expect(fake.madeCalls().find((c) => c.operation === 'CreateRole')?.input['MaxSessionDuration']).toBe(expected);
    }
  });

  it('sends the configured external id and builds ARNs in the configured partition', async () => {
    const settings: IamGrantSettings = { partition: 'aws-us-gov', grantRoleName: 'warden-grant-gov', externalId: 'warden-7f3a', permissionsBoundaryName: 'warden-boundary' };
    const input = grantInput();
    const handle = await granter({ settings }).grant(input);
    expect(fake.madeCalls()[0]?.input).toEqual({ RoleArn: 'arn:aws-us-gov:iam::111111111111:role/warden-grant-gov', RoleSessionName: 'warden-r-7k2m9x4q', DurationSeconds: 900, ExternalId: 'warden-7f3a' });
    expect(fake.madeCalls()[1]?.input['PermissionsBoundary']).toBe('arn:aws-us-gov:iam::111111111111:policy/warden-boundary');
    expect(handle['roleArn']).toBe('arn:aws-us-gov:iam::111111111111:role/warden/warden-r-7k2m9x4q');
    expect(fake.madeCalls()).toEqual(await dryRunCalls((g) => g.grant(input), settings));
  });

  it('retries throttling with growing waits, then succeeds', async () => {
    fake.fail('AssumeRole', throttling, 1);
    fake.fail('CreateRole', throttling, 2);
    await granter().grant(grantInput());
    expect(fake.seen.map((c) => `${c.operation}:${c.outcome}`)).toEqual([
      'AssumeRole:Throttling',
      'AssumeRole:ok',
      'CreateRole:Throttling',
      'CreateRole:Throttling',
      'CreateRole:ok',
      'PutRolePolicy:ok',
    ]);
    expect(sleeps).toEqual([199, 199, 399]);
  });

  it('gives up after the retry budget and names the call, the role and the account', async () => {
    fake.fail('PutRolePolicy', throttling, 99);
    const error = await granter().grant(grantInput()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IamStepError);
    expect(String((error as Error).message)).toMatch(/PutRolePolicy of warden-r-7k2m9x4q in 111111111111 failed: IAM PutRolePolicy warden-r-7k2m9x4q failed after 6 attempts: Rate exceeded/);
    expect(fake.seen.filter((c) => c.operation === 'PutRolePolicy')).toHaveLength(6);
  });

  it('does not retry an error that will not go away', async () => {
    fake.fail('CreateRole', () => accessDenied('iam:CreateRole'), 5);
    await expect(granter().grant(grantInput())).rejects.toThrow(/CreateRole of warden-r-7k2m9x4q in 111111111111 failed: not authorized to perform: iam:CreateRole/);
    expect(fake.seen.filter((c) => c.operation === 'CreateRole')).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('will not take over an existing role that is not this request’s', async () => {
    fake.seedRole('111111111111', { RoleName: 'warden-r-7k2m9x4q', Path: '/warden/', RoleId: 'AROAX', Tags: [{ Key: 'team', Value: 'payments' }] });
    await expect(granter().grant(grantInput())).rejects.toThrow(/not tagged warden:request-id=r-7k2m9x4q; Warden will not take it over/);
    expect(fake.seen.map((c) => c.operation)).toEqual(['AssumeRole', 'CreateRole', 'GetRole']);
    expect(fake.roleIn('111111111111', 'warden-r-7k2m9x4q')?.policies).toEqual({});
  });

  it('reports every call it made, with its outcome, for the audit log', async () => {
    const made: MadeCall[] = [];
    await granter({ onCall: async (_id, call) => void made.push(call) }).grant(grantInput());
    expect(made.map((c) => `${c.service}:${c.operation}:${c.outcome}`)).toEqual(['sts:AssumeRole:done', 'iam:CreateRole:done', 'iam:PutRolePolicy:done']);
  });
});

describe('IAM granter: revoke', () => {
  async function granted() {
    const input = grantInput();
    const handle = await granter().grant(input);
    fake.reset();
    clock.advanceMinutes(30);
    return { input, grant: grantOf(input, handle) };
  }

  it('cuts sessions issued until now, removes both policies, then the role: exactly the dry-run calls', async () => {
    const { input, grant } = await granted();
    await granter().revoke(input.request, grant);

    expect(fake.madeCalls()).toEqual(await dryRunCalls((g) => g.revoke(input.request, grant)));
    expect(fake.madeCalls().map((c) => [c.operation, c.input['PolicyName'] ?? null])).toEqual([
      ['AssumeRole', null],
      ['PutRolePolicy', 'warden-revoke-sessions'],
      ['DeleteRolePolicy', 'warden-grant'],
      ['DeleteRolePolicy', 'warden-revoke-sessions'],
      ['DeleteRole', null],
    ]);
    expect(JSON.parse(String(fake.madeCalls()[1]?.input['PolicyDocument']))).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'WardenRevokeOlderSessions', Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': '2026-11-23T10:30:00Z' } } }],
    });
    expect(fake.roleNames('111111111111')).toEqual([]);
  });

  it('rounds the session cut up to the next second, so a session issued in this second is cut too', async () => {
    const { input, grant } = await granted();
    clock.advanceMinutes(0.01); // 10:30:00.600
    await granter().revoke(input.request, grant);
    expect(String(fake.madeCalls()[1]?.input['PolicyDocument'])).toContain('"aws:TokenIssueTime":"2026-11-23T10:30:01Z"');
  });

  it('a revoke that is throttled twice then succeeds', async () => {
    const { input, grant } = await granted();
    fake.fail('DeleteRole', throttling, 2);
    await granter().revoke(input.request, grant);
    expect(fake.seen.filter((c) => c.operation === 'DeleteRole').map((c) => c.outcome)).toEqual(['Throttling', 'Throttling', 'ok']);
    expect(sleeps).toEqual([199, 399]);
    expect(fake.roleNames('111111111111')).toEqual([]);
  });

  it('succeeds when everything is already gone (revoking twice)', async () => {
    const { input, grant } = await granted();
    await granter().revoke(input.request, grant);
    fake.reset();
    const made: MadeCall[] = [];
    await granter({ onCall: async (_id, call) => void made.push(call) }).revoke(input.request, grant);
    expect(made.map((c) => `${c.operation}:${c.outcome}`)).toEqual([
      'AssumeRole:done',
      'PutRolePolicy:already-done',
      'DeleteRolePolicy:already-done',
      'DeleteRolePolicy:already-done',
      'DeleteRole:already-done',
    ]);
  });

  it('refuses a stored handle that names some other role', async () => {
    const { input, grant } = await granted();
    const tampered = { ...grant, handle: { ...grant.handle, roleName: 'OrganizationAccountAccessRole' } };
    await expect(granter().revoke(input.request, tampered)).rejects.toThrow(/refusing to revoke/);
    await expect(new DryRunGranter(async () => undefined).revoke(input.request, tampered)).rejects.toThrow(/refusing to revoke/);
    expect(fake.seen).toEqual([]);
  });

  it('stops at a failure that is not "already gone" and keeps the session cut in place', async () => {
    const { input, grant } = await granted();
    fake.fail('DeleteRolePolicy', () => accessDenied('iam:DeleteRolePolicy'), 1);
    await expect(granter().revoke(input.request, grant)).rejects.toThrow(IamStepError);
    const left = fake.roleIn('111111111111', 'warden-r-7k2m9x4q');
    expect(Object.keys(left?.policies ?? {}).sort()).toEqual(['warden-grant', 'warden-revoke-sessions']);
  });
});

/**
 * A crash (the process dying) right after each step: the next run of the same operation, keyed by
 * the request id, finishes the job. The crash is simulated by the audit sink throwing after the call.
 */
describe('IAM granter: crash between steps', () => {
  class Crash extends Error {}
  const crashAfter = (operation: string, nth = 1) => {
    let seen = 0;
    return async (_id: string, call: MadeCall) => {
      if (call.operation === operation && ++seen === nth) throw new Crash(`crash after ${operation}`);
    };
  };

  for (const operation of ['AssumeRole', 'CreateRole']) {
    it(`grant: a crash after ${operation} is repaired by the next grant`, async () => {
      const input = grantInput();
      await expect(granter({ onCall: crashAfter(operation) }).grant(input)).rejects.toThrow(Crash);
      fake.reset();
      const made: MadeCall[] = [];
      const handle = await granter({ onCall: async (_id, call) => void made.push(call) }).grant(input);
      expect(handle['roleName']).toBe('warden-r-7k2m9x4q');
      const role = fake.roleIn('111111111111', 'warden-r-7k2m9x4q');
      expect(Object.keys(role?.policies ?? {})).toEqual(['warden-grant']);
      if (operation === 'CreateRole') {
        expect(made.map((c) => `${c.operation}:${c.outcome}`)).toEqual(['AssumeRole:done', 'CreateRole:adopted', 'PutRolePolicy:done']);
        expect(fake.seen.map((c) => `${c.operation}:${c.outcome}`)).toEqual([
          'AssumeRole:ok',
          'CreateRole:EntityAlreadyExistsException',
          'GetRole:ok',
          'UpdateAssumeRolePolicy:ok',
          'UpdateRole:ok',
          'TagRole:ok',
          'PutRolePolicy:ok',
        ]);
      }
    });
  }

  it('grant again of the same request with a later expiry brings the role up to date', async () => {
    const first = grantInput();
    await granter().grant(first);
    clock.advanceMinutes(60);
    const again = { ...first, grantedAt: clock.now(), expiresAt: new Date(clock.now().getTime() + 240 * 60_000) };
    await granter().grant(again);
    const role = fake.roleIn('111111111111', 'warden-r-7k2m9x4q')?.role;
    expect(role?.MaxSessionDuration).toBe(14400);
    expect(role?.Tags).toContainEqual({ Key: 'warden:expires-at', Value: '2026-11-23T15:00:00.000Z' });
    expect(decodeURIComponent(role?.AssumeRolePolicyDocument ?? '')).toContain('2026-11-23T15:00:00Z');
    expect(JSON.stringify(fake.roleIn('111111111111', 'warden-r-7k2m9x4q')?.policies)).toContain('2026-11-23T15:00:00Z');
  });

  for (const [operation, nth] of [['AssumeRole', 1], ['PutRolePolicy', 1], ['DeleteRolePolicy', 1], ['DeleteRolePolicy', 2]] as const) {
    it(`revoke: a crash after ${operation} #${nth} is repaired by the next revoke`, async () => {
      const input = grantInput();
      const grant = grantOf(input, await granter().grant(input));
      await expect(granter({ onCall: crashAfter(operation, nth) }).revoke(input.request, grant)).rejects.toThrow(Crash);
      expect(fake.roleNames('111111111111')).toEqual(['warden-r-7k2m9x4q']);
      await granter().revoke(input.request, grant);
      expect(fake.roleNames('111111111111')).toEqual([]);
    });
  }

  it('revoke after a grant that stopped before its policy removes the bare role', async () => {
    const input = grantInput();
    await expect(granter({ onCall: crashAfter('CreateRole') }).grant(input)).rejects.toThrow(Crash);
    await granter().revoke(input.request, grantOf(input, { accountId: '111111111111', roleName: 'warden-r-7k2m9x4q' }));
    expect(fake.roleNames('111111111111')).toEqual([]);
  });
});
