import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoScanStore } from '../../src/scans/dynamodb/dynamo-scan-store.js';
import type { ScanStore } from '../../src/scans/store.js';
import { DynamoStore } from '../../src/store/dynamodb/dynamo-store.js';
import { keys } from '../../src/store/dynamodb/keys.js';
import { SKIP_DYNAMODB, startDynamoLocal, type DynamoLocal } from '../support/dynamodb-local.js';
import { scan, scanStoreContract } from '../support/scan-store-contract.js';

/*
 * One DynamoDB Local for this file, a fresh table per test, created by the DynamoStore as in
 * production: the scan store must live in the access store's table without new indexes.
 */
let local: DynamoLocal | undefined;
let tableCount = 0;

function dynamo(): DynamoLocal {
  if (!local) throw new Error('DynamoDB Local is not running: beforeAll did not finish.');
  return local;
}

describe.skipIf(SKIP_DYNAMODB)('DynamoScanStore on DynamoDB Local', () => {
  beforeAll(async () => {
    local = await startDynamoLocal();
  }, 60_000);
  afterAll(async () => {
    await local?.stop();
  });

  scanStoreContract(
    'DynamoDB Local',
    async () => {
      tableCount += 1;
      const tableName = `warden-scans-test-${tableCount}`;
      await DynamoStore.create({ tableName, client: dynamo().client }).ensureTable();
      return DynamoScanStore.create({ tableName, client: dynamo().client });
    },
    async (scans: ScanStore) => {
      if (!(scans instanceof DynamoScanStore)) throw new Error('not a DynamoScanStore');
      await dynamo().client.send(new DeleteTableCommand({ TableName: scans.tableName }));
    },
  );

  describe('DynamoScanStore specifics', () => {
    let doc: DynamoDBDocumentClient;
    let scans: DynamoScanStore;
    beforeAll(async () => {
      tableCount += 1;
      const tableName = `warden-scans-specific-${tableCount}`;
      await DynamoStore.create({ tableName, client: dynamo().client }).ensureTable();
      scans = DynamoScanStore.create({ tableName, client: dynamo().client });
      doc = DynamoDBDocumentClient.from(dynamo().client);
    });

    it('clears a lock left by an interrupted finish instead of blocking the account forever', async () => {
      await scans.createScan(scan('s-1', { accountId: '333333333333' }));
      const s1 = (await scans.getScan('s-1'))!;
      // The scan finished, but the process stopped before releasing the lock: put it back by hand.
      expect(await scans.saveScan({ ...s1, state: 'failed', version: 2, finishedAt: '2026-11-23T10:05:00.000Z' }, 1)).toBe(true);
      await doc.send(new PutCommand({ TableName: scans.tableName, Item: { ...keys.scanLock('333333333333'), kind: 'scan_lock', scanId: 's-1' } }));
      expect(await scans.createScan(scan('s-2', { accountId: '333333333333' }))).toEqual({ created: true });
      expect(await scans.createScan(scan('s-3', { accountId: '333333333333' }))).toMatchObject({ created: false, active: { id: 's-2' } });
    });

    it('names a corrupted finding item', async () => {
      await scans.createScan(scan('s-9', { accountId: '444444444444' }));
      await doc.send(
        new PutCommand({
          TableName: scans.tableName,
          Item: { ...keys.finding('s-9', 'k'), status: 'fail', rank: 1, practices: ['SEC01-BP02'], pillarBits: 1, tools: ['prowler'], body: '{' },
        }),
      );
      await expect(scans.failingUnder('s-9', 'SEC01-BP02', 5)).rejects.toThrow(/FINDING#k.*not JSON/);
    });
  });
});
