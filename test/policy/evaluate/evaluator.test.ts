import { describe, expect, it } from 'vitest';
import {
  compilePolicy,
  createRequestContext,
  deriveAllowedIf,
  evaluateAccess,
  PolicyCompileError,
  type CompiledPolicy,
  type EvaluationPolicies,
  type PolicyStatement,
  type RequestContext,
  type ScpLevel,
} from '../../../src/policy/evaluate/index.js';

const ACCOUNT = '111111111111';
const DEV = `arn:aws:iam::${ACCOUNT}:role/dev`;
const OBJECT = 'arn:aws:s3:::billing-reports/2024/jan.csv';
const TABLE = `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/orders`;

function policy(name: string, ...statements: PolicyStatement[]): CompiledPolicy {
  return compilePolicy(name, { Version: '2012-10-17', Statement: statements });
}

const FULL_AWS_ACCESS = policy('FullAWSAccess', { Sid: 'FullAWSAccess', Effect: 'Allow', Action: '*', Resource: '*' });
const GRANT = policy('warden-grant', { Sid: 'WardenGrant1', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 'dynamodb:GetItem', 'iam:GetRole'], Resource: '*' });

function level(kind: ScpLevel['target']['kind'], name: string, ...policies: CompiledPolicy[]): ScpLevel {
  return { target: { kind, id: kind === 'root' ? 'r-a1b2' : kind === 'ou' ? `ou-a1b2-${name.toLowerCase()}` : ACCOUNT, name }, policies };
}

function ctx(values: Record<string, string | string[]> = {}): RequestContext {
  return createRequestContext({ 'aws:PrincipalArn': DEV, 'aws:RequestedRegion': 'eu-west-1', ...values });
}

function check(policies: EvaluationPolicies, action: string, resource: string, context: RequestContext = ctx()) {
  return evaluateAccess(policies, { action, resource, context });
}

/** AWS's documented region-restriction example: global services are exempt through NotAction. */
const REGION_RESTRICTION = policy('region-restriction', {
  Sid: 'DenyOutsideEU',
  Effect: 'Deny',
  NotAction: ['iam:*', 'organizations:*', 'sts:*', 'support:*', 'cloudfront:*', 'route53:*'],
  Resource: '*',
  Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1', 'eu-central-1'] } },
});

describe('region restriction through aws:RequestedRegion', () => {
  const policies: EvaluationPolicies = { identity: [GRANT], scps: [level('root', 'Root', FULL_AWS_ACCESS, REGION_RESTRICTION), level('account', 'payments-prod', FULL_AWS_ACCESS)] };

  it('allows a regional action in an allowed region', () => {
    expect(check(policies, 's3:GetObject', OBJECT).decision).toBe('allowed');
  });

  it('denies it elsewhere, naming the SCP, the statement and where it is attached', () => {
    const verdict = check(policies, 'dynamodb:GetItem', TABLE, ctx({ 'aws:RequestedRegion': 'us-east-1' }));
    expect(verdict.decision).toBe('explicit-deny');
    expect(verdict.deniedBy).toEqual([
      { kind: 'scp', policy: 'region-restriction', statement: 'DenyOutsideEU', statementIndex: 0, target: { kind: 'root', id: 'r-a1b2', name: 'Root' } },
    ]);
  });

  it('says which regions would allow it', () => {
    const query = { action: 'dynamodb:GetItem', resource: TABLE, context: ctx({ 'aws:RequestedRegion': 'us-east-1' }) };
    const allowedIf = deriveAllowedIf(policies, query);
    expect(allowedIf).toEqual([{ requirements: [{ key: 'aws:RequestedRegion', values: ['eu-west-1', 'eu-central-1'] }], text: 'aws:RequestedRegion is eu-west-1 or eu-central-1' }]);
  });

  it('leaves global services in the NotAction deny-list alone', () => {
    expect(check(policies, 'iam:GetRole', `arn:aws:iam::${ACCOUNT}:role/app`, ctx({ 'aws:RequestedRegion': 'us-east-1' })).decision).toBe('allowed');
  });

  it('denies when the region is unknown: StringNotEquals matches a missing key', () => {
    const noRegion = createRequestContext({ 'aws:PrincipalArn': DEV });
    expect(check(policies, 's3:GetObject', OBJECT, noRegion).decision).toBe('explicit-deny');
  });
});

