import type { Granter, GrantInput } from '../access/granter.js';
import type { AccessRequest, Grant } from '../access/types.js';
import { buildPolicyDocument, buildTrustPolicy } from '../policy/document.js';

/** One AWS API call the granter would make, with its exact input. */
export interface AwsCall {
  service: 'sts' | 'iam';
  operation: string;
  input: Record<string, unknown>;
}

export type AwsCallSink = (requestId: string, call: AwsCall) => Promise<void>;

export const GRANT_ROLE_NAME = 'warden-grant';

// IAM bounds MaxSessionDuration to 1–12 hours whatever the grant's length.
const MIN_SESSION_SECONDS = 3600;
const MAX_SESSION_SECONDS = 43200;

export function perRequestRoleName(requestId: string): string {
  return `warden-${requestId}`;
}

/**
 * Records the calls the IAM granter would make instead of making them: the default when no AWS
 * credentials are configured, and what the playground shows.
 */
export class DryRunGranter implements Granter {
  readonly mode = 'dry-run';

  constructor(private readonly sink: AwsCallSink) {}

  async grant({ request, requester, account, grantedAt, expiresAt }: GrantInput): Promise<Grant['handle']> {
    const roleName = perRequestRoleName(request.id);
    const seconds = Math.round((expiresAt.getTime() - grantedAt.getTime()) / 1000);
    const maxSession = Math.min(MAX_SESSION_SECONDS, Math.max(MIN_SESSION_SECONDS, seconds));
    const grantRoleArn = `arn:aws:iam::${account.id}:role/${GRANT_ROLE_NAME}`;
    await this.record(request.id, 'sts', 'AssumeRole', { RoleArn: grantRoleArn, RoleSessionName: `warden-${request.id}` });
    await this.record(request.id, 'iam', 'CreateRole', {
      RoleName: roleName,
      AssumeRolePolicyDocument: JSON.stringify(buildTrustPolicy(requester.awsPrincipal, expiresAt)),
      MaxSessionDuration: maxSession,
      Description: `Warden temporary access for ${requester.id}, request ${request.id}`,
      Tags: [
        { Key: 'warden:request-id', Value: request.id },
        { Key: 'warden:requester', Value: requester.id },
        { Key: 'warden:approvers', Value: request.approvals.map((a) => a.userId).join(' ') },
        { Key: 'warden:expires-at', Value: expiresAt.toISOString() },
      ],
    });
    await this.record(request.id, 'iam', 'PutRolePolicy', {
      RoleName: roleName,
      PolicyName: 'warden-grant',
      PolicyDocument: JSON.stringify(buildPolicyDocument(request.draft, expiresAt)),
    });
    return { accountId: account.id, roleName, roleArn: `arn:aws:iam::${account.id}:role/${roleName}` };
  }

  async revoke(request: AccessRequest, grant: Grant): Promise<void> {
    const roleName = grant.handle['roleName'] ?? perRequestRoleName(request.id);
    const accountId = grant.handle['accountId'] ?? request.draft.accountId;
    await this.record(request.id, 'sts', 'AssumeRole', {
      RoleArn: `arn:aws:iam::${accountId}:role/${GRANT_ROLE_NAME}`,
      RoleSessionName: `warden-${request.id}`,
    });
    await this.record(request.id, 'iam', 'DeleteRolePolicy', { RoleName: roleName, PolicyName: 'warden-grant' });
    await this.record(request.id, 'iam', 'DeleteRole', { RoleName: roleName });
  }

  private record(requestId: string, service: AwsCall['service'], operation: string, input: Record<string, unknown>): Promise<void> {
    return this.sink(requestId, { service, operation, input });
  }
}
