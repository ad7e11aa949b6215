import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from '../../../src/store/sqlite/migrations.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';

const stores: SqliteStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

describe('chat addresses in the SQLite store (Teams conversation references)', () => {
  it('saves, replaces and reads back an address per platform and key', async () => {
    const store = SqliteStore.open(':memory:');
    stores.push(store);
    const reference = { serviceUrl: 'https://smba.trafficmanager.net/teams/', conversation: { id: 'a:1x' } };
    await store.saveChatAddress({ platform: 'teams', key: 'user:a0', reference, updatedAt: '2026-11-23T10:00:00Z' });
    expect(await store.getChatAddress('teams', 'user:a0')).toEqual({ platform: 'teams', key: 'user:a0', reference, updatedAt: '2026-11-23T10:00:00Z' });
    expect(await store.getChatAddress('slack', 'user:a0')).toBeUndefined();
    await store.saveChatAddress({ platform: 'teams', key: 'user:a0', reference: { moved: true }, updatedAt: '2026-11-23T11:00:00Z' });
    expect((await store.getChatAddress('teams', 'user:a0'))?.reference).toEqual({ moved: true });
  });

  it('refuses to store an address the schema does not describe', async () => {
    const store = SqliteStore.open(':memory:');
    stores.push(store);
    await expect(store.saveChatAddress({ platform: 'teams', key: '', reference: {}, updatedAt: '2026-11-23T10:00:00Z' })).rejects.toThrow(/Refusing to store/);
  });

  it('is added by an appended migration, so a database of the first schema upgrades in place', () => {
    const db = new Database(':memory:');
    db.exec(MIGRATIONS[0]!);
    db.pragma('user_version = 1');
    migrate(db, ':memory:');
    expect(Number(db.pragma('user_version', { simple: true }))).toBe(MIGRATIONS.length);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'chat_addresses'`).get()).toBeDefined();
    db.close();
  });
});
