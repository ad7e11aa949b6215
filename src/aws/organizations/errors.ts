/**
 * Why SCPs could not be read from AWS Organizations, in words an approver can pass to an admin. The
 * card shows this text, so it names the error's kind and the fix, never the SDK's message (which can
 * quote ARNs of Warden's session) and never credentials.
 */
import { ZodError } from 'zod';
import { ScpUnavailableError } from '../../policy/scp/index.js';
import { awsErrorName, isThrottling, RetriesExhaustedError } from '../retry.js';

export const ORGANIZATIONS_PERMISSIONS = [
  'organizations:DescribeOrganization',
  'organizations:ListParents',
  'organizations:DescribeOrganizationalUnit',
  'organizations:ListPoliciesForTarget',
  'organizations:DescribePolicy',
] as const;

const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'EPIPE', 'TimeoutError']);

export function unavailable(error: unknown, accountId: string): ScpUnavailableError {
  if (error instanceof ScpUnavailableError) return error;
  if (error instanceof ZodError) {
    const field = error.issues[0]?.path.join('.') || 'the whole response';
    return new ScpUnavailableError(`AWS Organizations answered for account ${accountId} without the fields Warden needs (${field}).`, { cause: error });
  }
  const exhausted = error instanceof RetriesExhaustedError;
  const cause = exhausted ? error.cause : error;
  const name = awsErrorName(cause) ?? (cause instanceof Error ? cause.name : 'unknown error');
  const code = (cause as { code?: unknown } | null)?.code;
  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    return new ScpUnavailableError(
      `AWS Organizations denied access (${name}). Warden reads SCPs from the management account or a delegated administrator: set WARDEN_ORG_ROLE_ARN to a role there with ${ORGANIZATIONS_PERMISSIONS.join(', ')}.`,
      { cause: error },
    );
  }
  if (name === 'AWSOrganizationsNotInUseException') {
    return new ScpUnavailableError('The account Warden reads from is not in an AWS organization (AWSOrganizationsNotInUseException); set WARDEN_ORG_ROLE_ARN, or WARDEN_SCP_SOURCE=files.', { cause: error });
  }
  if (exhausted && isThrottling(cause)) {
    return new ScpUnavailableError(`AWS Organizations kept throttling Warden (${name}, ${error.attempts} attempts); the next request tries again.`, { cause: error });
  }
  if (NETWORK.has(name) || (typeof code === 'string' && NETWORK.has(code))) {
    return new ScpUnavailableError(`AWS Organizations could not be reached (${typeof code === 'string' ? code : name}); the next request tries again.`, { cause: error });
  }
  return new ScpUnavailableError(`AWS Organizations failed (${name})${exhausted ? ` after ${error.attempts} attempts` : ''}; the next request tries again.`, { cause: error });
}
