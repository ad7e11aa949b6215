import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { AccessRequest, AuditEvent, ChatPlatform } from '../../access/types.js';
import type { ChatAddress, Conversation, MessageRef, Page, PolicyKind, PolicyVersion, Store } from '../store.js';
import { ChatAddressTable } from './chat-addresses.js';
import { PolicyVersionTable } from './policy-versions.js';
import {
  addSeconds,
  canonicalTime,
  checkBeforeWrite,
  CorruptRowError,
  decodeCursor,
  encodeCursor,
  parseStored,
  parseValue,
} from '../shared/codec.js';
import {
  checkLimit,
  checkNewRequest,
  checkNextVersion,
  checkTtlSeconds,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
} from '../shared/preconditions.js';
import { migrate } from './migrations.js';
import {
  AccessRequestSchema,
  AuditDetailSchema,
  AuditEventSchema,
  ConversationSchema,
  MessageRefSchema,
} from './row-schemas.js';
import { SQL } from './sql.js';

/** How long a writer waits for another connection's lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

interface RequestColumns {
  id: string;
  state: string;
  version: number;
  requesterId: string;
  expiresAt: string | null;
  createdAt: string;
  updatedAt: string;
  body: string;
}
interface RequestRow {
  id: string;
  body: string;
}
interface PagedRequestRow extends RequestRow {
  created_at: string;
}
interface AuditRow {
  id: string;
  request_id: string | null;
  at: string;
  actor_id: string;
  type: string;
  detail: string;
}
interface AuditColumns {
  id: string;
  requestId: string | null;
  at: string;
  actorId: string;
  type: string;
  detail: string;
}
interface ConversationRow {
  key: string;
  body: string;
}

function prepareStatements(db: Database.Database) {
  return {
    insertRequest: db.prepare<RequestColumns>(SQL.insertRequest),
    updateRequestIfVersion: db.prepare<RequestColumns & { expectedVersion: number }>(SQL.updateRequestIfVersion),
    getRequest: db.prepare<[string], RequestRow>(SQL.getRequest),
    deleteApprovers: db.prepare<[string]>(SQL.deleteApprovers),
    insertApprover: db.prepare<[string, string]>(SQL.insertApprover),
    listByRequesterFirst: db.prepare<{ requesterId: string; limit: number }, PagedRequestRow>(SQL.listByRequesterFirst),
    listByRequesterAfter: db.prepare<
      { requesterId: string; createdAt: string; id: string; limit: number },
      PagedRequestRow
    >(SQL.listByRequesterAfter),
    listPendingForApprover: db.prepare<[string], RequestRow>(SQL.listPendingForApprover),
    listActiveExpiringBefore: db.prepare<[string], RequestRow>(SQL.listActiveExpiringBefore),
    listInStates: db.prepare<[string], RequestRow>(SQL.listInStates),
    insertAudit: db.prepare<AuditColumns>(SQL.insertAudit),
    listAuditAll: db.prepare<[number], AuditRow>(SQL.listAuditAll),
    listAuditByRequest: db.prepare<[string, number], AuditRow>(SQL.listAuditByRequest),
    upsertMessageRef: db.prepare<MessageRef & { requestId: string }>(SQL.upsertMessageRef),
    listMessageRefs: db.prepare<[string], Record<string, unknown>>(SQL.listMessageRefs),
    getConversation: db.prepare<[string], ConversationRow>(SQL.getConversation),
    upsertConversation: db.prepare<{ key: string; body: string; updatedAt: string }>(SQL.upsertConversation),
    pruneDeliveries: db.prepare<[string]>(SQL.pruneDeliveries),
    insertDelivery: db.prepare<[string, string]>(SQL.insertDelivery),
    acquireLease: db.prepare<{ name: string; owner: string; until: string; now: string }>(SQL.acquireLease),
    pruneLeases: db.prepare<{ now: string }>(SQL.pruneLeases),
  };
}

function isConstraint(error: unknown, code: string): boolean {
  return error instanceof Database.SqliteError && error.code === code;
}

function requestColumns(request: AccessRequest): RequestColumns {
  checkBeforeWrite(AccessRequestSchema, request, `request ${request.id}`);
  return {
    id: request.id,
    state: request.state,
    version: request.version,
    requesterId: request.requesterId,
    expiresAt: request.grant ? canonicalTime(request.grant.expiresAt, `Request ${request.id} grant.expiresAt`) : null,
    createdAt: canonicalTime(request.createdAt, `Request ${request.id} createdAt`),
    updatedAt: canonicalTime(request.updatedAt, `Request ${request.id} updatedAt`),
    body: JSON.stringify(request),
  };
}

function readRequest(row: RequestRow): AccessRequest {
  const request = parseStored(AccessRequestSchema, row.body, 'requests', row.id);
  if (request.id !== row.id) throw new CorruptRowError('requests', row.id, `body has id ${JSON.stringify(request.id)}`);
  return request;
}

function readAudit(row: AuditRow): AuditEvent {
  return {
    id: row.id,
    at: row.at,
    requestId: row.request_id,
    actorId: row.actor_id,
    type: row.type,
    detail: parseStored(AuditDetailSchema, row.detail, 'audit_events', row.id),
  };
}

/**
 * The Store port over an embedded SQLite database (better-sqlite3). Every call runs synchronously
 * inside the process, so a transaction is never interleaved with another call on this connection;
 * other connections to the same file are kept out by SQLite's locks, and request writes stay correct
 * across them because they are compare-and-set on `version`.
 */
