import { BatchWriteCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { backoffMs, sleep } from '../../store/dynamodb/reads.js';
import type { ItemKey } from '../../store/dynamodb/keys.js';
import type { Item } from './scan-items.js';

/** DynamoDB's limit of requests per BatchWriteItem call. */
export const BATCH_WRITE_ITEMS = 25;
const MAX_UNPROCESSED_ROUNDS = 8;

type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: ItemKey } };

/**
 * Puts or deletes in calls of 25, asking again for what DynamoDB left unprocessed (throttling) with
 * backoff. Giving up throws: a silently partial write would make the counts lie.
 */
export async function batchWrite(doc: DynamoDBDocumentClient, tableName: string, requests: readonly WriteRequest[]): Promise<void> {
  for (let offset = 0; offset < requests.length; offset += BATCH_WRITE_ITEMS) {
    let pending: WriteRequest[] = requests.slice(offset, offset + BATCH_WRITE_ITEMS);
    for (let round = 0; pending.length > 0; round++) {
      if (round === MAX_UNPROCESSED_ROUNDS) {
        throw new Error(`BatchWriteItem left ${pending.length} item(s) unprocessed after ${round} attempts`);
      }
      if (round > 0) await sleep(backoffMs(round));
      const result = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (result.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
    }
  }
}

export const puts = (items: readonly Item[]): WriteRequest[] => items.map((Item) => ({ PutRequest: { Item } }));
export const deletes = (keys: readonly ItemKey[]): WriteRequest[] => keys.map((Key) => ({ DeleteRequest: { Key: { PK: Key.PK, SK: Key.SK } } }));

/**
 * The items of a query one DynamoDB page at a time (up to 1 MB each), so a caller can fold over a
 * scan's findings without holding them all.
 */
export async function* queryPages(doc: DynamoDBDocumentClient, input: QueryCommandInput): AsyncGenerator<Item[]> {
  let startKey = input.ExclusiveStartKey;
  do {
    const page = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    yield page.Items ?? [];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/** The same, one item at a time. */
export async function* queryItems(doc: DynamoDBDocumentClient, input: QueryCommandInput): AsyncGenerator<Item> {
  for await (const page of queryPages(doc, input)) yield* page;
}