describe('NotAction deny-lists', () => {
  it('denies everything except the listed actions', () => {
    const onlyReads = policy('only-reads', { Sid: 'DenyAllButReads', Effect: 'Deny', NotAction: ['s3:Get*', 's3:List*'], Resource: '*' });
    const policies: EvaluationPolicies = { identity: [GRANT], scps: [level('root', 'Root', FULL_AWS_ACCESS, onlyReads)] };
    expect(check(policies, 's3:GetObject', OBJECT).decision).toBe('allowed');
    expect(check(policies, 's3:PutObject', OBJECT)).toMatchObject({ decision: 'explicit-deny', deniedBy: [{ statement: 'DenyAllButReads' }] });
  });

  it('matches action names case-insensitively, as IAM does', () => {
    const mixed = policy('mixed', { Effect: 'Allow', Action: 'S3:getobject', Resource: '*' });
    expect(check({ identity: [mixed] }, 's3:GetObject', OBJECT).decision).toBe('allowed');
  });
});

describe('SCPs along the OU path', () => {
  const denyWrites = policy('deny-writes-in-prod', { Sid: 'DenyWrites', Effect: 'Deny', Action: ['s3:PutObject', 's3:DeleteObject'], Resource: '*' });

  it('a Deny on a parent OU applies to accounts in child OUs', () => {
    const policies: EvaluationPolicies = {
      identity: [GRANT],
      scps: [
        level('root', 'Root', FULL_AWS_ACCESS),
        level('ou', 'Workloads', FULL_AWS_ACCESS, denyWrites),
        level('ou', 'Prod', FULL_AWS_ACCESS),
        level('account', 'payments-prod', FULL_AWS_ACCESS),
      ],
    };
    const verdict = check(policies, 's3:PutObject', OBJECT);
    expect(verdict.decision).toBe('explicit-deny');
    expect(verdict.deniedBy[0]?.target).toEqual({ kind: 'ou', id: 'ou-a1b2-workloads', name: 'Workloads' });
    expect(check(policies, 's3:GetObject', OBJECT).decision).toBe('allowed');
  });

  it('every level must allow: FullAWSAccess missing on one OU is an implicit deny that names it', () => {
    const policies: EvaluationPolicies = { identity: [GRANT], scps: [level('root', 'Root', FULL_AWS_ACCESS), level('ou', 'Prod', denyWrites)] };
    const verdict = check(policies, 's3:GetObject', OBJECT);
    expect(verdict.decision).toBe('implicit-deny');
    expect(verdict.missingAllow).toEqual([{ kind: 'scp', target: { kind: 'ou', id: 'ou-a1b2-prod', name: 'Prod' }, partial: false }]);
  });

  it('allow-list strategy without FullAWSAccess: only listed services pass that OU', () => {
    const allowList = policy('sandbox-allow-list', { Sid: 'AllowListed', Effect: 'Allow', Action: ['s3:*', 'ec2:Describe*'], Resource: '*' });
    const policies: EvaluationPolicies = { identity: [GRANT], scps: [level('root', 'Root', FULL_AWS_ACCESS), level('ou', 'Sandbox', allowList), level('account', 'sandbox', FULL_AWS_ACCESS)] };
    expect(check(policies, 's3:GetObject', OBJECT)).toMatchObject({ decision: 'allowed' });
    expect(check(policies, 'dynamodb:GetItem', TABLE)).toMatchObject({
      decision: 'implicit-deny',
      missingAllow: [{ kind: 'scp', target: { name: 'Sandbox' } }],
    });
  });

  it('no SCPs (no organization, or the management account) restrict nothing', () => {
    expect(check({ identity: [GRANT], scps: [] }, 's3:PutObject', OBJECT).decision).toBe('allowed');
    expect(check({ identity: [GRANT] }, 's3:PutObject', OBJECT).decision).toBe('allowed');
  });

  it('the identity policy must still allow: SCPs never grant', () => {
    const verdict = check({ identity: [GRANT], scps: [level('root', 'Root', FULL_AWS_ACCESS)] }, 'sqs:SendMessage', `arn:aws:sqs:eu-west-1:${ACCOUNT}:jobs`);
    expect(verdict).toMatchObject({ decision: 'implicit-deny', missingAllow: [{ kind: 'identity' }] });
  });
});

