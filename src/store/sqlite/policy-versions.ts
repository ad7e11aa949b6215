import type Database from 'better-sqlite3';
import { CorruptRowError, parseStored } from '../shared/codec.js';
import { checkPolicyVersion, PolicyVersionSchema } from '../shared/policy-versions.js';
import type { PolicyKind, PolicyVersion } from '../store.js';

const SQL = {
  latest: `SELECT COALESCE(MAX(version), 0) AS version FROM policy_versions WHERE kind = ?`,
  insert: `INSERT INTO policy_versions (kind, version, body, saved_at) VALUES (@kind, @version, @body, @savedAt)`,
  // Newest first; the latest and the one before it are the first two rows.
  newest: `SELECT version, body FROM policy_versions WHERE kind = ? ORDER BY version DESC LIMIT 2`,
} as const;

interface Row {
  version: number;
  body: string;
}

/** The policy_versions table (migration 4): admin-applied guardrails and access rules. */
export class PolicyVersionTable {
  private readonly latest: Database.Statement<[string], { version: number }>;
  private readonly insert: Database.Statement<{ kind: string; version: number; body: string; savedAt: string }>;
  private readonly newest: Database.Statement<[string], Row>;
  private readonly saveTx: Database.Transaction<(v: PolicyVersion) => boolean>;

  constructor(db: Database.Database) {
    this.latest = db.prepare(SQL.latest);
    this.insert = db.prepare(SQL.insert);
    this.newest = db.prepare(SQL.newest);
    // Read and insert in one transaction, so the "next version" check cannot race another writer.
    this.saveTx = db.transaction((v: PolicyVersion) => {
      const current = this.latest.get(v.kind)?.version ?? 0;
      if (v.version !== current + 1) return false;
      this.insert.run({ kind: v.kind, version: v.version, body: JSON.stringify(v), savedAt: v.savedAt });
      return true;
    });
  }

  save(v: PolicyVersion): boolean {
    return this.saveTx.immediate(checkPolicyVersion(v));
  }

  /** `offset` 0 is the latest version, 1 the one before it. */
  find(kind: PolicyKind, offset: 0 | 1): PolicyVersion | undefined {
    const row = this.newest.all(kind)[offset];
    if (!row) return undefined;
    const id = `${kind}#${row.version}`;
    const v = parseStored(PolicyVersionSchema, row.body, 'policy_versions', id);
    if (v.kind !== kind || v.version !== row.version) throw new CorruptRowError('policy_versions', id, `body is for ${v.kind}#${v.version}`);
    return v;
  }
}
