import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccessRequest } from '../../src/access/types.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/sqlite/migrations.js';
import { SQL } from '../../src/store/sqlite/sql.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { BUILDER_TIME, makeEvent, makeEventFor, makeRequest, plusSeconds } from '../support/builders.js';
import { storeContract } from '../support/store-contract.js';

storeContract('SQLite in memory', async () => SqliteStore.open(':memory:'));

// Files take the WAL path, which memory databases skip.
const contractDirs: string[] = [];
storeContract(
  'SQLite file',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-contract-'));
    contractDirs.push(dir);
    return SqliteStore.open(join(dir, 'warden.db'));
  },
  async (store) => {
    await store.close();
    for (const dir of contractDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  },
);

describe('SqliteStore specifics', () => {
  let dir: string;
  let path: string;
  const open: SqliteStore[] = [];
  const openStore = (p = path) => {
    const store = SqliteStore.open(p);
    open.push(store);
    return store;
  };
  /** A second, raw connection to inspect or damage the file behind the store's back. */
  const raw = (fn: (db: Database.Database) => void) => {
    const db = new Database(path);
    try {
      fn(db);
    } finally {
      db.close();
    }
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'warden-sqlite-'));
    path = join(dir, '.warden', 'warden.db');
  });
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('files and migrations', () => {
    it('creates the parent folder, and keeps data across close and reopen', async () => {
      const first = openStore();
      const request = makeRequest();
      await first.createRequest(request, makeEventFor(request));
      await first.acquireLease('digest', 'replica-a', BUILDER_TIME, plusSeconds(BUILDER_TIME, 60));
      await first.close();

      const second = openStore();
      expect(await second.getRequest(request.id)).toEqual(request);
      expect(await second.listAudit({ requestId: request.id })).toHaveLength(1);
      expect(await second.acquireLease('digest', 'replica-b', plusSeconds(BUILDER_TIME, 1), plusSeconds(BUILDER_TIME, 61))).toBe(false);
    });

    it('does not keep leases past their time: per-period digest leases do not pile up', async () => {
      const store = openStore();
      for (let i = 0; i < 50; i++) await store.acquireLease(`digest.expiring.${i}`, 'replica-a', plusSeconds(BUILDER_TIME, i * 120), plusSeconds(BUILDER_TIME, i * 120 + 60));
      // A lease still held is kept and still refuses another owner.
      expect(await store.acquireLease('digest.expiring.49', 'replica-b', plusSeconds(BUILDER_TIME, 49 * 120 + 1), plusSeconds(BUILDER_TIME, 49 * 120 + 90))).toBe(false);
      await store.close();
      raw((db) => {
        expect((db.prepare('SELECT name FROM leases').all() as Array<{ name: string }>).map((r) => r.name)).toEqual(['digest.expiring.49']);
      });
    });

    it('sets user_version to the latest migration and uses WAL', async () => {
      await openStore().close();
      raw((db) => {
        expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
        expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
        expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      });
      // Reopening an up-to-date database migrates nothing and fails nothing.
      await openStore().close();
    });

    it('refuses a database written by a newer Warden, naming the file and both versions', async () => {
      await openStore().close();
      raw((db) => db.pragma(`user_version = ${SCHEMA_VERSION + 1}`));
      expect(() => SqliteStore.open(path)).toThrow(
        new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*version ${SCHEMA_VERSION + 1}.*up to ${SCHEMA_VERSION}`),
      );
    });

    it('gives every list query an index rather than a table scan', () => {
      const db = new Database(':memory:');
      try {
        db.exec(MIGRATIONS.join(';\n'));
        const params = { requesterId: 'a', createdAt: 'b', id: 'c', limit: 1, expectedVersion: 1 };
        const queries = {
          listByRequesterFirst: params,
          listByRequesterAfter: params,
          listPendingForApprover: ['bob'],
          listActiveExpiringBefore: ['x'],
          listInStates: ['["active"]'],
          listAuditAll: [1],
          listAuditByRequest: ['r', 1],
          listMessageRefs: ['r'],
          pruneDeliveries: ['x'],
        } as const;
        for (const [name, args] of Object.entries(queries)) {
          const plan = db
            .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${SQL[name as keyof typeof SQL]}`)
            .all(...(Array.isArray(args) ? args : [args]))
            .map((row) => row.detail);
          // json_each is a virtual table: scanning the caller's list of states is expected. Sorting is
          // fine where only what matched is sorted: rows of several states merged into one order, and
          // the few pending requests of one approver.
          const sortAllowed = name === 'listInStates' || name === 'listPendingForApprover';
          // "SCAN t USING INDEX i" walks an index in order and is fine; a bare "SCAN t" reads the table.
          const scans = plan.filter((d) => /^SCAN \w+$/.test(d) || (!sortAllowed && /TEMP B-TREE/.test(d)));
          expect(scans, `${name}: ${plan.join(' | ')}`).toEqual([]);
        }
      } finally {
        db.close();
      }
    });
  });

  describe('corrupted rows', () => {
    let eventId = '';
    async function storedRequest(): Promise<AccessRequest> {
      const store = openStore();
      const request = makeRequest({ state: 'pending_approval', approverIds: ['bob'] });
      const event = makeEventFor(request);
      eventId = event.id;
      await store.createRequest(request, event);
      await store.close();
      return request;
    }

    it('names the request whose body is not JSON', async () => {
      const request = await storedRequest();
      raw((db) => db.prepare('UPDATE requests SET body = ? WHERE id = ?').run('{"id": "r-', request.id));
      const store = openStore();
      await expect(store.getRequest(request.id)).rejects.toThrow(new RegExp(`${request.id}.*not valid JSON`));
      await expect(store.listPendingForApprover('bob')).rejects.toThrow(request.id);
    });

    it('names the request and the field when the body does not match the schema', async () => {
      const request = await storedRequest();
      raw((db) => {
        const broken = { ...request, draft: { ...request.draft, accountId: undefined }, state: 'lost' };
        db.prepare('UPDATE requests SET body = ? WHERE id = ?').run(JSON.stringify(broken), request.id);
      });
      const store = openStore();
      const error: unknown = await store.getRequest(request.id).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(String(error)).toContain(request.id);
      expect(String(error)).toContain('draft.accountId');
      expect(String(error)).toContain('state');
      await expect(store.listRequestsByRequester('alice')).rejects.toThrow(request.id);
    });

    it('notices a body that belongs to another id', async () => {
      const request = await storedRequest();
      raw((db) =>
        db.prepare('UPDATE requests SET body = ? WHERE id = ?').run(JSON.stringify({ ...request, id: 'r-other' }), request.id),
      );
      await expect(openStore().getRequest(request.id)).rejects.toThrow(new RegExp(`${request.id}.*r-other`));
    });

    it('names the audit event whose detail is not an object', async () => {
      const request = await storedRequest();
      raw((db) => db.prepare("UPDATE audit_events SET detail = '[1, 2]'").run());
      const store = openStore();
      await expect(store.listAudit({ requestId: request.id })).rejects.toThrow(`audit_events row "${eventId}" is corrupted`);
    });
  });

  describe('pagination', () => {
    it('fills every page but the last, and ends with a null cursor', async () => {
      const store = openStore(':memory:');
      for (let i = 0; i < 250; i++) {
        const request = makeRequest({ createdAt: plusSeconds(BUILDER_TIME, i) });
        await store.createRequest(request, makeEventFor(request));
      }
      const sizes: number[] = [];
      let cursor: string | null = null;
      do {
        const page = await store.listRequestsByRequester('alice', { limit: 100, cursor });
        sizes.push(page.items.length);
        cursor = page.cursor;
      } while (cursor !== null);
      expect(sizes).toEqual([100, 100, 50]);
    });

    it('refuses a cursor it did not make, and a limit out of range', async () => {
      const store = openStore(':memory:');
      await expect(store.listRequestsByRequester('alice', { cursor: 'not-a-cursor' })).rejects.toThrow(/cursor/);
      await expect(store.listRequestsByRequester('alice', { limit: 0 })).rejects.toThrow(/limit/);
      await expect(store.listRequestsByRequester('alice', { limit: 1.5 })).rejects.toThrow(/limit/);
    });
  });

  describe('timestamps', () => {
    it('compares instants, not spellings, of ISO-8601 timestamps', async () => {
      const store = openStore(':memory:');
      const request = makeRequest({
        state: 'active',
        grant: { grantedAt: BUILDER_TIME, expiresAt: '2025-01-06T10:00:00.000Z', mode: 'iam-inline', handle: {} },
      });
      await store.createRequest(request, makeEventFor(request));
      // Same instant without milliseconds, and with an offset: as text both would sort wrongly.
      expect(await store.listActiveExpiringBefore('2025-01-06T10:00:00Z')).toEqual([request]);
      expect(await store.listActiveExpiringBefore('2025-01-06T11:00:00+01:00')).toEqual([request]);
      expect(await store.listActiveExpiringBefore('2025-01-06T09:59:59.999Z')).toEqual([]);
      await expect(store.listActiveExpiringBefore('tomorrow')).rejects.toThrow(/ISO-8601/);
    });
  });

  describe('input checks', () => {
    it('refuses to store values that would read back as corrupt', async () => {
      const store = openStore(':memory:');
      const bad = { ...makeRequest(), state: 'lost' } as unknown as AccessRequest;
      await expect(store.createRequest(bad, makeEventFor(bad))).rejects.toThrow(/Refusing to store request.*state/);
      const v2 = makeRequest({ version: 2 });
      await expect(store.createRequest(v2, makeEventFor(v2))).rejects.toThrow(/version 1/);
      const request = makeRequest();
      await expect(store.createRequest(request, makeEvent())).rejects.toThrow(request.id);
      await expect(store.addMessageRef(request.id, { platform: 'slack', channel: 'C1', ts: '1.2', purpose: 'approval' })).rejects.toThrow(
        /no such request/,
      );
      await expect(store.claimDelivery('k', BUILDER_TIME, 0)).rejects.toThrow(/ttlSeconds/);
      await expect(store.acquireLease('l', 'o', BUILDER_TIME, BUILDER_TIME)).rejects.toThrow(/until/);
      expect(await store.listAudit()).toEqual([]);
    });
  });

  describe('two connections to one file', () => {
    it('lets only one of two processes win a compare-and-set', async () => {
      const a = openStore();
      const b = openStore();
      const v1 = makeRequest({ state: 'pending_approval' });
      await a.createRequest(v1, makeEventFor(v1));

      const fromA = { ...v1, version: 2, state: 'approved' as const };
      const fromB = { ...v1, version: 2, state: 'denied' as const };
      expect(await a.saveRequest(fromA, 1, makeEventFor(fromA))).toBe(true);
      expect(await b.saveRequest(fromB, 1, makeEventFor(fromB))).toBe(false);
      expect(await b.getRequest(v1.id)).toEqual(fromA);
      expect(await b.claimDelivery('slack:Ev1', BUILDER_TIME, 60)).toBe(true);
      expect(await a.claimDelivery('slack:Ev1', BUILDER_TIME, 60)).toBe(false);
    });
  });
});
