import { CreateTableCommand, DeleteTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { transition } from '../../src/access/transition.js';
import type { AccessRequest } from '../../src/access/types.js';
import { randomIds } from '../../src/ids.js';
import { DynamoStore } from '../../src/store/dynamodb/dynamo-store.js';
import { requestItem } from '../../src/store/dynamodb/items.js';
import { keys } from '../../src/store/dynamodb/keys.js';
import { TTL_ATTRIBUTE } from '../../src/store/dynamodb/table-definition.js';
import type { Store } from '../../src/store/store.js';
import { BUILDER_TIME, makeDraft, makeEventFor, makeRequest, plusSeconds } from '../support/builders.js';
import { LOCAL_CLIENT_CONFIG, SKIP_DYNAMODB, startDynamoLocal, type DynamoLocal } from '../support/dynamodb-local.js';
import { ManualClock } from '../support/manual-clock.js';
import { storeContract } from '../support/store-contract.js';

/*
 * One DynamoDB Local for this file (about 1.5 s to start), a fresh table per test: tables are cheap
 * in memory, and no test can see another's items.
 */
let local: DynamoLocal | undefined;
let tableCount = 0;

function dynamo(): DynamoLocal {
  if (!local) throw new Error('DynamoDB Local is not running: beforeAll did not finish.');
  return local;
}

async function freshStore(): Promise<DynamoStore> {
  tableCount += 1;
  const store = DynamoStore.create({ tableName: `warden-test-${tableCount}`, client: dynamo().client });
  await store.ensureTable();
  return store;
}

async function dropStore(store: Store): Promise<void> {
  if (!(store instanceof DynamoStore)) throw new Error('not a DynamoStore');
  await store.close();
  await dynamo().client.send(new DeleteTableCommand({ TableName: store.tableName }));
}

describe.skipIf(SKIP_DYNAMODB)('DynamoStore on DynamoDB Local', () => {
  beforeAll(async () => {
    local = await startDynamoLocal();
  }, 60_000);
  afterAll(async () => {
    await local?.stop();
  });

  storeContract('DynamoDB Local', freshStore, dropStore);

  describe('DynamoStore specifics', () => {
    let store: DynamoStore;
    let doc: DynamoDBDocumentClient;
    const open: DynamoStore[] = [];
    const use = async () => {
      store = await freshStore();
      open.push(store);
      doc = DynamoDBDocumentClient.from(dynamo().client, { marshallOptions: { removeUndefinedValues: true } });
      return store;
    };
    afterEach(async () => {
      for (const s of open.splice(0)) await dropStore(s);
    });

    async function created(overrides: Partial<AccessRequest> = {}): Promise<AccessRequest> {
      const request = makeRequest(overrides);
      await store.createRequest(request, makeEventFor(request));
      return request;
    }

    /** Every item in a request's partition, by sort key. */
    async function partition(requestId: string): Promise<string[]> {
      const result = await doc.send(
        new QueryCommand({
          TableName: store.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': keys.requestPartition(requestId) },
        }),
      );
      return (result.Items ?? []).map((item) => String(item.SK));
    }

    describe('concurrency', () => {
      it('turns 20 parallel approvals of one request (quorum 1) into exactly one transition', async () => {
        await use();
        const pending = await created({ state: 'pending_approval', approverIds: ['bob', 'carol'], quorum: 1 });
        const deps = { store, clock: new ManualClock(BUILDER_TIME), ids: randomIds };
        // Each approver reads the request as a workflow would, then races the others to write.
        const outcomes = await Promise.all(
          Array.from({ length: 20 }, async (_, i) => {
            const seen = await store.getRequest(pending.id);
            if (!seen) throw new Error('request vanished');
            // One who reads after the winner sees it decided, as approveRequest would, and does not write.
            if (seen.state !== 'pending_approval') return null;
            return transition(deps, seen, {
              to: 'approved',
              actorId: `approver-${i}`,
              event: 'request.approved',
              change: (r) => ({ approvals: [...r.approvals, { userId: `approver-${i}`, at: BUILDER_TIME }] }),
            });
          }),
        );
        const winners = outcomes.filter((o) => o !== null);
        expect(winners).toHaveLength(1);
        const stored = await store.getRequest(pending.id);
        expect(stored).toEqual(winners[0]);
        expect(stored?.version).toBe(2);
        expect(stored?.approvals).toHaveLength(1);
        const audit = await store.listAudit({ requestId: pending.id });
        expect(audit.map((e) => e.type)).toEqual(['request.pending_approval', 'request.approved']);
        // Leaving pending removed the approver entries in the same transaction.
        expect(await partition(pending.id)).toEqual(['REQUEST']);
        expect(await store.listPendingForApprover('bob')).toEqual([]);
      });

      it('claims the same delivery id once, sequentially and in parallel', async () => {
        await use();
        expect(await store.claimDelivery('slack:Ev-dup', BUILDER_TIME, 300)).toBe(true);
        expect(await store.claimDelivery('slack:Ev-dup', BUILDER_TIME, 300)).toBe(false);
        const parallel = await Promise.all(
          Array.from({ length: 20 }, () => store.claimDelivery('slack:Ev-par', BUILDER_TIME, 300)),
        );
        expect(parallel.filter(Boolean)).toHaveLength(1);
      });
    });

    describe('pagination', () => {
      it('lists 5,000 requests of one requester, all of them, newest first', async () => {
        await use();
        // Seeded with BatchWrite of the adapter's own item layout: 200 calls instead of 5,000 transactions.
        const requests = Array.from({ length: 5000 }, (_, i) =>
          makeRequest({ id: `r-bulk-${String(i).padStart(4, '0')}`, createdAt: plusSeconds(BUILDER_TIME, Math.floor(i / 2)) }),
        );
        const chunks = Array.from({ length: requests.length / 25 }, (_, c) => requests.slice(c * 25, c * 25 + 25));
        for (let c = 0; c < chunks.length; c += 8) {
          await Promise.all(chunks.slice(c, c + 8).map((chunk) => batchWrite(doc, store.tableName, chunk.map(requestItem))));
        }
        const expected = requests.map((r) => r.id).reverse();

        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page = await store.listRequestsByRequester('alice', { limit: 1000, cursor });
          seen.push(...page.items.map((r) => r.id));
          cursor = page.cursor;
          pages += 1;
        } while (cursor !== null && pages < 10);
        expect(seen).toHaveLength(5000);
        expect(seen).toEqual(expected);
        expect(pages).toBe(5);
      }, 60_000);

      it('fills a page past DynamoDB\'s 1 MB response limit', async () => {
        await use();
        // 30 requests of about 50 KB each: one Query returns at most 1 MB, so about 20 of them.
        const big = 'x'.repeat(50_000);
        for (let i = 0; i < 30; i++) await created({ createdAt: plusSeconds(BUILDER_TIME, i), draft: makeDraft({ justification: big }) });
        const page = await store.listRequestsByRequester('alice', { limit: 30 });
        expect(page.items).toHaveLength(30);
        expect(page.cursor).toBeNull();
      });

      it('refuses a cursor it did not make, and a limit out of range', async () => {
        await use();
        await expect(store.listRequestsByRequester('alice', { cursor: 'not-a-cursor' })).rejects.toThrow(/cursor/);
        await expect(store.listRequestsByRequester('alice', { limit: 0 })).rejects.toThrow(/limit/);
        await expect(store.listRequestsByRequester('alice', { limit: 1001 })).rejects.toThrow(/limit/);
      });
    });

    describe('corrupted items', () => {
      it('names the request whose body does not parse, from getRequest and from a list', async () => {
        await use();
        const request = await created({ state: 'pending_approval', approverIds: ['bob'] });
        const stored = await doc.send(new GetCommand({ TableName: store.tableName, Key: keys.request(request.id) }));
        const broken = { ...request, draft: { ...request.draft, accountId: undefined }, state: 'lost' };
        await doc.send(new PutCommand({ TableName: store.tableName, Item: { ...stored.Item, body: JSON.stringify(broken) } }));

        const error: unknown = await store.getRequest(request.id).catch((e: unknown) => e);
        expect(String(error)).toContain(request.id);
        expect(String(error)).toContain('draft.accountId');
        expect(String(error)).toContain(store.tableName);
        await expect(store.listRequestsByRequester('alice')).rejects.toThrow(request.id);
        await expect(store.listPendingForApprover('bob')).rejects.toThrow(request.id);
      });

      it('names the request whose body is not JSON, or belongs to another id', async () => {
        await use();
        const a = await created();
        const b = await created();
        for (const [request, body] of [
          [a, '{"id": "r-'],
          [b, JSON.stringify({ ...b, id: 'r-other' })],
        ] as const) {
          const stored = await doc.send(new GetCommand({ TableName: store.tableName, Key: keys.request(request.id) }));
          await doc.send(new PutCommand({ TableName: store.tableName, Item: { ...stored.Item, body } }));
        }
        await expect(store.getRequest(a.id)).rejects.toThrow(new RegExp(`${a.id}.*not valid JSON`));
        await expect(store.getRequest(b.id)).rejects.toThrow(new RegExp(`${b.id}.*r-other`));
      });

      it('names the audit event whose item lost its body', async () => {
        await use();
        const request = makeRequest();
        const event = makeEventFor(request);
        await store.createRequest(request, event);
        const stored = await doc.send(new GetCommand({ TableName: store.tableName, Key: keys.audit(event.id) }));
        await doc.send(new PutCommand({ TableName: store.tableName, Item: { ...stored.Item, body: 42 } }));
        await expect(store.listAudit({ requestId: request.id })).rejects.toThrow(`audit_events item "${event.id}"`);
      });
    });

    describe('expiry and TTL', () => {
      it('enables TTL, and stamps deliveries, leases and conversations with epoch seconds', async () => {
        await use();
        const ttl = await dynamo().client.send(new DescribeTimeToLiveCommand({ TableName: store.tableName }));
        expect(ttl.TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: TTL_ATTRIBUTE });

        await store.claimDelivery('slack:Ev-ttl', BUILDER_TIME, 60);
        await store.acquireLease('digest', 'replica-a', BUILDER_TIME, plusSeconds(BUILDER_TIME, 30));
        await store.saveConversation({ key: 'slack:C1:1.2', userId: 'alice', turns: [], requestId: null, updatedAt: BUILDER_TIME });
        const epoch = Date.parse(BUILDER_TIME) / 1000;
        const ttlOf = async (key: { PK: string; SK: string }) =>
          (await doc.send(new GetCommand({ TableName: store.tableName, Key: key }))).Item?.[TTL_ATTRIBUTE];
        expect(await ttlOf(keys.delivery('slack:Ev-ttl'))).toBe(epoch + 60);
        expect(await ttlOf(keys.lease('digest'))).toBe(epoch + 30);
        expect(await ttlOf(keys.conversation('slack:C1:1.2'))).toBe(epoch + 30 * 24 * 3600);
      });

      it('treats an expired delivery or lease as absent while its item still exists', async () => {
        await use();
        expect(await store.claimDelivery('slack:Ev-old', BUILDER_TIME, 60)).toBe(true);
        expect(await store.acquireLease('scan', 'replica-a', BUILDER_TIME, plusSeconds(BUILDER_TIME, 60))).toBe(true);
        // The TTL sweeper has not run (DynamoDB Local never runs it): the items are there, and expired.
        expect(await doc.send(new GetCommand({ TableName: store.tableName, Key: keys.delivery('slack:Ev-old') }))).toHaveProperty('Item');
        const later = plusSeconds(BUILDER_TIME, 60);
        expect(await store.claimDelivery('slack:Ev-old', later, 60)).toBe(true);
        expect(await store.acquireLease('scan', 'replica-b', later, plusSeconds(later, 60))).toBe(true);
      });
    });

    describe('approver entries', () => {
      it('exist only while pending, and follow a change of approvers', async () => {
        await use();
        const draft = await created({ state: 'drafting', approverIds: ['bob', 'carol'] });
        expect(await partition(draft.id)).toEqual(['REQUEST']);
        const pending = { ...draft, state: 'pending_approval' as const, version: 2 };
        expect(await store.saveRequest(pending, 1, makeEventFor(pending))).toBe(true);
        expect(await partition(draft.id)).toEqual(['APPROVER#bob', 'APPROVER#carol', 'REQUEST']);
        const reassigned = { ...pending, approverIds: ['carol', 'dave', 'dave'], version: 3 };
        expect(await store.saveRequest(reassigned, 2, makeEventFor(reassigned))).toBe(true);
        expect(await partition(draft.id)).toEqual(['APPROVER#carol', 'APPROVER#dave', 'REQUEST']);
        expect(await store.listPendingForApprover('dave')).toEqual([reassigned]);
      });

      it('refuses a write that would not fit in one transaction, before writing anything', async () => {
        await use();
        const approverIds = Array.from({ length: 99 }, (_, i) => `approver-${i}`);
        const request = makeRequest({ state: 'pending_approval', approverIds });
        await expect(store.createRequest(request, makeEventFor(request))).rejects.toThrow(/approver entries/);
        expect(await store.getRequest(request.id)).toBeUndefined();
      });
    });

    describe('message refs', () => {
      it('keeps the order messages were first recorded, and refuses an unknown request', async () => {
        await use();
        const request = await created();
        const refs = ['3.0', '1.0', '2.0'].map((ts) => ({ platform: 'slack', channel: 'C1', ts, purpose: 'approval' }) as const);
        for (const ref of refs) await store.addMessageRef(request.id, ref);
        await store.addMessageRef(request.id, { ...refs[0]!, purpose: 'draft' });
        expect(await store.listMessageRefs(request.id)).toEqual([{ ...refs[0], purpose: 'draft' }, refs[1], refs[2]]);
        await expect(store.addMessageRef('r-nope', refs[0]!)).rejects.toThrow(/no such request/);
      });
    });

    describe('chat addresses', () => {
      it('saves, replaces and reads back an address by platform and key, and names a corrupted one', async () => {
        await use();
        const address = {
          platform: 'teams',
          key: 'user:aad-1',
          reference: { serviceUrl: 'https://smba', conversation: { id: 'a:1' } },
          updatedAt: BUILDER_TIME,
        } as const;
        expect(await store.getChatAddress('teams', 'user:aad-1')).toBeUndefined();
        await store.saveChatAddress(address);
        const moved = { ...address, reference: { serviceUrl: 'https://smba2' }, updatedAt: plusSeconds(BUILDER_TIME, 5) };
        await store.saveChatAddress(moved);
        expect(await store.getChatAddress('teams', 'user:aad-1')).toEqual(moved);
        expect(await store.getChatAddress('slack', 'user:aad-1')).toBeUndefined();

        const key = keys.chatAddress('teams', 'user:aad-1');
        const stored = await doc.send(new GetCommand({ TableName: store.tableName, Key: key }));
        const body = JSON.stringify({ ...moved, key: 'user:other' });
        await doc.send(new PutCommand({ TableName: store.tableName, Item: { ...stored.Item, body } }));
        await expect(store.getChatAddress('teams', 'user:aad-1')).rejects.toThrow(/teams\/user:aad-1.*teams\/user:other/);
      });
    });

    describe('table and client setup', () => {
      it('is idempotent, and refuses an existing table of another shape', async () => {
        await use();
        await store.ensureTable();
        const name = `warden-test-foreign-${tableCount}`;
        await dynamo().client.send(
          new CreateTableCommand({
            TableName: name,
            BillingMode: 'PAY_PER_REQUEST',
            KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
            AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          }),
        );
        try {
          const foreign = DynamoStore.create({ tableName: name, client: dynamo().client });
          await expect(foreign.ensureTable()).rejects.toThrow(/not Warden's table.*index GSI1 is missing/);
        } finally {
          await dynamo().client.send(new DeleteTableCommand({ TableName: name }));
        }
      });

      it('finds DynamoDB Local through AWS_ENDPOINT_URL_DYNAMODB, with no endpoint in code', async () => {
        const vars = {
          AWS_ENDPOINT_URL_DYNAMODB: dynamo().endpoint,
          AWS_ACCESS_KEY_ID: LOCAL_CLIENT_CONFIG.credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: LOCAL_CLIENT_CONFIG.credentials.secretAccessKey,
        };
        const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
        Object.assign(process.env, vars);
        const fromEnv = DynamoStore.create({ tableName: `warden-test-env-${tableCount}`, region: LOCAL_CLIENT_CONFIG.region });
        try {
          await fromEnv.ensureTable();
          const request = makeRequest();
          await fromEnv.createRequest(request, makeEventFor(request));
          expect(await fromEnv.getRequest(request.id)).toEqual(request);
        } finally {
          await dropStore(fromEnv);
          for (const [name, value] of Object.entries(saved)) {
            if (value === undefined) delete process.env[name];
            else process.env[name] = value;
          }
        }
      });

      it('wraps an unreachable endpoint in an error naming the table and the operation', async () => {
        const unreachable = DynamoStore.create({
          tableName: 'warden-nowhere',
          client: new DynamoDBClient({
            ...LOCAL_CLIENT_CONFIG,
            endpoint: 'http://127.0.0.1:9',
            maxAttempts: 1,
          }),
        });
        await expect(unreachable.getRequest('r-1')).rejects.toThrow(/warden-nowhere.*reading request r-1/);
      });
    });
  });
});

/** BatchWriteItem, resending what DynamoDB leaves unprocessed. */
async function batchWrite(doc: DynamoDBDocumentClient, tableName: string, items: Record<string, unknown>[]): Promise<void> {
  let pending = items.map((Item) => ({ PutRequest: { Item } }));
  while (pending.length > 0) {
    const result = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
    pending = (result.UnprocessedItems?.[tableName] ?? []).flatMap((r) =>
      r.PutRequest?.Item ? [{ PutRequest: { Item: r.PutRequest.Item } }] : [],
    );
  }
}
