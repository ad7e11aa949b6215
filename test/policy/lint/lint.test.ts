import { describe, expect, it } from 'vitest';
import { buildPolicyDocument } from '../../../src/policy/document.js';
import { IamCatalog } from '../../../src/policy/catalog.js';
import type { PolicyStatement } from '../../../src/policy/evaluate/index.js';
import { lintPolicy, type LintCode, type LintOptions } from '../../../src/policy/lint/index.js';

const catalog = new IamCatalog();
const NOW = new Date('2025-01-06T09:00:00Z');
const EXPIRES = new Date('2025-01-06T11:00:00Z');
const EXPIRY = { DateLessThan: { 'aws:CurrentTime': '2025-01-06T11:00:00Z' } };
const OBJECTS = 'arn:aws:s3:::billing-reports/*';
const BUCKET = 'arn:aws:s3:::billing-reports';
const IDENTITY: LintOptions = { use: 'identity', accessLevel: 'Read', now: NOW, expiresAt: EXPIRES };

/** A least-privilege Warden grant; each case changes one thing. */
function grant(statement: Partial<PolicyStatement> = {}, extra: PolicyStatement[] = []): unknown {
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'WardenGrant1', Effect: 'Allow', Action: ['s3:GetObject'], Resource: [OBJECTS], Condition: EXPIRY, ...statement }, ...extra],
  };
}

interface Case {
  code: LintCode;
  failing: unknown;
  passing: unknown;
  options?: LintOptions;
  /** Words the message must contain, so it says what to do. */
  says?: string;
}