describe('conditions on aws:PrincipalArn', () => {
  const onlyDeployers = policy('deny-writes-in-prod', {
    Sid: 'DenyWritesExceptDeploy',
    Effect: 'Deny',
    Action: 's3:PutObject',
    Resource: '*',
    Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/deploy-*' } },
  });
  const policies: EvaluationPolicies = { identity: [GRANT], scps: [level('root', 'Root', FULL_AWS_ACCESS, onlyDeployers)] };

  it('denies people, allows the deploy role', () => {
    expect(check(policies, 's3:PutObject', OBJECT).decision).toBe('explicit-deny');
    expect(check(policies, 's3:PutObject', OBJECT, ctx({ 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/deploy-main` })).decision).toBe('allowed');
  });

  it('names the principal pattern that would be allowed', () => {
    const [allowedIf] = deriveAllowedIf(policies, { action: 's3:PutObject', resource: OBJECT, context: ctx() });
    expect(allowedIf?.requirements).toEqual([{ key: 'aws:PrincipalArn', values: ['arn:aws:iam::*:role/deploy-*'] }]);
  });
});

describe('missing keys, IfExists and multivalued keys', () => {
  const base = (condition: PolicyStatement['Condition'], effect: 'Allow' | 'Deny' = 'Deny'): EvaluationPolicies => ({
    identity: [GRANT, policy('conditional', { Sid: 'Conditional', Effect: effect, Action: 's3:GetObject', Resource: '*', Condition: condition })],
  });

  it('StringNotEquals matches a missing key, so the Deny applies', () => {
    const policies = base({ StringNotEquals: { 'aws:PrincipalTag/team': 'payments' } });
    expect(check(policies, 's3:GetObject', OBJECT).decision).toBe('explicit-deny');
    expect(check(policies, 's3:GetObject', OBJECT, ctx({ 'aws:PrincipalTag/team': 'payments' })).decision).toBe('allowed');
  });

  it('StringEquals does not match a missing key', () => {
    const policies = base({ StringEquals: { 'aws:PrincipalTag/team': 'payments' } });
    expect(check(policies, 's3:GetObject', OBJECT).decision).toBe('allowed');
  });

  it('…IfExists matches when the key is absent, and tests it when present', () => {
    const policies = base({ BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } });
    expect(check(policies, 's3:GetObject', OBJECT).decision).toBe('explicit-deny');
    expect(check(policies, 's3:GetObject', OBJECT, ctx({ 'aws:MultiFactorAuthPresent': 'false' })).decision).toBe('explicit-deny');
    expect(check(policies, 's3:GetObject', OBJECT, ctx({ 'aws:MultiFactorAuthPresent': 'true' })).decision).toBe('allowed');
    const allowIfExists = { identity: [policy('p', { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEqualsIfExists: { 'aws:PrincipalTag/team': 'payments' } } })] };
    expect(check(allowIfExists, 's3:GetObject', OBJECT).decision).toBe('allowed');
    expect(check(allowIfExists, 's3:GetObject', OBJECT, ctx({ 'aws:PrincipalTag/team': 'ops' })).decision).toBe('implicit-deny');
  });

  it('ForAllValues: every request value must be listed; an absent key passes', () => {
    const only = { identity: [policy('p', { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } } })] };
    expect(check(only, 's3:GetObject', OBJECT, ctx({ 'aws:TagKeys': ['env'] })).decision).toBe('allowed');
    expect(check(only, 's3:GetObject', OBJECT, ctx({ 'aws:TagKeys': ['env', 'owner'] })).decision).toBe('implicit-deny');
    expect(check(only, 's3:GetObject', OBJECT).decision).toBe('allowed');
  });

  it('ForAnyValue: one listed value is enough; an absent or empty key fails', () => {
    const only = { identity: [policy('p', { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { 'ForAnyValue:StringLike': { 'aws:TagKeys': 'own*' } } })] };
    expect(check(only, 's3:GetObject', OBJECT, ctx({ 'aws:TagKeys': ['env', 'owner'] })).decision).toBe('allowed');
    expect(check(only, 's3:GetObject', OBJECT, ctx({ 'aws:TagKeys': ['env'] })).decision).toBe('implicit-deny');
    expect(check(only, 's3:GetObject', OBJECT, ctx({ 'aws:TagKeys': [] })).decision).toBe('implicit-deny');
    expect(check(only, 's3:GetObject', OBJECT).decision).toBe('implicit-deny');
  });

  it('a single-valued operator never matches a multivalued key', () => {
    const only = { identity: [policy('p', { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:TagKeys': 'env' } } })] };
    expect(check(only, 's3:GetObject', OBJECT, ctx({ 'aws:TagKeys': ['env'] })).decision).toBe('implicit-deny');
  });
});

describe('resources', () => {
  it('substitutes policy variables, with defaults, and reads substituted "*" literally', () => {
    const home = policy('home', { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::billing-reports/${aws:PrincipalTag/team, \'shared\'}/*' });
    expect(check({ identity: [home] }, 's3:GetObject', 'arn:aws:s3:::billing-reports/payments/a.csv', ctx({ 'aws:PrincipalTag/team': 'payments' })).decision).toBe('allowed');
    expect(check({ identity: [home] }, 's3:GetObject', 'arn:aws:s3:::billing-reports/shared/a.csv').decision).toBe('allowed');
    expect(check({ identity: [home] }, 's3:GetObject', 'arn:aws:s3:::billing-reports/payments/a.csv', ctx({ 'aws:PrincipalTag/team': '*' })).decision).toBe('implicit-deny');
  });

  it('reads variables literally under the 2008-10-17 policy language', () => {
    const old = compilePolicy('old', { Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/${aws:username}/*' }] });
    expect(check({ identity: [old] }, 's3:GetObject', 'arn:aws:s3:::b/ana/x', ctx({ 'aws:username': 'ana' })).decision).toBe('implicit-deny');
    expect(check({ identity: [old] }, 's3:GetObject', 'arn:aws:s3:::b/${aws:username}/x', ctx({ 'aws:username': 'ana' })).decision).toBe('allowed');
  });

  it('keeps "*" inside the region segment', () => {
    const euOnly = policy('eu', { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: `arn:aws:dynamodb:eu-*-1:${ACCOUNT}:table/*` });
    expect(check({ identity: [euOnly] }, 'dynamodb:GetItem', TABLE).decision).toBe('allowed');
    expect(check({ identity: [euOnly] }, 'dynamodb:GetItem', `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`).decision).toBe('implicit-deny');
  });

  it('NotResource in an Allow grants everything else', () => {
    const notAudit = policy('not-audit', { Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::audit-logs/*' });
    expect(check({ identity: [notAudit] }, 's3:GetObject', OBJECT).decision).toBe('allowed');
    expect(check({ identity: [notAudit] }, 's3:GetObject', 'arn:aws:s3:::audit-logs/x').decision).toBe('implicit-deny');
  });

  it('a drafted pattern is allowed only when every resource it names is', () => {
    const policies: EvaluationPolicies = {
      identity: [policy('grant', { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::billing-reports/*' })],
      scps: [level('root', 'Root', FULL_AWS_ACCESS, policy('protect', { Sid: 'ProtectLegal', Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::billing-reports/legal/*' }))],
    };
    expect(check(policies, 's3:GetObject', 'arn:aws:s3:::billing-reports/2024/*')).toMatchObject({ decision: 'allowed', partial: false });
    expect(check(policies, 's3:GetObject', 'arn:aws:s3:::billing-reports/legal/*')).toMatchObject({ decision: 'explicit-deny', partial: false });
    expect(check(policies, 's3:GetObject', 'arn:aws:s3:::billing-reports/*')).toMatchObject({ decision: 'explicit-deny', partial: true, deniedBy: [{ statement: 'ProtectLegal' }] });
    expect(check(policies, 's3:GetObject', 'arn:aws:s3:::billing-*/*')).toMatchObject({ decision: 'explicit-deny', partial: true });
  });
});

describe('permissions boundary', () => {
  const boundary = policy('boundary', { Sid: 'ReadOnly', Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: '*' });

  it('caps what the identity policy grants', () => {
    expect(check({ identity: [GRANT], boundary }, 's3:GetObject', OBJECT).decision).toBe('allowed');
    expect(check({ identity: [GRANT], boundary }, 's3:PutObject', OBJECT)).toMatchObject({ decision: 'implicit-deny', missingAllow: [{ kind: 'boundary' }] });
  });
});

describe('policies AWS would refuse', () => {
  it('cannot be compiled, and say why', () => {
    expect(() => compilePolicy('bad', { Version: '2012-10-17', Statement: [{ Effect: 'allow', Action: 's3 GetObject', Resource: '*', Condition: { StringEqualz: { 'aws:x': 'y' } } }] })).toThrow(
      PolicyCompileError,
    );
    try {
      compilePolicy('bad', { Version: '2012-10-17', Statement: [{ Effect: 'allow', Action: 's3 GetObject', Resource: '*', Condition: { StringEqualz: { 'aws:x': 'y' } } }] });
    } catch (error) {
      expect((error as PolicyCompileError).problems).toEqual([
        'statement #1: Effect must be "Allow" or "Deny", not "allow"',
        'statement #1: "s3 GetObject" is not an action; actions look like "s3:GetObject" or "s3:Get*"',
        'statement #1: "StringEqualz" is not an IAM condition operator',
      ]);
    }
  });
});
