import type Database from 'better-sqlite3';
import { z } from 'zod';
import { CHAT_PLATFORMS, type ChatPlatform } from '../../access/types.js';
import { canonicalTime, checkBeforeWrite, CorruptRowError, parseStored } from '../shared/codec.js';
import type { ChatAddress } from '../store.js';

/** Stored chat addresses are read back through this schema: the reference is the adapter's JSON object. */
export const ChatAddressSchema = z.object({
  platform: z.enum(CHAT_PLATFORMS),
  key: z.string().min(1),
  reference: z.record(z.string(), z.unknown()),
  updatedAt: z.string(),
});

const SQL = {
  upsert: `
    INSERT INTO chat_addresses (platform, key, body, updated_at) VALUES (@platform, @key, @body, @updatedAt)
    ON CONFLICT (platform, key) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
  get: `SELECT key, body FROM chat_addresses WHERE platform = ? AND key = ?`,
} as const;

/** The chat_addresses table (migration 2), kept apart from the request tables it has nothing to do with. */
export class ChatAddressTable {
  private readonly upsert: Database.Statement<{ platform: string; key: string; body: string; updatedAt: string }>;
  private readonly get: Database.Statement<[string, string], { key: string; body: string }>;

  constructor(db: Database.Database) {
    this.upsert = db.prepare(SQL.upsert);
    this.get = db.prepare(SQL.get);
  }

  save(address: ChatAddress): void {
    const checked = checkBeforeWrite(ChatAddressSchema, address, `chat address ${address.platform}/${address.key}`);
    this.upsert.run({
      platform: checked.platform,
      key: checked.key,
      body: JSON.stringify(checked),
      updatedAt: canonicalTime(checked.updatedAt, `Chat address ${checked.key} updatedAt`),
    });
  }

  find(platform: ChatPlatform, key: string): ChatAddress | undefined {
    const row = this.get.get(platform, key);
    if (!row) return undefined;
    const address = parseStored(ChatAddressSchema, row.body, 'chat_addresses', `${platform}/${row.key}`);
    if (address.platform !== platform || address.key !== row.key) {
      throw new CorruptRowError('chat_addresses', `${platform}/${row.key}`, `body is for ${address.platform}/${address.key}`);
    }
    return address;
  }
}