const CASES: Case[] = [
  { code: 'malformed-policy', failing: { Statement: 'allow everything' }, passing: grant(), says: 'not an IAM policy' },
  { code: 'version', failing: { ...(grant() as object), Version: '2008-10-17' }, passing: grant(), says: '2012-10-17' },
  { code: 'effect', failing: grant({ Effect: 'allow' }), passing: grant(), says: 'exactly "Allow" or "Deny"' },
  { code: 'missing-element', failing: grant({ Resource: undefined }), passing: grant(), says: 'Resource and NotResource' },
  { code: 'principal-in-identity-policy', failing: grant({ Principal: { AWS: '*' } }), passing: grant(), says: 'Remove Principal' },
  {
    code: 'duplicate-sid',
    failing: grant({}, [{ Sid: 'WardenGrant1', Effect: 'Allow', Action: 's3:ListBucket', Resource: BUCKET, Condition: EXPIRY }]),
    passing: grant({}, [{ Sid: 'WardenGrant2', Effect: 'Allow', Action: 's3:ListBucket', Resource: BUCKET, Condition: EXPIRY }]),
    says: 'own Sid',
  },
  { code: 'invalid-sid', failing: grant({ Sid: 'warden grant #1' }), passing: grant({ Sid: 'WardenGrant1' }), says: 'letters and digits' },
  { code: 'not-action-with-allow', failing: grant({ Action: undefined, NotAction: 'iam:*' }), passing: grant(), says: 'List the actions' },
  { code: 'not-resource-with-allow', failing: grant({ Resource: undefined, NotResource: 'arn:aws:s3:::audit/*' }), passing: grant(), says: 'List the resources' },
  { code: 'not-principal-with-allow', failing: grant({ NotPrincipal: { AWS: 'arn:aws:iam::111111111111:root' } }), passing: grant() },
  { code: 'malformed-action', failing: grant({ Action: 's3 GetObject' }), passing: grant(), says: 's3:GetObject' },
  { code: 'unknown-service', failing: grant({ Action: 's4:GetObject' }), passing: grant(), says: 'Did you mean s3:GetObject' },
  { code: 'unknown-action', failing: grant({ Action: 's3:ReadObject' }), passing: grant(), says: 'Did you mean s3:GetObject' },
  { code: 'wildcard-action', failing: grant({ Action: 's3:GetObjectT*' }), passing: grant(), says: 's3:GetObjectTagging' },
  { code: 'wildcard-matches-nothing', failing: grant({ Action: 's3:Fly*' }), passing: grant({ Action: 's3:GetObjectT*' }) },
  { code: 'above-access-level', failing: grant({ Action: ['s3:GetObject', 's3:PutObject'] }), passing: grant(), says: 'List or Read actions only' },
  { code: 'wildcard-resource', failing: grant({ Resource: '*' }), passing: grant({ Action: 's3:ListAllMyBuckets', Resource: '*' }), says: 'Name the resources' },
  { code: 'malformed-arn', failing: grant({ Resource: 'arn:aws:s3:billing-reports' }), passing: grant(), says: 'six parts' },
  {
    code: 'wildcard-account',
    failing: grant({ Action: 'dynamodb:GetItem', Resource: 'arn:aws:dynamodb:eu-west-1:*:table/orders' }),
    passing: grant({ Action: 'dynamodb:GetItem', Resource: 'arn:aws:dynamodb:eu-west-1:111111111111:table/orders' }),
    says: 'every AWS account',
  },
  {
    code: 'wildcard-region',
    failing: grant({ Action: 'dynamodb:GetItem', Resource: 'arn:aws:dynamodb:*:111111111111:table/orders' }),
    passing: grant({ Action: 'dynamodb:GetItem', Resource: 'arn:aws:dynamodb:eu-west-1:111111111111:table/orders' }),
  },
  { code: 'resource-type-mismatch', failing: grant({ Resource: BUCKET }), passing: grant(), says: 'object' },
  {
    code: 'privilege-escalation',
    failing: grant({ Action: 'iam:PassRole', Resource: 'arn:aws:iam::111111111111:role/app' }),
    passing: grant(),
    options: { ...IDENTITY, accessLevel: 'Write' },
    says: 'privilege-escalation path',
  },
  {
    code: 'privilege-escalation-combination',
    failing: grant({}, [
      { Sid: 'Pass', Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::111111111111:role/app', Condition: EXPIRY },
      { Sid: 'Code', Effect: 'Allow', Action: 'lambda:UpdateFunctionCode', Resource: 'arn:aws:lambda:eu-west-1:111111111111:function:export', Condition: EXPIRY },
    ]),
    passing: grant({}, [{ Sid: 'Code', Effect: 'Allow', Action: 'lambda:UpdateFunctionCode', Resource: 'arn:aws:lambda:eu-west-1:111111111111:function:export', Condition: EXPIRY }]),
    options: { ...IDENTITY, accessLevel: 'Write' },
    says: 'put new code in a function',
  },
  {
    code: 'permissions-management',
    failing: grant({ Action: 's3:PutBucketPolicy', Resource: BUCKET }),
    passing: grant(),
    options: { ...IDENTITY, accessLevel: 'Permissions management' },
    says: 'who can do what',
  },
  {
    code: 'credential-exposure',
    failing: grant({ Action: 'secretsmanager:GetSecretValue', Resource: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-AbCdEf' }),
    passing: grant(),
    says: 'secret',
  },
  { code: 'unknown-condition-key', failing: grant({ Condition: { ...EXPIRY, StringEquals: { 'aws:RequestRegion': 'eu-west-1' } } }), passing: grant({ Condition: { ...EXPIRY, StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } }) },
  {
    code: 'condition-key-not-for-action',
    failing: grant({ Condition: { ...EXPIRY, StringLike: { 's3:prefix': 'reports/*' } } }),
    passing: grant({ Action: 's3:ListBucket', Resource: BUCKET, Condition: { ...EXPIRY, StringLike: { 's3:prefix': 'reports/*' } } }),
  },
  {
    code: 'condition-operator-type',
    failing: grant({ Condition: { ...EXPIRY, StringEquals: { 'aws:MultiFactorAuthAge': '3600' }, NumericLessThan: { 'aws:PrincipalArn': '1' } } }),
    passing: grant({ Condition: { ...EXPIRY, NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' }, ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/dev' } } }),
    says: 'Numeric',
  },
  {
    code: 'set-operator-mismatch',
    failing: grant({ Condition: { ...EXPIRY, StringEquals: { 'aws:PrincipalOrgPaths': 'o-a/r-1/ou-prod/' } } }),
    passing: grant({ Condition: { ...EXPIRY, 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-a/r-1/ou-prod/*' } } }),
    says: 'ForAnyValue',
  },
  { code: 'missing-expiry', failing: grant({ Condition: undefined }), passing: grant(), says: 'DateLessThan' },
];

describe('policy lint: one failing and one passing document per check', () => {
  for (const c of CASES) {
    it(c.code, async () => {
      const options = c.options ?? IDENTITY;
      const failing = await lintPolicy(c.failing, catalog, options);
      const finding = failing.findings.find((f) => f.code === c.code);
      expect(finding, JSON.stringify(failing.findings, null, 1)).toBeDefined();
      if (c.says) expect(finding?.message).toContain(c.says);
      const passing = await lintPolicy(c.passing, catalog, options);
      expect(passing.findings.filter((f) => f.code === c.code)).toEqual([]);
    });
  }

  it('covers every code', () => {
    const codes = new Set(CASES.map((c) => c.code));
    expect(codes.size).toBe(CASES.length);
  });
});

describe('policy lint details', () => {
  it("passes the document Warden builds for a least-privilege read draft, with nothing to say", async () => {
    const document = buildPolicyDocument(
      {
        accountId: '111111111111',
        accountName: 'payments-prod',
        accessLevel: 'Read',
        statements: [
          { actions: ['s3:GetObject'], resources: [OBJECTS] },
          { actions: ['s3:ListBucket'], resources: [BUCKET] },
        ],
        durationMinutes: 120,
        justification: 'debug the export job',
        broad: false,
        notes: [],
      },
      EXPIRES,
    );
    expect(await lintPolicy(document, catalog, IDENTITY)).toEqual({ findings: [], hasErrors: false });
  });

  it('names where a finding is and sorts errors first', async () => {
    const report = await lintPolicy(grant({ Action: ['s3:GetObject*', 's3:PutObject'] }), catalog, IDENTITY);
    expect(report.hasErrors).toBe(true);
    expect(report.findings[0]?.severity).toBe('error');
    const ceiling = report.findings.find((f) => f.code === 'above-access-level' && f.action === 's3:PutObject');
    expect(ceiling?.statement).toEqual({ index: 0, sid: 'WardenGrant1', label: 'WardenGrant1' });
  });

  it('splits combined catalog levels: a Tagging action under a Write ceiling passes, Permissions management does not', async () => {
    const write: LintOptions = { ...IDENTITY, accessLevel: 'Write' };
    const tagging = await lintPolicy(grant({ Action: 's3:PutObjectTagging' }), catalog, write);
    expect(tagging.findings.filter((f) => f.code === 'above-access-level')).toEqual([]);
    const acl = await lintPolicy(grant({ Action: 's3:PutObjectAcl' }), catalog, write);
    expect(acl.findings.find((f) => f.code === 'above-access-level')?.message).toContain('Permissions management');
  });

  it('shows what a wildcard expands to', async () => {
    const report = await lintPolicy(grant({ Action: 's3:GetObjectT*' }), catalog, IDENTITY);
    expect(report.findings.find((f) => f.code === 'wildcard-action')?.expandsTo).toEqual(['s3:GetObjectTagging', 's3:GetObjectTorrent']);
  });

  it('refuses an expiry later than the approved one, or already past', async () => {
    const late = await lintPolicy(grant({ Condition: { DateLessThan: { 'aws:CurrentTime': '2025-01-07T11:00:00Z' } } }), catalog, IDENTITY);
    expect(late.findings.find((f) => f.code === 'missing-expiry')?.message).toContain('expires later');
    const past = await lintPolicy(grant({ Condition: { DateLessThan: { 'aws:CurrentTime': '2025-01-06T08:00:00Z' } } }), catalog, IDENTITY);
    expect(past.findings.find((f) => f.code === 'missing-expiry')?.message).toContain('already past');
  });

  it('reads SCPs by SCP rules: Deny with NotAction and wildcards are normal, no expiry is needed', async () => {
    const scp = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'FullAWSAccess', Effect: 'Allow', Action: '*', Resource: '*' },
        { Sid: 'DenyOutsideEU', Effect: 'Deny', NotAction: ['iam:*', 'sts:*'], Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1'] } } },
      ],
    };
    const report = await lintPolicy(scp, catalog, { use: 'scp' });
    expect(report).toEqual({ findings: [], hasErrors: false });
    const typo = await lintPolicy({ ...scp, Statement: [{ Sid: 'Deny', Effect: 'Deny', Action: 's3:DeleteObjekt', Resource: '*' }] }, catalog, { use: 'scp' });
    expect(typo.findings.map((f) => f.code)).toEqual(['unknown-action']);
  });
});
