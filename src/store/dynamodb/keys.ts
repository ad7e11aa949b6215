import { randomBytes } from 'node:crypto';
import type { ChatPlatform } from '../../access/types.js';
import type { MessageRef } from '../store.js';

/*
 * Key values of every item kind. Each kind has its own prefix, so kinds that share the base table or
 * an overloaded index never collide, and whatever follows a prefix is the caller's whole value (an
 * id containing '#' cannot be confused with another kind's key). Items about one request share its
 * partition, so the request, its approver entries and its message refs are one item collection.
 */

export interface ItemKey {
  PK: string;
  SK: string;
}

export const SORT = {
  request: 'REQUEST',
  audit: 'AUDIT',
  conversation: 'CONVERSATION',
  delivery: 'DELIVERY',
  lease: 'LEASE',
  chatAddress: 'CHAT_ADDRESS',
  approverPrefix: 'APPROVER#',
  messagePrefix: 'MSG#',
  scan: 'SCAN',
  scanLock: 'SCAN_LOCK',
  findingPrefix: 'FINDING#',
} as const;

const requestPartition = (requestId: string) => `REQ#${requestId}`;

export const keys = {
  request: (id: string): ItemKey => ({ PK: requestPartition(id), SK: SORT.request }),
  /** One per approver while the request is pending: what listPendingForApprover finds through GSI1. */
  approver: (requestId: string, approverId: string): ItemKey => ({
    PK: requestPartition(requestId),
    SK: `${SORT.approverPrefix}${approverId}`,
  }),
  /** JSON keeps (platform, channel, ts) unambiguous whatever characters they hold. */
  message: (requestId: string, ref: Pick<MessageRef, 'platform' | 'channel' | 'ts'>): ItemKey => ({
    PK: requestPartition(requestId),
    SK: `${SORT.messagePrefix}${JSON.stringify([ref.platform, ref.channel, ref.ts])}`,
  }),
  requestPartition,
  /** Keyed by event id so a second event with the same id is refused by a condition on the key. */
  audit: (eventId: string): ItemKey => ({ PK: `AUDIT#${eventId}`, SK: SORT.audit }),
  conversation: (key: string): ItemKey => ({ PK: `CONV#${key}`, SK: SORT.conversation }),
  delivery: (key: string): ItemKey => ({ PK: `DELIVERY#${key}`, SK: SORT.delivery }),
  lease: (name: string): ItemKey => ({ PK: `LEASE#${name}`, SK: SORT.lease }),
  /** The platform is one of a fixed set of names without '#', so the key after it is unambiguous. */
  chatAddress: (platform: ChatPlatform, key: string): ItemKey => ({ PK: `CHAT#${platform}#${key}`, SK: SORT.chatAddress }),
  /** A scan and its findings share one partition, so deleting a scan is one Query of its collection. */
  scan: (scanId: string): ItemKey => ({ PK: `SCAN#${scanId}`, SK: SORT.scan }),
  /** Findings sort by their de-duplication key, so two scans' findings can be merge-joined in order. */
  finding: (scanId: string, findingKey: string): ItemKey => ({ PK: `SCAN#${scanId}`, SK: `${SORT.findingPrefix}${findingKey}` }),
  scanPartition: (scanId: string) => `SCAN#${scanId}`,
  /** Held by an account's one active scan: a conditional put on it is the "one active per account" rule. */
  scanLock: (accountId: string): ItemKey => ({ PK: `SCAN_ACCOUNT#${accountId}`, SK: SORT.scanLock }),
};

/** Partition values of the overloaded indexes (see table-definition.ts). */
export const indexPartition = {
  requester: (requesterId: string) => `REQUESTER#${requesterId}`,
  approver: (approverId: string) => `APPROVER#${approverId}`,
  requestAudit: (requestId: string) => `REQUEST_AUDIT#${requestId}`,
  state: (state: string) => `STATE#${state}`,
  /*
   * All audit events and all active grants each share one index partition, which DynamoDB serves at
   * up to 1,000 writes/s. Warden writes a few events per request and holds few active grants at once;
   * if the audit volume ever came near that, this partition would need sharding by day.
   */
  allAudit: 'AUDIT',
  active: 'ACTIVE',
  /** Scans are few (a handful a day per account), so one partition each for active and finished ones is plenty. */
  activeScans: 'SCANS_ACTIVE',
  finishedScans: 'SCANS_FINISHED',
  /** An account's succeeded scans by finish time: latestSucceeded and pruning's "keep the newest". */
  accountScans: (accountId: string) => `SCAN_ACCOUNT#${accountId}`,
};

/**
 * An index sort value that orders by `canonicalTime`, then by `tieBreak`. Canonical timestamps all
 * have the same length, so the byte order of the whole string is the time order.
 */
export function timeOrdered(canonicalTime: string, tieBreak: string): string {
  return `${canonicalTime}#${tieBreak}`;
}

/**
 * The smallest sort value above every timeOrdered(t, …) with t <= `canonicalTime`: '$' is the
 * character right after the '#' separator, whatever the tie-break holds.
 */
export function afterTime(canonicalTime: string): string {
  return `${canonicalTime}$`;
}

let lastMillis = 0;
let sequence = 0;

/**
 * A unique token that sorts in write order within this process (and roughly across processes, by
 * wall clock): the tie-break between audit events sharing an `at`, which SQLite gets from its
 * autoincrement. Also identifies one write, so a retried conditional put can recognise itself.
 * Wall-clock time here is only an ordering aid, never domain time (that comes from the Clock port).
 */
export function writeToken(): string {
  const now = Date.now();
  if (now > lastMillis) {
    lastMillis = now;
    sequence = 0;
  } else {
    // Same millisecond, or the clock stepped back: keep counting from the last instant we used.
    sequence += 1;
  }
  const time = lastMillis.toString(36).padStart(9, '0');
  const seq = sequence.toString(36).padStart(4, '0');
  return `${time}${seq}${randomBytes(4).toString('hex')}`;
}
