import type { AccessRequest, AuditEvent, PermissionDraft } from '../../src/access/types.js';

/*
 * Valid domain values for tests. Each call returns fresh objects (no shared arrays), so a test may
 * mutate what it gets. Ids come from a per-file counter: unique and repeatable within a test file.
 * Overrides are shallow: pass a whole `draft` (see makeDraft) or `grant` to change a nested value.
 */

let counter = 0;
function next(): string {
  counter += 1;
  return String(counter).padStart(6, '0');
}

/** The instant every builder uses unless told otherwise. */
export const BUILDER_TIME = '2025-01-06T09:00:00.000Z';

/** Read access to the billing-reports bucket in account 111111111111 (payments-prod), for 2 hours. */
export function makeDraft(overrides: Partial<PermissionDraft> = {}): PermissionDraft {
  return {
    accountId: '111111111111',
    accountName: 'payments-prod',
    accessLevel: 'Read',
    statements: [
      { actions: ['s3:ListBucket'], resources: ['arn:aws:s3:::billing-reports'] },
      { actions: ['s3:GetObject'], resources: ['arn:aws:s3:::billing-reports/*'] },
    ],
    durationMinutes: 120,
    justification: 'debug the export job',
    broad: false,
    notes: ['Matched intent: read objects in an S3 bucket.'],
    ...overrides,
  };
}

/** A drafting (version 1) request by `alice`, approved by `bob`, made in a Slack thread. */
export function makeRequest(overrides: Partial<AccessRequest> = {}): AccessRequest {
  return {
    id: `r-test${next()}`,
    state: 'drafting',
    version: 1,
    requesterId: 'alice',
    draft: makeDraft(),
    risk: { level: 'low', reasons: ['read-only access'] },
    approverIds: ['bob'],
    quorum: 1,
    approvals: [],
    origin: { platform: 'slack', channel: 'C0TEST0001', threadTs: '1736154000.000100' },
    createdAt: BUILDER_TIME,
    updatedAt: BUILDER_TIME,
    ...overrides,
  };
}

/** An audit event with no request; pass `requestId` (or use makeEventFor) for a request's event. */
export function makeEvent(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id: `e-test${next()}`,
    at: BUILDER_TIME,
    requestId: null,
    actorId: 'alice',
    type: 'test.event',
    detail: {},
    ...overrides,
  };
}

/** An audit event about `request`, as a Store write of that request needs. */
export function makeEventFor(request: AccessRequest, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return makeEvent({ requestId: request.id, at: request.updatedAt, type: `request.${request.state}`, ...overrides });
}

/** `at` moved by `seconds`, as an ISO-8601 UTC string. */
export function plusSeconds(at: string, seconds: number): string {
  return new Date(Date.parse(at) + seconds * 1000).toISOString();
}
