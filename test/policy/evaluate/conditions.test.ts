import { describe, expect, it } from 'vitest';
import { conditionMatches, parseIamDate } from '../../../src/policy/evaluate/conditions.js';
import { createRequestContext, parseOperator } from '../../../src/policy/evaluate/index.js';
import { globContains, globsOverlap, parseGlob } from '../../../src/policy/evaluate/glob.js';
import { addressIn, ipInCidr } from '../../../src/policy/evaluate/ip.js';
import type { CompiledCondition } from '../../../src/policy/evaluate/policy.js';

function condition(operatorText: string, key: string, values: string[]): CompiledCondition {
  const operator = parseOperator(operatorText);
  if (!operator) throw new Error(`bad operator ${operatorText}`);
  return { operatorText, operator, key, keyLower: key.toLowerCase(), values };
}

function matches(operatorText: string, key: string, values: string[], context: Record<string, string | string[]>): boolean {
  return conditionMatches(condition(operatorText, key, values), createRequestContext(context));
}

describe('operator names', () => {
  it('parses set operators, IfExists and negation', () => {
    expect(parseOperator('ForAnyValue:StringNotLikeIfExists')).toEqual({ base: 'StringNotLike', family: 'String', ifExists: true, set: 'ForAnyValue', negated: true });
    expect(parseOperator('NotIpAddress')).toMatchObject({ family: 'IpAddress', negated: true });
    expect(parseOperator('ArnLike')).toMatchObject({ family: 'Arn', negated: false });
  });

  it('refuses what IAM refuses', () => {
    expect(parseOperator('NullIfExists')).toBeUndefined();
    expect(parseOperator('ForAnyValue:Null')).toBeUndefined();
    expect(parseOperator('ForSomeValues:StringEquals')).toBeUndefined();
    expect(parseOperator('StringEqualz')).toBeUndefined();
  });
});

