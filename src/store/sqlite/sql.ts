/**
 * Every statement the SQLite store runs, in one place so a test can check each list query's plan
 * against the indexes in migrations.ts.
 */
export const SQL = {
  insertRequest: `
    INSERT INTO requests (id, state, version, requester_id, expires_at, created_at, updated_at, body)
    VALUES (@id, @state, @version, @requesterId, @expiresAt, @createdAt, @updatedAt, @body)`,
  // The compare-and-set: only the writer that still sees `expectedVersion` changes a row.
  updateRequestIfVersion: `
    UPDATE requests
       SET state = @state, version = @version, requester_id = @requesterId, expires_at = @expiresAt,
           created_at = @createdAt, updated_at = @updatedAt, body = @body
     WHERE id = @id AND version = @expectedVersion`,
  getRequest: `SELECT id, body FROM requests WHERE id = ?`,
  deleteApprovers: `DELETE FROM request_approvers WHERE request_id = ?`,
  insertApprover: `INSERT OR IGNORE INTO request_approvers (approver_id, request_id) VALUES (?, ?)`,

  // Keyset pagination on (created_at, id): stable under concurrent inserts, and cost does not grow
  // with the page number as OFFSET would.
  listByRequesterFirst: `
    SELECT id, body, created_at FROM requests
     WHERE requester_id = @requesterId
     ORDER BY created_at DESC, id DESC
     LIMIT @limit`,
  listByRequesterAfter: `
    SELECT id, body, created_at FROM requests
     WHERE requester_id = @requesterId AND (created_at, id) < (@createdAt, @id)
     ORDER BY created_at DESC, id DESC
     LIMIT @limit`,
  // CROSS JOIN fixes the join order: start from the approver's few rows, not from every pending request.
  listPendingForApprover: `
    SELECT r.id, r.body FROM request_approvers a
     CROSS JOIN requests r ON r.id = a.request_id
     WHERE a.approver_id = ? AND r.state = 'pending_approval'
     ORDER BY r.created_at, r.id`,
  listActiveExpiringBefore: `
    SELECT id, body FROM requests
     WHERE state = 'active' AND expires_at <= ?
     ORDER BY expires_at, id`,
  // One statement for any number of states: the list arrives as a JSON array.
  listInStates: `
    SELECT id, body FROM requests
     WHERE state IN (SELECT value FROM json_each(?))
     ORDER BY created_at, id`,

  insertAudit: `
    INSERT INTO audit_events (id, request_id, at, actor_id, type, detail)
    VALUES (@id, @requestId, @at, @actorId, @type, @detail)`,
  listAuditAll: `
    SELECT id, request_id, at, actor_id, type, detail FROM audit_events
     ORDER BY at, seq LIMIT ?`,
  listAuditByRequest: `
    SELECT id, request_id, at, actor_id, type, detail FROM audit_events
     WHERE request_id = ?
     ORDER BY at, seq LIMIT ?`,

  upsertMessageRef: `
    INSERT INTO message_refs (request_id, platform, channel, ts, purpose)
    VALUES (@requestId, @platform, @channel, @ts, @purpose)
    ON CONFLICT (request_id, platform, channel, ts) DO UPDATE SET purpose = excluded.purpose`,
  listMessageRefs: `
    SELECT platform, channel, ts, purpose FROM message_refs WHERE request_id = ? ORDER BY seq`,

  getConversation: `SELECT key, body FROM conversations WHERE key = ?`,
  upsertConversation: `
    INSERT INTO conversations (key, body, updated_at) VALUES (@key, @body, @updatedAt)
    ON CONFLICT (key) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,

  pruneDeliveries: `DELETE FROM deliveries WHERE expires_at <= ?`,
  insertDelivery: `INSERT OR IGNORE INTO deliveries (key, expires_at) VALUES (?, ?)`,

  // Takes a free or expired lease, or renews our own; leaves someone else's live lease untouched,
  // in which case no row changes.
  // A lease past its `until` may be taken by anyone, so deleting it changes nothing but the table's size
  // (per-period and per-grant leases of the digests would otherwise pile up).
  pruneLeases: `DELETE FROM leases WHERE until <= @now`,
  acquireLease: `
    INSERT INTO leases (name, owner, until) VALUES (@name, @owner, @until)
    ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until
     WHERE leases.owner = excluded.owner OR leases.until <= @now`,
} as const;
