import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../src/access/types.js';
import { awsCallsFrom } from '../../../src/playground/server/aws-calls.js';

const event = (type: string, detail: Record<string, unknown>): AuditEvent => ({ id: `e-${type}`, at: '2026-11-23T10:00:00.000Z', requestId: 'r-1', actorId: 'warden', type, detail });

describe('the AWS (dry run) panel’s data', () => {
  it('lists aws.call events with their policy documents pretty-printed and apart from the other parameters', () => {
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::billing-reports/*'] }] };
    const calls = awsCallsFrom([
      event('request.approved', { approvals: 1 }),
      event('aws.call', { mode: 'dry-run', service: 'iam', operation: 'PutRolePolicy', input: { RoleName: 'warden-r-1', PolicyName: 'warden-grant', PolicyDocument: JSON.stringify(policy) } }),
    ]);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ id: 'e-aws.call', requestId: 'r-1', mode: 'dry-run', service: 'iam', operation: 'PutRolePolicy', params: { RoleName: 'warden-r-1', PolicyName: 'warden-grant' } });
    expect(calls[0]?.documents).toEqual([{ name: 'PolicyDocument', json: JSON.stringify(policy, null, 2) }]);
  });

  it('keeps a document that is not JSON as a plain parameter, and skips details of another shape', () => {
    const calls = awsCallsFrom([
      event('aws.call', { service: 'iam', operation: 'CreateRole', input: { AssumeRolePolicyDocument: '{not json' } }),
      event('aws.call', { operation: 'missing service' }),
    ]);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ mode: 'dry-run', params: { AssumeRolePolicyDocument: '{not json' }, documents: [] });
  });
});
