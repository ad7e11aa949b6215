import type { AccessDeps } from './deps.js';
import { UserFacingError } from './errors.js';
import { assertTransition } from './lifecycle.js';
import type { AccessRequest, RequestState } from './types.js';

export interface TransitionSpec {
  to: RequestState;
  actorId: string;
  /** Audit event type, e.g. "request.approved". */
  event: string;
  detail?: Record<string, unknown>;
  change?: (request: AccessRequest) => Partial<AccessRequest>;
}

/**
 * Moves a request to its next state with a compare-and-set write plus its audit event. Returns the
 * new request, or null when another writer changed it first (the caller re-reads and decides).
 */
export async function transition(
  deps: Pick<AccessDeps, 'store' | 'clock' | 'ids'>,
  request: AccessRequest,
  spec: TransitionSpec,
): Promise<AccessRequest | null> {
  assertTransition(request.id, request.state, spec.to);
  const at = deps.clock.now().toISOString();
  const next: AccessRequest = {
    ...request,
    ...(spec.change?.(request) ?? {}),
    state: spec.to,
    version: request.version + 1,
    updatedAt: at,
  };
  const saved = await deps.store.saveRequest(next, request.version, {
    id: deps.ids.eventId(),
    at,
    requestId: request.id,
    actorId: spec.actorId,
    type: spec.event,
    detail: { from: request.state, to: spec.to, ...(spec.detail ?? {}) },
  });
  return saved ? next : null;
}

export async function loadRequest(deps: Pick<AccessDeps, 'store'>, id: string): Promise<AccessRequest> {
  const request = await deps.store.getRequest(id.trim());
  if (!request) {
    throw new UserFacingError(`There is no request \`${id}\`. \`/access list\` shows yours.`);
  }
  return request;
}