export class SqliteStore implements Store {
  private readonly stmts: ReturnType<typeof prepareStatements>;
  private readonly chatAddresses: ChatAddressTable;
  private readonly policyVersions: PolicyVersionTable;
  // better-sqlite3 transactions: BEGIN before, COMMIT after, ROLLBACK if the function throws.
  private readonly insertRequestTx: (request: AccessRequest, event: AuditEvent) => void;
  private readonly saveRequestTx: (next: AccessRequest, expectedVersion: number, event: AuditEvent) => boolean;
  private readonly claimDeliveryTx: (key: string, at: string, expiresAt: string) => boolean;

  private constructor(private readonly db: Database.Database) {
    this.stmts = prepareStatements(db);
    this.chatAddresses = new ChatAddressTable(db);
    this.policyVersions = new PolicyVersionTable(db);
    this.insertRequestTx = db.transaction((request: AccessRequest, event: AuditEvent) => {
      try {
        this.stmts.insertRequest.run(requestColumns(request));
      } catch (error) {
        if (isConstraint(error, 'SQLITE_CONSTRAINT_PRIMARYKEY')) {
          throw new Error(`Request ${request.id} already exists; a new request needs a new id.`);
        }
        throw error;
      }
      this.writeApprovers(request);
      this.insertAudit(event);
    });
    this.saveRequestTx = db.transaction((next: AccessRequest, expectedVersion: number, event: AuditEvent) => {
      const { changes } = this.stmts.updateRequestIfVersion.run({ ...requestColumns(next), expectedVersion });
      if (changes === 0) return false;
      this.writeApprovers(next);
      this.insertAudit(event);
      return true;
    });
    this.claimDeliveryTx = db.transaction((key: string, at: string, expiresAt: string) => {
      // Expired claims are dropped rather than kept: they would otherwise accumulate forever.
      this.stmts.pruneDeliveries.run(at);
      return this.stmts.insertDelivery.run(key, expiresAt).changes === 1;
    });
  }

