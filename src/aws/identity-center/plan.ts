import type { Tag } from '@aws-sdk/client-sso-admin';
import type { PermissionDraft, GrantCondition } from '../../access/types.js';
import { buildPolicyDocument } from '../../policy/document.js';
import { revokeSessionsPolicy, TAG_KEYS } from '../iam/plan.js';

/**
 * Names, durations and documents of an Identity Center grant: a per-request permission set with
 * the drafted policy inline, assigned to the requester's Identity Center user in one account.
 * A permission set per request means two grants of one person never share anything, so revoking
 * one cannot take away what the other grants.
 */

export const IDENTITY_CENTER_MODE = 'aws-identity-center';

export interface IdentityCenterSettings {
  /** `arn:aws:sso:::instance/ssoins-…` */
  instanceArn: string;
  /** `d-…`: where requesters are looked up. */
  identityStoreId: string;
  /** Customer-managed policy set as each permission set's boundary (it must exist in every account); null: none. */
  permissionsBoundaryName: string | null;
  /** Provisioning is asynchronous: how its status is polled, and when waiting becomes a failure. */
  poll: PollSettings;
}

export interface PollSettings {
  firstDelayMs: number;
  maxDelayMs: number;
  /** Total time waited before giving up: the grant fails and is cleaned up, never reported as done. */
  timeoutMs: number;
}

export const DEFAULT_POLL: PollSettings = { firstDelayMs: 1000, maxDelayMs: 10_000, timeoutMs: 5 * 60_000 };

const REQUEST_ID = /^[A-Za-z0-9-]{1,25}$/;

/** Permission set names allow at most 32 characters. */
export function permissionSetName(requestId: string): string {
  if (!REQUEST_ID.test(requestId)) throw new Error(`Request id ${JSON.stringify(requestId)} cannot name a permission set.`);
  return `warden-${requestId}`;
}

/** ISO-8601 session length: as short as the grant, within Identity Center's 1–12 hours. */
export function sessionDuration(grantedAt: Date, expiresAt: Date): string {
  const minutes = Math.min(12 * 60, Math.max(60, Math.ceil((expiresAt.getTime() - grantedAt.getTime()) / 60_000)));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `PT${h}H${m > 0 ? `${m}M` : ''}`;
}

export function permissionSetTags(input: { requestId: string; requesterId: string; approverIds: readonly string[]; expiresAt: Date }): Tag[] {
  const clean = (v: string) => v.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '_').slice(0, 256);
  return [
    { Key: TAG_KEYS.requestId, Value: input.requestId },
    { Key: TAG_KEYS.requester, Value: clean(input.requesterId) },
    { Key: TAG_KEYS.approvers, Value: clean(input.approverIds.join(' ')) },
    { Key: TAG_KEYS.expiresAt, Value: input.expiresAt.toISOString() },
  ];
}

/** The same document the IAM granter puts on its role: expiry on every statement. */
export function grantInlinePolicy(draft: PermissionDraft, expiresAt: Date, conditions: readonly GrantCondition[] = []): string {
  return JSON.stringify(buildPolicyDocument(draft, expiresAt, conditions));
}

/**
 * What replaces the inline policy at revocation: no Allow left, and a Deny for every session
 * issued before now, so credentials already handed out stop working once it is provisioned.
 */
export function revokeInlinePolicy(now: Date): string {
  return JSON.stringify(revokeSessionsPolicy(now));
}