describe('condition operators', () => {
  it('String: case-sensitive equality, IgnoreCase, Like wildcards', () => {
    expect(matches('StringEquals', 'aws:PrincipalTag/team', ['payments'], { 'aws:PrincipalTag/team': 'Payments' })).toBe(false);
    expect(matches('StringEqualsIgnoreCase', 'aws:PrincipalTag/team', ['payments'], { 'aws:PrincipalTag/team': 'Payments' })).toBe(true);
    expect(matches('StringLike', 'aws:RequestedRegion', ['eu-*'], { 'aws:RequestedRegion': 'eu-west-1' })).toBe(true);
    expect(matches('StringLike', 'aws:RequestedRegion', ['eu-????-1'], { 'aws:RequestedRegion': 'eu-west-1' })).toBe(true);
    expect(matches('StringEquals', 'aws:RequestedRegion', ['eu-*'], { 'aws:RequestedRegion': 'eu-west-1' })).toBe(false);
  });

  it('keys are case-insensitive', () => {
    expect(matches('StringEquals', 'AWS:REQUESTEDREGION', ['eu-west-1'], { 'aws:RequestedRegion': 'eu-west-1' })).toBe(true);
  });

  it('negated operators with several values mean "none of them"', () => {
    expect(matches('StringNotEquals', 'aws:RequestedRegion', ['eu-west-1', 'eu-central-1'], { 'aws:RequestedRegion': 'eu-central-1' })).toBe(false);
    expect(matches('StringNotEquals', 'aws:RequestedRegion', ['eu-west-1', 'eu-central-1'], { 'aws:RequestedRegion': 'us-east-1' })).toBe(true);
  });

  it('policy variables in values; an unresolvable one never matches, negated or not', () => {
    expect(matches('StringEquals', 'aws:PrincipalTag/owner', ['${aws:username}'], { 'aws:PrincipalTag/owner': 'ana', 'aws:username': 'ana' })).toBe(true);
    expect(matches('StringEquals', 'aws:PrincipalTag/owner', ['${aws:username}'], { 'aws:PrincipalTag/owner': 'ana' })).toBe(false);
    expect(matches('StringNotEquals', 'aws:PrincipalTag/owner', ['${aws:username}'], { 'aws:PrincipalTag/owner': 'ana' })).toBe(false);
  });

  it('Numeric', () => {
    expect(matches('NumericLessThan', 'aws:MultiFactorAuthAge', ['3600'], { 'aws:MultiFactorAuthAge': '60' })).toBe(true);
    expect(matches('NumericGreaterThanEquals', 'aws:MultiFactorAuthAge', ['600.5'], { 'aws:MultiFactorAuthAge': '600' })).toBe(false);
    expect(matches('NumericEquals', 'aws:MultiFactorAuthAge', ['abc'], { 'aws:MultiFactorAuthAge': '60' })).toBe(false);
    expect(matches('NumericNotEquals', 'aws:MultiFactorAuthAge', ['abc'], { 'aws:MultiFactorAuthAge': '60' })).toBe(false);
  });

  it('Date: ISO 8601 and epoch seconds', () => {
    const now = { 'aws:CurrentTime': '2025-01-06T09:00:00Z' };
    expect(matches('DateLessThan', 'aws:CurrentTime', ['2025-01-06T11:00:00Z'], now)).toBe(true);
    expect(matches('DateGreaterThan', 'aws:CurrentTime', ['2025-01-06'], now)).toBe(true);
    expect(matches('DateLessThan', 'aws:CurrentTime', ['1767225600'], now)).toBe(true);
    expect(parseIamDate('1735689600')).toBe(Date.parse('2025-01-01T00:00:00Z'));
    expect(parseIamDate('next tuesday')).toBeUndefined();
  });

  it('Bool compares true/false in any case, and nothing else', () => {
    expect(matches('Bool', 'aws:MultiFactorAuthPresent', ['TRUE'], { 'aws:MultiFactorAuthPresent': 'true' })).toBe(true);
    expect(matches('Bool', 'aws:MultiFactorAuthPresent', ['yes'], { 'aws:MultiFactorAuthPresent': 'true' })).toBe(false);
  });

  it('IpAddress: IPv4 and IPv6 blocks, single addresses, other family outside', () => {
    expect(matches('IpAddress', 'aws:SourceIp', ['10.0.0.0/8'], { 'aws:SourceIp': '10.1.2.3' })).toBe(true);
    expect(matches('IpAddress', 'aws:SourceIp', ['2001:db8::/32'], { 'aws:SourceIp': '2001:db8:1::5' })).toBe(true);
    expect(matches('IpAddress', 'aws:SourceIp', ['203.0.113.7'], { 'aws:SourceIp': '203.0.113.7' })).toBe(true);
    expect(matches('NotIpAddress', 'aws:SourceIp', ['10.0.0.0/8'], { 'aws:SourceIp': '2001:db8::1' })).toBe(true);
    expect(ipInCidr('::ffff:10.0.0.1', '::ffff:10.0.0.0/120')).toBe(true);
    expect(ipInCidr('10.0.0.1', '10.0.0.0/33')).toBeUndefined();
    expect(addressIn('192.168.4.0/22')).toBe('192.168.4.0');
  });

  it('ArnLike compares segment by segment', () => {
    const arn = 'arn:aws:iam::111111111111:role/deploy-main';
    expect(matches('ArnLike', 'aws:PrincipalArn', ['arn:aws:iam::*:role/deploy-*'], { 'aws:PrincipalArn': arn })).toBe(true);
    expect(matches('ArnEquals', 'aws:PrincipalArn', ['arn:aws:iam::111111111111:role/*'], { 'aws:PrincipalArn': arn })).toBe(true);
    expect(matches('ArnLike', 'aws:PrincipalArn', ['arn:aws:iam::222222222222:role/*'], { 'aws:PrincipalArn': arn })).toBe(false);
    expect(matches('ArnLike', 'aws:PrincipalArn', ['arn:aws:iam::*'], { 'aws:PrincipalArn': arn })).toBe(false);
  });

  it('Null tests presence', () => {
    expect(matches('Null', 'aws:TokenIssueTime', ['true'], {})).toBe(true);
    expect(matches('Null', 'aws:TokenIssueTime', ['false'], { 'aws:TokenIssueTime': '2025-01-06T09:00:00Z' })).toBe(true);
  });
});

describe('glob containment and overlap', () => {
  const g = (text: string) => parseGlob(text);
  it('containment is about every string the inner pattern names', () => {
    expect(globContains(g('reports/*'), g('reports/2024/*'))).toBe(true);
    expect(globContains(g('reports/2024/*'), g('reports/*'))).toBe(false);
    expect(globContains(g('a?c'), g('abc'))).toBe(true);
    expect(globContains(g('a?*'), g('a*'))).toBe(false);
  });
  it('overlap is about one shared string', () => {
    expect(globsOverlap(g('reports/legal/*'), g('reports/*'))).toBe(true);
    expect(globsOverlap(g('*.csv'), g('reports/*'))).toBe(true);
    expect(globsOverlap(g('audit/*'), g('reports/*'))).toBe(false);
  });
});
