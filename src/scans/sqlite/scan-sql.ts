import { ACTIVE_SCAN_STATES } from '../scan.js';

// The same list as the partial unique index scans_one_active_per_account in the migration.
const ACTIVE = ACTIVE_SCAN_STATES.map((state) => `'${state}'`).join(', ');

/** Every statement the SQLite ScanStore runs (tables: migration 3 in src/store/sqlite/migrations.ts). */
export const SCAN_SQL = {
  insertScan: `
    INSERT INTO scans (id, account_id, state, version, created_at, finished_at, body)
    VALUES (@id, @accountId, @state, @version, @createdAt, @finishedAt, @body)`,
  updateScanIfVersion: `
    UPDATE scans SET state = @state, version = @version, finished_at = @finishedAt, body = @body
     WHERE id = @id AND version = @expectedVersion`,
  getScan: `SELECT id, body FROM scans WHERE id = ?`,
  activeFor: `SELECT id, body FROM scans WHERE account_id = ? AND state IN (${ACTIVE})`,
  activeScans: `SELECT id, body FROM scans WHERE state IN (${ACTIVE}) ORDER BY created_at, id`,
  latestSucceeded: `
    SELECT id, body FROM scans
     WHERE account_id = @accountId AND state = 'succeeded' AND id <> @exceptId
     ORDER BY finished_at DESC, id DESC LIMIT 1`,
  recentScans: `
    SELECT id, body FROM scans WHERE finished_at IS NOT NULL
     ORDER BY finished_at DESC, id DESC LIMIT ?`,
  // Finished before the cut-off, except each account's newest succeeded scan (the next delta needs it).
  pruneFinished: `
    DELETE FROM scans
     WHERE finished_at IS NOT NULL AND finished_at < @before
       AND id NOT IN (
         SELECT (SELECT s.id FROM scans s WHERE s.account_id = a.account_id AND s.state = 'succeeded'
                  ORDER BY s.finished_at DESC, s.id DESC LIMIT 1)
           FROM (SELECT DISTINCT account_id FROM scans) a)`,

  getFinding: `SELECT body FROM scan_findings WHERE scan_id = ? AND key = ?`,
  // Most findings are new: insert first, and only read and merge when the key is already there.
  insertFindingIfNew: `
    INSERT INTO scan_findings (scan_id, key, status, severity_rank, practices, pillar_bits, tools, body)
    VALUES (@scanId, @key, @status, @severityRank, @practices, @pillarBits, @tools, @body)
    ON CONFLICT (scan_id, key) DO NOTHING`,
  upsertFinding: `
    INSERT INTO scan_findings (scan_id, key, status, severity_rank, practices, pillar_bits, tools, body)
    VALUES (@scanId, @key, @status, @severityRank, @practices, @pillarBits, @tools, @body)
    ON CONFLICT (scan_id, key) DO UPDATE SET
      status = excluded.status, severity_rank = excluded.severity_rank, practices = excluded.practices,
      pillar_bits = excluded.pillar_bits, tools = excluded.tools, body = excluded.body`,

  countByStatusSeverity: `
    SELECT status, severity_rank AS rank, count(*) AS n FROM scan_findings WHERE scan_id = ? GROUP BY status, severity_rank`,
  // One row per (status, set of pillars): a handful of rows, split into pillars in code.
  countByPillar: `
    SELECT pillar_bits AS bits, status, count(*) AS n FROM scan_findings
     WHERE scan_id = ? AND status IN ('pass', 'fail') AND pillar_bits <> 0
     GROUP BY pillar_bits, status`,
  // ai: how many of them the AI classifier mapped (the body's mappedBy), to mark practices only it found.
  failingByPractice: `
    SELECT p.value AS id, count(*) AS n, sum(json_extract(f.body, '$.mappedBy') = 'ai') AS ai
      FROM scan_findings f, json_each(f.practices) p
     WHERE f.scan_id = ? AND f.status = 'fail'
     GROUP BY p.value ORDER BY n DESC, id`,
  unmappedFailing: `SELECT count(*) AS n FROM scan_findings WHERE scan_id = ? AND status = 'fail' AND practices = '[]'`,
  failingUnder: `
    SELECT f.body FROM scan_findings f
     WHERE f.scan_id = @scanId AND f.status = 'fail'
       AND EXISTS (SELECT 1 FROM json_each(f.practices) p WHERE p.value = @practiceId)
     ORDER BY f.severity_rank, f.key LIMIT @limit`,
  failingUnmapped: `
    SELECT body FROM scan_findings WHERE scan_id = @scanId AND status = 'fail' AND practices = '[]'
     ORDER BY severity_rank, key LIMIT @limit`,

  deltaNew: `
    SELECT count(*) AS n FROM scan_findings c
     WHERE c.scan_id = @current AND c.status = 'fail'
       AND NOT EXISTS (SELECT 1 FROM scan_findings p WHERE p.scan_id = @previous AND p.key = c.key AND p.status = 'fail')`,
  deltaStill: `
    SELECT count(*) AS n FROM scan_findings c
      JOIN scan_findings p ON p.scan_id = @previous AND p.key = c.key AND p.status = 'fail'
     WHERE c.scan_id = @current AND c.status = 'fail'`,
  // A previous failure is resolved only if a tool that reported it ran again: a tool left out of
  // this scan proves nothing.
  deltaResolved: `
    SELECT count(*) AS n FROM scan_findings p
     WHERE p.scan_id = @previous AND p.status = 'fail'
       AND NOT EXISTS (SELECT 1 FROM scan_findings c WHERE c.scan_id = @current AND c.key = p.key AND c.status = 'fail')
       AND EXISTS (SELECT 1 FROM json_each(p.tools) t WHERE t.value IN (SELECT value FROM json_each(@tools)))`,

  // AI classifications by catalog/prompt version, tool and check: the table is created by the scan
  // store itself (IF NOT EXISTS), so a database from before it gains it without a new migration step.
  createClassifications: `
    CREATE TABLE IF NOT EXISTS wafr_classifications (
      version       TEXT NOT NULL,
      tool          TEXT NOT NULL,
      check_id      TEXT NOT NULL,
      practices     TEXT NOT NULL,
      classified_at TEXT NOT NULL,
      PRIMARY KEY (version, tool, check_id)
    ) WITHOUT ROWID`,
  getClassification: `SELECT practices FROM wafr_classifications WHERE version = @version AND tool = @tool AND check_id = @checkId`,
  saveClassification: `
    INSERT INTO wafr_classifications (version, tool, check_id, practices, classified_at)
    VALUES (@version, @tool, @checkId, @practices, @classifiedAt)
    ON CONFLICT (version, tool, check_id) DO UPDATE SET practices = excluded.practices, classified_at = excluded.classified_at`,
} as const;
