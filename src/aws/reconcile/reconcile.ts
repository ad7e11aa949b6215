import { grantModeOf } from '../../access/granters-by-mode.js';
import type { AccessRequest, RequestState } from '../../access/types.js';

/**
 * Reconciliation as a pure function: what Warden finds in AWS (by tag) against what the store says,
 * and what to do about each difference. No I/O here, so every rule is tested with plain values; the
 * Reconciler (reconciler.ts) gathers the inputs and carries the plan out.
 */

/** One thing Warden granted, as found in an account (a per-request role, an assignment, …). */
export interface ObservedGrant {
  accountId: string;
  /** The AWS name of what was found, e.g. the role name. */
  name: string;
  /** The request it belongs to: set only when the tag and the name agree, else it is not Warden's. */
  requestId: string | null;
  /** The expiry tag, for reports about grants the store does not know. */
  expiresAt: string | null;
  /** What the inventory needs to remove it (e.g. a permission set's ARN and its assignees); opaque here. */
  ref?: Readonly<Record<string, string>>;
}

export type RevokeReason =
  /** Tagged with a request id the store has never heard of (a lost database, another deployment, a forged tag). */
  | 'unknown-request'
  /** The request ended (expired, revoked, failed, …) but its grant is still there. */
  | 'ended'
  /** The request never reached a grant (drafting, pending, approved, denied, cancelled). */
  | 'never-granted'
  /** The request is active, but its grant lives in another account than this. */
  | 'wrong-account'
  /** The request is active through another granter (e.g. after a mode change). */
  | 'other-granter'
  /** Left behind by a grant that stopped half-way (a crash in `granting`). */
  | 'interrupted';

export interface ReconcileInput {
  now: Date;
  /** The granter whose grants are being reconciled (`Grant.mode`). */
  granterMode: string;
  observed: readonly ObservedGrant[];
  /** Store records for the request ids found in `observed`, read after AWS was listed. */
  requests: ReadonlyMap<string, AccessRequest>;
  /** Requests the store had `active` before AWS was listed, so each had its grant made already. */
  active: readonly AccessRequest[];
  /** Requests the store had in `granting` before AWS was listed. */
  granting: readonly AccessRequest[];
  /** Accounts whose listing succeeded: a grant is only called missing where Warden looked. */
  scannedAccounts: ReadonlySet<string>;
  /**
   * How long a grant may take, and how long a new one may stay invisible to a listing (IAM is
   * eventually consistent): younger grants are neither "missing" nor "interrupted".
   */
  graceMs: number;
  /** The same for a `/run`, which stays in granting while its command runs (its Run Command bound on top). */
  runGraceMs: number;
}

export interface RevokeAction {
  grant: ObservedGrant & { requestId: string };
  reason: RevokeReason;
  /** The store's state of the request, when it has one. */
  state: RequestState | null;
}

export interface ReconcilePlan {
  revoke: RevokeAction[];
  /** Active in the store, nowhere in AWS: to be marked and reported (someone removed it outside Warden). */
  missing: AccessRequest[];
  /** Stuck in `granting` past the grace period: to be marked failed (their leftovers are in `revoke`). */
  interrupted: AccessRequest[];
  /** Under Warden's naming but not tagged as Warden's: reported, never touched. */
  foreign: ObservedGrant[];
  /** Active and past expiry: left to the expiry pass, which revokes and tells the requester. */
  dueForExpiry: string[];
  inSync: string[];
}

function grantAccount(request: AccessRequest): string {
  return request.grant?.handle['accountId'] ?? request.draft.accountId;
}

function olderThan(at: string | undefined, now: Date, graceMs: number): boolean {
  return at !== undefined && Date.parse(at) + graceMs <= now.getTime();
}

export function reconcile(input: ReconcileInput): ReconcilePlan {
  const { now, graceMs, runGraceMs } = input;
  const plan: ReconcilePlan = { revoke: [], missing: [], interrupted: [], foreign: [], dueForExpiry: [], inSync: [] };

  // The fresher record wins: `requests` was read after the snapshot of `granting`.
  const stuck = new Map<string, AccessRequest>();
  for (const request of [...input.granting, ...input.requests.values()]) {
    const fresh = input.requests.get(request.id) ?? request;
    const grace = fresh.run ? runGraceMs : graceMs;
    if (fresh.state === 'granting' && olderThan(fresh.updatedAt, now, grace)) stuck.set(fresh.id, fresh);
  }
  plan.interrupted = [...stuck.values()];

  const seen = new Set<string>();
  for (const grant of input.observed) {
    if (grant.requestId === null) {
      plan.foreign.push(grant);
      continue;
    }
    const owned = { ...grant, requestId: grant.requestId };
    const request = input.requests.get(grant.requestId);
    const revoke = (reason: RevokeReason) => plan.revoke.push({ grant: owned, reason, state: request?.state ?? null });
    if (!request) {
      revoke('unknown-request');
      continue;
    }
    switch (request.state) {
      case 'active':
        if (!request.grant || grantModeOf(request.grant) !== input.granterMode) revoke('other-granter');
        else if (grantAccount(request) !== grant.accountId) revoke('wrong-account');
        else {
          seen.add(`${grant.accountId}/${request.id}`);
          if (Date.parse(request.grant.expiresAt) <= now.getTime()) plan.dueForExpiry.push(request.id);
          else plan.inSync.push(request.id);
        }
        break;
      case 'granting':
        if (stuck.has(request.id)) revoke('interrupted');
        else plan.inSync.push(request.id); // a grant in progress
        break;
      case 'drafting':
      case 'pending_approval':
      case 'approved':
      case 'denied':
      case 'cancelled':
        revoke('never-granted');
        break;
      case 'expired':
      case 'revoked':
      case 'failed':
        revoke('ended');
        break;
    }
  }

  for (const request of input.active) {
    const grant = request.grant;
    if (!grant || grantModeOf(grant) !== input.granterMode) continue;
    const accountId = grantAccount(request);
    if (!input.scannedAccounts.has(accountId) || seen.has(`${accountId}/${request.id}`)) continue;
    // The fresh record, when the request moved on after the snapshot (expired, released) is not missing.
    const fresh = input.requests.get(request.id) ?? request;
    if (fresh.state !== 'active') continue;
    if (Date.parse(grant.expiresAt) <= now.getTime()) continue; // the expiry pass ends it anyway
    if (!olderThan(grant.grantedAt, now, graceMs)) continue;
    plan.missing.push(request);
  }
  return plan;
}
