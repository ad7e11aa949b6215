import type Database from 'better-sqlite3';

/**
 * Schema changes, oldest first. The list index + 1 is the version a migration brings the database to,
 * recorded in `PRAGMA user_version`. Never edit or reorder a shipped migration: databases in the field
 * have already run it. Add a new one at the end instead.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: initial schema. Columns beside `body` exist only to be queried; `body` is the source of truth.
  `
  CREATE TABLE requests (
    id           TEXT PRIMARY KEY,
    state        TEXT NOT NULL,
    version      INTEGER NOT NULL,
    requester_id TEXT NOT NULL,
    expires_at   TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    body         TEXT NOT NULL
  ) STRICT;
  -- listRequestsByRequester (walked backwards for newest first)
  CREATE INDEX requests_by_requester ON requests (requester_id, created_at, id);
  -- listRequestsInStates, and the state filter of listPendingForApprover
  CREATE INDEX requests_by_state ON requests (state, created_at, id);
  -- listActiveExpiringBefore
  CREATE INDEX requests_by_expiry ON requests (state, expires_at, id);

  -- Who still has to decide: rows exist only while a request is pending_approval, so an approver's
  -- lookup stays small however many requests they decided in the past.
  CREATE TABLE request_approvers (
    approver_id TEXT NOT NULL,
    request_id  TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    PRIMARY KEY (approver_id, request_id)
  ) STRICT, WITHOUT ROWID;
  -- rewriting a request's approvers, and the foreign key check
  CREATE INDEX request_approvers_by_request ON request_approvers (request_id);

  -- No foreign key to requests: some events (a refused draft, an admin action) have no stored request.
  CREATE TABLE audit_events (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT NOT NULL UNIQUE,
    request_id TEXT,
    at         TEXT NOT NULL,
    actor_id   TEXT NOT NULL,
    type       TEXT NOT NULL,
    detail     TEXT NOT NULL
  ) STRICT;
  CREATE INDEX audit_by_request ON audit_events (request_id, at, seq);
  CREATE INDEX audit_by_time ON audit_events (at, seq);

  CREATE TABLE message_refs (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    platform   TEXT NOT NULL,
    channel    TEXT NOT NULL,
    ts         TEXT NOT NULL,
    purpose    TEXT NOT NULL,
    -- one row per posted message, so a retried post-and-record does not update a card twice
    UNIQUE (request_id, platform, channel, ts)
  ) STRICT;
  -- listMessageRefs, in the order the messages were posted
  CREATE INDEX message_refs_by_request ON message_refs (request_id, seq);

  CREATE TABLE conversations (
    key        TEXT PRIMARY KEY,
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE deliveries (
    key        TEXT PRIMARY KEY,
    expires_at TEXT NOT NULL
  ) STRICT;
  -- pruning expired deliveries
  CREATE INDEX deliveries_by_expiry ON deliveries (expires_at);

  CREATE TABLE leases (
    name  TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    until TEXT NOT NULL
  ) STRICT;
  `,
  // 2: where a chat platform can reach people and conversations later (Teams conversation references).
  `
  CREATE TABLE chat_addresses (
    platform   TEXT NOT NULL,
    key        TEXT NOT NULL,
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (platform, key)
  ) STRICT, WITHOUT ROWID;
  `,
  // 3: scans and their findings (src/scans/sqlite). `body` is the source of truth; the other columns are for queries.
  `
  CREATE TABLE scans (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL,
    state       TEXT NOT NULL,
    version     INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    finished_at TEXT,
    body        TEXT NOT NULL
  ) STRICT;
  -- At most one active scan per account: a second /scan of the account fails on this index.
  CREATE UNIQUE INDEX scans_one_active_per_account ON scans (account_id) WHERE state IN ('starting', 'running', 'ingesting');
  -- latestSucceeded, activeScans, recentScans and retention
  CREATE INDEX scans_by_account ON scans (account_id, state, finished_at);
  CREATE INDEX scans_by_state ON scans (state, created_at);
  CREATE INDEX scans_by_finished ON scans (finished_at);

  -- A rowid table: rows hold a whole finding (about 1 KB), too big for WITHOUT ROWID to pay off.
  CREATE TABLE scan_findings (
    scan_id       TEXT NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
    key           TEXT NOT NULL,
    status        TEXT NOT NULL,
    severity_rank INTEGER NOT NULL,
    practices     TEXT NOT NULL,
    -- bit i set: the finding counts for pillar i (in the order of PILLARS in src/scans/wafr/catalog-types.ts)
    pillar_bits   INTEGER NOT NULL,
    tools         TEXT NOT NULL,
    body          TEXT NOT NULL,
    UNIQUE (scan_id, key)
  ) STRICT;
  -- counts by status and severity, the details pages (most severe first), the delta
  CREATE INDEX scan_findings_by_status ON scan_findings (scan_id, status, severity_rank);
  `,
  // 4: admin-applied policy files (/warden guardrails set, /warden rules set), so every replica reads the same version.
  `
  CREATE TABLE policy_versions (
    kind     TEXT NOT NULL,
    version  INTEGER NOT NULL,
    body     TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    PRIMARY KEY (kind, version)
  ) STRICT, WITHOUT ROWID;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export class SchemaTooNewError extends Error {
  constructor(
    readonly location: string,
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `The Warden database ${location} has schema version ${found}, but this version of Warden only knows ` +
        `up to ${known}. It was written by a newer Warden: upgrade Warden, or point it at another database file.`,
    );
    this.name = 'SchemaTooNewError';
  }
}

function userVersion(db: Database.Database): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/**
 * Brings the database to SCHEMA_VERSION. All pending migrations run in one IMMEDIATE transaction that
 * re-reads the version inside it, so two processes opening a fresh file at once cannot both migrate,
 * and a failing migration leaves the database as it was.
 */
export function migrate(db: Database.Database, location: string): void {
  const run = db.transaction(() => {
    const current = userVersion(db);
    if (current > SCHEMA_VERSION) throw new SchemaTooNewError(location, current, SCHEMA_VERSION);
    for (let version = current + 1; version <= SCHEMA_VERSION; version++) {
      db.exec(MIGRATIONS[version - 1] ?? '');
      // user_version lives in the database header, so this write commits or rolls back with the DDL.
      db.pragma(`user_version = ${version}`);
    }
  });
  run.immediate();
}
