import type { AccessRequest, AuditEvent } from '../../access/types.js';

/*
 * Argument checks every Store adapter makes before it writes or reads, so a caller's mistake fails the
 * same way whichever store is configured.
 */

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

export function checkLimit(limit: number, max: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new RangeError(`limit must be an integer from 1 to ${max}, got ${limit}.`);
  }
  return limit;
}

export function assertEventFor(request: AccessRequest, event: AuditEvent): void {
  if (event.requestId !== request.id) {
    throw new Error(
      `Audit event ${event.id} names request ${String(event.requestId)} but is written with request ${request.id}.`,
    );
  }
}

/** What createRequest requires: a first version, and the event that records it. */
export function checkNewRequest(request: AccessRequest, event: AuditEvent): void {
  if (request.version !== 1) {
    throw new RangeError(`A new request starts at version 1; request ${request.id} has version ${request.version}.`);
  }
  assertEventFor(request, event);
}

/** What saveRequest requires: exactly the next version, and an event about this request. */
export function checkNextVersion(next: AccessRequest, expectedVersion: number, event: AuditEvent): void {
  if (next.version !== expectedVersion + 1) {
    throw new RangeError(
      `Request ${next.id}: the new version must be expectedVersion + 1 (${expectedVersion + 1}), got ${next.version}.`,
    );
  }
  assertEventFor(next, event);
}

export function checkTtlSeconds(ttlSeconds: number): void {
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
    throw new RangeError(`ttlSeconds must be a positive number, got ${ttlSeconds}.`);
  }
}
