/**
 * Every disagreement the differential test found, as a named case with the verdict the AWS
 * documentation calls for. `oracle` records what @cloud-copilot/iam-simulate answers today: "agrees",
 * or the (wrong) answer it gives, with the reason. If the oracle changes its answer, the case fails
 * and says which one to revisit.
 */
import { describe, expect, it } from 'vitest';
import type { Decision, PolicyStatement } from '../../../src/policy/evaluate/index.js';
import { oracle, ours } from './oracle.js';
import type { RandomCase } from './random-cases.js';

interface Regression {
  name: string;
  why: string;
  case: RandomCase;
  expected: Decision;
  oracle: 'agrees' | { answers: Decision; wrongBecause: string };
}

const ALLOW_ALL: PolicyStatement = { Sid: 'AllowAll', Effect: 'Allow', Action: '*', Resource: '*' };

function identityOnly(statements: PolicyStatement[], action: string, resource: string, context: Record<string, string | string[]> = {}): RandomCase {
  return { id: 'regression', action, resource, context, scps: [], identity: [{ name: 'identity', policy: { Version: '2012-10-17', Statement: statements } }] };
}

const REGRESSIONS: Regression[] = [
  {
    name: 'wildcard in the resource-type part of an ARN matches nothing',
    why: 'AWS: "You cannot use a wildcard in the portion of the ARN that specifies the resource type". Found as seed 1 case 355.',
    case: {
      ...identityOnly([ALLOW_ALL], 'dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:111111111111:table/users'),
      scps: [
        {
          id: 'r-root',
          policies: [
            {
              name: 'deny-users-table',
              policy: {
                Version: '2012-10-17',
                Statement: [
                  ALLOW_ALL,
                  { Sid: 'DenyTable', Effect: 'Deny', Action: 'dynamodb:*', Resource: 'arn:aws:dynamodb:us-east-1:111111111111:?able/users' },
                ],
              },
            },
          ],
        },
      ],
    },
    expected: 'allowed',
    oracle: 'agrees',
  },
  {
    name: 'NotResource with an unresolvable policy variable applies to nothing',
    why: 'AWS: a variable that cannot be resolved "might cause the entire statement to be invalid". Found as seed 1 case 362.',
    case: identityOnly(
      [ALLOW_ALL, { Sid: 'DenyOutsideHome', Effect: 'Deny', Action: 's3:Get*', NotResource: 'arn:aws:s3:::reports/${aws:username}/*' }],
      's3:GetObject',
      'arn:aws:s3:::reports/2024/jan.csv',
    ),
    expected: 'allowed',
    oracle: 'agrees',
  },
  {
    name: 'the same NotResource with the variable resolved denies outside the home prefix',
    why: 'Companion to the case above: with aws:username present the Deny applies as written.',
    case: identityOnly(
      [ALLOW_ALL, { Sid: 'DenyOutsideHome', Effect: 'Deny', Action: 's3:Get*', NotResource: 'arn:aws:s3:::reports/${aws:username}/*' }],
      's3:GetObject',
      'arn:aws:s3:::reports/2024/jan.csv',
      { 'aws:username': 'ana' },
    ),
    expected: 'explicit-deny',
    oracle: 'agrees',
  },
  {
    name: 'a wildcard-only action is matched by Resource "*" only',
    why: 'Its request resource is "*"; an ARN in Resource never matches it. Found while cloudwatch:PutMetricData was wrongly generated as wildcard-only.',
    case: identityOnly([{ Sid: 'OnlyAnArn', Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::reports' }], 's3:ListAllMyBuckets', '*'),
    expected: 'implicit-deny',
    oracle: 'agrees',
  },
  {
    name: 'a Deny with NotResource of an ARN covers a wildcard-only action',
    why: 'The request resource "*" is not the excluded ARN, so the Deny applies.',
    case: identityOnly([ALLOW_ALL, { Sid: 'DenyElsewhere', Effect: 'Deny', Action: 's3:*', NotResource: 'arn:aws:s3:::audit-logs/trail.json' }], 's3:ListAllMyBuckets', '*'),
    expected: 'explicit-deny',
    oracle: 'agrees',
  },
  {
    name: 'NotIpAddress with a bare IPv4 address matches an IPv6 caller',
    why: 'AWS: NotIpAddress matches "all IP addresses except the specified IP address or range"; 2001:db8::1 is not 203.0.113.7. Found as seed 1 case 2302.',
    case: identityOnly(
      [ALLOW_ALL, { Sid: 'DenyOffice', Effect: 'Deny', Action: '*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.7' } } }],
      's3:GetObject',
      'arn:aws:s3:::reports/a.txt',
      { 'aws:SourceIp': '2001:db8::1' },
    ),
    expected: 'explicit-deny',
    oracle: {
      answers: 'allowed',
      wrongBecause: 'it compares a bare address only within one IP family, while it treats the same address written as 203.0.113.7/32 as "not in" for IPv6 callers',
    },
  },
  {
    name: 'ForAnyValue:…IfExists matches when the key is absent',
    why: 'AWS on IfExists: "If the key is not present, evaluate the condition element as true"; the set operator does not change that.',
    case: identityOnly(
      [{ Sid: 'TagsIfAny', Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { 'ForAnyValue:StringEqualsIfExists': { 'aws:TagKeys': 'env' } } }],
      's3:GetObject',
      'arn:aws:s3:::reports/a.txt',
    ),
    expected: 'allowed',
    oracle: { answers: 'implicit-deny', wrongBecause: 'it ignores IfExists when a set operator is present' },
  },
  {
    name: 'Date values in epoch seconds',
    why: 'AWS Date operators take "epoch (UNIX) time", which is in seconds: 1767225600 is 2026-01-01T00:00:00Z.',
    case: identityOnly(
      [{ Sid: 'Until2026', Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': '1767225600' } } }],
      's3:GetObject',
      'arn:aws:s3:::reports/a.txt',
      { 'aws:CurrentTime': '2025-01-06T09:00:00Z' },
    ),
    expected: 'allowed',
    oracle: { answers: 'implicit-deny', wrongBecause: 'it reads an integer as milliseconds, so 1767225600 becomes 1970-01-21' },
  },
  {
    name: 'a "*" ending an ARN segment may match across colons',
    why: 'AWS: "If the * wildcard is the last character of a resource ARN segment, it can expand to match beyond the colon boundaries."',
    case: identityOnly(
      [{ Sid: 'AnyRegionAndAccount', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: 'arn:aws:lambda:*:function:export-job' }],
      'lambda:InvokeFunction',
      'arn:aws:lambda:eu-west-1:111111111111:function:export-job',
    ),
    expected: 'allowed',
    oracle: { answers: 'implicit-deny', wrongBecause: 'it always compares the ARN colon-segment by colon-segment' },
  },
];

describe('evaluator regressions', () => {
  for (const r of REGRESSIONS) {
    it(r.name, async () => {
      expect(ours(r.case), r.why).toBe(r.expected);
      const answer = await oracle(r.case);
      if (r.oracle === 'agrees') expect(answer, 'iam-simulate agreed when this case was recorded').toBe(r.expected);
      else expect(answer, `iam-simulate was wrong here (${r.oracle.wrongBecause}); if this changed, revisit the case`).toBe(r.oracle.answers);
    });
  }
});
