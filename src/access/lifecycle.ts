import type { RequestState } from './types.js';

/** The only allowed moves between states. Anything else is a bug or a race lost, never silently applied. */
export const TRANSITIONS: Readonly<Record<RequestState, readonly RequestState[]>> = {
  drafting: ['drafting', 'pending_approval', 'cancelled'],
  pending_approval: ['pending_approval', 'approved', 'denied', 'cancelled', 'expired'],
  approved: ['granting'],
  // granting → expired: a `/run` is a one-shot grant, over once its command has run; nothing stays active.
  granting: ['active', 'failed', 'expired'],
  active: ['revoked', 'expired'],
  revoked: [],
  denied: [],
  cancelled: [],
  expired: [],
  failed: [],
};

export const TERMINAL_STATES: readonly RequestState[] = (Object.keys(TRANSITIONS) as RequestState[]).filter(
  (s) => TRANSITIONS[s].length === 0,
);

export class IllegalTransitionError extends Error {
  constructor(
    readonly requestId: string,
    readonly from: RequestState,
    readonly to: RequestState,
  ) {
    super(`Request ${requestId} cannot go from ${from} to ${to}.`);
    this.name = 'IllegalTransitionError';
  }
}

export function canTransition(from: RequestState, to: RequestState): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(requestId: string, from: RequestState, to: RequestState): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(requestId, from, to);
}

/**
 * The actor of the moves Warden makes itself (granting, expiry, auto-approval), as audit events and
 * an automatic approval record it. checkOrg reserves it, so no person can have this id.
 */
export const SYSTEM_ACTOR = 'warden';
