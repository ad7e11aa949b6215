import { SqliteScanStore } from '../../src/scans/sqlite/sqlite-scan-store.js';
import type { ScanStore } from '../../src/scans/store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { scanStoreContract } from '../support/scan-store-contract.js';

// Each scan store gets its own in-memory database; the map finds it again to close it.
const stores = new Map<ScanStore, SqliteStore>();

scanStoreContract(
  'SQLite',
  async () => {
    const store = SqliteStore.open(':memory:');
    const scans = new SqliteScanStore(store.connection);
    stores.set(scans, store);
    return scans;
  },
  async (scans) => {
    stores.get(scans)?.close();
    stores.delete(scans);
  },
);
