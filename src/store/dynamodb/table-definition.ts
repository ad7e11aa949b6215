import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/*
 * The one description of Warden's DynamoDB table. The adapter's ensureTable() creates it for local
 * and dev use; the infrastructure code must build the same table from these constants, so keys and
 * indexes cannot drift between what is deployed and what the adapter queries.
 * docs/dynamodb.md maps each access pattern to these keys and indexes.
 */

/** Base table key: every item's partition and sort key (see keys.ts for their values). */
export const KEY = { partition: 'PK', sort: 'SK' } as const;

/**
 * Global secondary indexes, overloaded in the single-table way: each serves several item kinds whose
 * key values never collide because each kind prefixes its keys differently.
 */
export const INDEX = {
  /** requests by requester; pending approvals by approver; audit events by request; succeeded scans by account. */
  byOwner: { name: 'GSI1', partition: 'GSI1PK', sort: 'GSI1SK' },
  /** a collection in time order: the requests in one state; all audit events; active / finished scans. */
  byCollection: { name: 'GSI2', partition: 'GSI2PK', sort: 'GSI2SK' },
  /** active grants by expiry; sparse: only active requests with a grant carry these keys. */
  byExpiry: { name: 'GSI3', partition: 'GSI3PK', sort: 'GSI3SK' },
} as const;

/**
 * DynamoDB's TTL attribute (epoch seconds) on deliveries, leases and conversations. The sweeper may
 * run up to days late, so the adapter never relies on it for correctness: it compares the ISO expiry
 * stored beside it.
 */
export const TTL_ATTRIBUTE = 'ttl';

/** The CreateTable input for a table named `tableName`: on-demand billing, all keys strings. */
export function tableDefinition(tableName: string): CreateTableCommandInput & { TableName: string } {
  const indexes = Object.values(INDEX);
  const attributes = [KEY.partition, KEY.sort, ...indexes.flatMap((i) => [i.partition, i.sort])];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [
      { AttributeName: KEY.partition, KeyType: 'HASH' },
      { AttributeName: KEY.sort, KeyType: 'RANGE' },
    ],
    AttributeDefinitions: attributes.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    GlobalSecondaryIndexes: indexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partition, KeyType: 'HASH' },
        { AttributeName: index.sort, KeyType: 'RANGE' },
      ],
      // ALL: list queries return whole requests without a second read per item. Items are a few KB,
      // and Warden writes a handful per request, so the extra index storage is cheap.
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}
