import type { GrantCondition, PermissionDraft } from '../access/types.js';

export interface IamPolicyDocument {
  Version: '2012-10-17';
  Statement: {
    Sid: string;
    Effect: 'Allow' | 'Deny';
    Action: string[];
    Resource: string[];
    Condition?: Record<string, Record<string, string | string[]>>;
  }[];
}

/**
 * The identity policy for a draft. Every statement carries the expiry as a condition, so the access
 * stops working at expiry even if revocation fails or runs late.
 */
export function buildPolicyDocument(draft: PermissionDraft, expiresAt: Date, conditions: readonly GrantCondition[] = []): IamPolicyDocument {
  const expiry = iamTime(expiresAt);
  return {
    Version: '2012-10-17',
    Statement: draft.statements.map((statement, index) => {
      const sid = `WardenGrant${index + 1}`;
      const condition: Record<string, Record<string, string | string[]>> = { DateLessThan: { 'aws:CurrentTime': expiry } };
      for (const c of conditions) {
        if (c.statements && !c.statements.includes(sid)) continue;
        condition[c.operator] = { ...(condition[c.operator] ?? {}), [c.key]: c.values.length === 1 ? (c.values[0] ?? '') : [...c.values] };
      }
      return { Sid: sid, Effect: 'Allow', Action: [...statement.actions].sort(), Resource: [...statement.resources].sort(), Condition: condition };
    }),
  };
}

export interface TrustPolicyDocument {
  Version: '2012-10-17';
  Statement: {
    Sid: string;
    Effect: 'Allow';
    Principal: { AWS: string };
    Action: 'sts:AssumeRole';
    Condition: Record<string, Record<string, string>>;
  }[];
}

function iamTime(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Trust policy of a per-request role: only the requester's own principal may assume it, only until expiry. */
export function buildTrustPolicy(principalArn: string, expiresAt: Date): TrustPolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'WardenRequester',
        Effect: 'Allow',
        Principal: { AWS: principalArn },
        Action: 'sts:AssumeRole',
        Condition: { DateLessThan: { 'aws:CurrentTime': iamTime(expiresAt) } },
      },
    ],
  };
}