  /** Opens (creating if needed) the database at `path`, or a private one for ':memory:', and migrates it. */
  static open(path: string): SqliteStore {
    const inMemory = path === ':memory:';
    if (!inMemory) mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
    try {
      // WAL lets readers (e.g. a second replica or an admin CLI) work while a write is in progress.
      if (!inMemory) db.pragma('journal_mode = WAL');
      // Off by default in SQLite, per connection.
      db.pragma('foreign_keys = ON');
      migrate(db, inMemory ? ':memory:' : path);
      return new SqliteStore(db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** Keeps request_approvers equal to "pending requests and who may decide them" (see the migration). */
  private writeApprovers(request: AccessRequest): void {
    this.stmts.deleteApprovers.run(request.id);
    if (request.state !== 'pending_approval') return;
    for (const approverId of request.approverIds) this.stmts.insertApprover.run(approverId, request.id);
  }

  private insertAudit(event: AuditEvent): void {
    checkBeforeWrite(AuditEventSchema, event, `audit event ${event.id}`);
    try {
      this.stmts.insertAudit.run({
        id: event.id,
        requestId: event.requestId,
        at: event.at,
        actorId: event.actorId,
        type: event.type,
        detail: JSON.stringify(event.detail),
      });
    } catch (error) {
      if (isConstraint(error, 'SQLITE_CONSTRAINT_UNIQUE')) {
        throw new Error(`Audit event ${event.id} is already recorded; every event needs a new id.`);
      }
      throw error;
    }
  }

  async createRequest(request: AccessRequest, event: AuditEvent): Promise<void> {
    checkNewRequest(request, event);
    this.insertRequestTx(request, event);
  }

  async getRequest(id: string): Promise<AccessRequest | undefined> {
    const row = this.stmts.getRequest.get(id);
    return row ? readRequest(row) : undefined;
  }

  /** Also false when no request has this id: for a compare-and-set that is the same "not written". */
  async saveRequest(next: AccessRequest, expectedVersion: number, event: AuditEvent): Promise<boolean> {
    checkNextVersion(next, expectedVersion, event);
    return this.saveRequestTx(next, expectedVersion, event);
  }

  async listRequestsByRequester(
    requesterId: string,
    opts: { limit?: number; cursor?: string | null } = {},
  ): Promise<Page<AccessRequest>> {
    const limit = opts.limit === undefined ? DEFAULT_PAGE_SIZE : checkLimit(opts.limit, MAX_PAGE_SIZE);
    // One extra row tells whether another page exists, so the last page says so with a null cursor.
    const rows = opts.cursor
      ? this.stmts.listByRequesterAfter.all({ requesterId, ...decodeCursor(opts.cursor), limit: limit + 1 })
      : this.stmts.listByRequesterFirst.all({ requesterId, limit: limit + 1 });
    const pageRows = rows.slice(0, limit);
    const last = pageRows.at(-1);
    return {
      items: pageRows.map(readRequest),
      cursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null,
    };
  }

  async listPendingForApprover(approverId: string): Promise<AccessRequest[]> {
    return this.stmts.listPendingForApprover.all(approverId).map(readRequest);
  }

  async listActiveExpiringBefore(at: string): Promise<AccessRequest[]> {
    return this.stmts.listActiveExpiringBefore.all(canonicalTime(at, 'at')).map(readRequest);
  }

  async listRequestsInStates(states: readonly string[]): Promise<AccessRequest[]> {
    if (states.length === 0) return [];
    return this.stmts.listInStates.all(JSON.stringify(states)).map(readRequest);
  }

  async appendAudit(event: AuditEvent): Promise<void> {
    this.insertAudit(event);
  }

  /** With `limit`, the oldest `limit` events. */
  async listAudit(filter: { requestId?: string; limit?: number } = {}): Promise<AuditEvent[]> {
    // SQLite reads a negative LIMIT as "no limit".
    const limit = filter.limit === undefined ? -1 : checkLimit(filter.limit, Number.MAX_SAFE_INTEGER);
    const rows =
      filter.requestId === undefined
        ? this.stmts.listAuditAll.all(limit)
        : this.stmts.listAuditByRequest.all(filter.requestId, limit);
    return rows.map(readAudit);
  }

  /** Adding the same message (platform, channel, ts) again only updates its purpose. */
  async addMessageRef(requestId: string, ref: MessageRef): Promise<void> {
    const checked = checkBeforeWrite(MessageRefSchema, ref, `a message ref of request ${requestId}`);
    try {
      this.stmts.upsertMessageRef.run({ requestId, ...checked });
    } catch (error) {
      if (isConstraint(error, 'SQLITE_CONSTRAINT_FOREIGNKEY')) {
        throw new Error(`Cannot record a message for request ${requestId}: no such request.`);
      }
      throw error;
    }
  }

  async listMessageRefs(requestId: string): Promise<MessageRef[]> {
    return this.stmts.listMessageRefs
      .all(requestId)
      .map((row) => parseValue(MessageRefSchema, row, 'message_refs', requestId));
  }

  async getConversation(key: string): Promise<Conversation | undefined> {
    const row = this.stmts.getConversation.get(key);
    if (!row) return undefined;
    const conversation = parseStored(ConversationSchema, row.body, 'conversations', row.key);
    if (conversation.key !== row.key) {
      throw new CorruptRowError('conversations', row.key, `body has key ${JSON.stringify(conversation.key)}`);
    }
    return conversation;
  }

  async saveConversation(conversation: Conversation): Promise<void> {
    checkBeforeWrite(ConversationSchema, conversation, `conversation ${conversation.key}`);
    this.stmts.upsertConversation.run({
      key: conversation.key,
      body: JSON.stringify(conversation),
      updatedAt: canonicalTime(conversation.updatedAt, `Conversation ${conversation.key} updatedAt`),
    });
  }

  async saveChatAddress(address: ChatAddress): Promise<void> {
    this.chatAddresses.save(address);
  }

  async getChatAddress(platform: ChatPlatform, key: string): Promise<ChatAddress | undefined> {
    return this.chatAddresses.find(platform, key);
  }

  async savePolicyVersion(v: PolicyVersion): Promise<boolean> {
    return this.policyVersions.save(v);
  }

  async getLatestPolicyVersion(kind: PolicyKind): Promise<PolicyVersion | undefined> {
    return this.policyVersions.find(kind, 0);
  }

  async getPreviousPolicyVersion(kind: PolicyKind): Promise<PolicyVersion | undefined> {
    return this.policyVersions.find(kind, 1);
  }

  async claimDelivery(key: string, at: string, ttlSeconds: number): Promise<boolean> {
    checkTtlSeconds(ttlSeconds);
    const now = canonicalTime(at, 'at');
    return this.claimDeliveryTx(key, now, addSeconds(now, ttlSeconds));
  }

  async acquireLease(name: string, owner: string, now: string, until: string): Promise<boolean> {
    const from = canonicalTime(now, 'now');
    const to = canonicalTime(until, 'until');
    if (to <= from) throw new RangeError(`Lease ${name}: until (${until}) must be after now (${now}).`);
    this.stmts.pruneLeases.run({ now: from });
    return this.stmts.acquireLease.run({ name, owner, now: from, until: to }).changes === 1;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /**
   * The connection, for adapters of other ports that keep their tables in this database and its
   * migrations (the scans' ScanStore). The access workflows use the Store methods only.
   */
  get connection(): Database.Database {
    return this.db;
  }
}
