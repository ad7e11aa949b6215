import { BatchGetCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Item } from './items.js';
import type { ItemKey } from './keys.js';

/*
 * Multi-page reads. DynamoDB stops a Query at `Limit` items or 1 MB, whichever comes first, and a
 * BatchGet may hand back keys it did not get to; these helpers hide both so callers see whole results.
 */

/**
 * Up to `max` items of a query (all of them without `max`), following LastEvaluatedKey across as many
 * pages as that takes.
 */
export async function queryUpTo(doc: DynamoDBDocumentClient, input: QueryCommandInput, max?: number): Promise<Item[]> {
  const items: Item[] = [];
  let startKey = input.ExclusiveStartKey;
  do {
    // Limit is a 32-bit integer to DynamoDB; beyond a page's worth it changes nothing anyway, as a
    // page also stops at 1 MB.
    const remaining = max === undefined ? undefined : max - items.length;
    const limit = remaining !== undefined && remaining <= MAX_QUERY_LIMIT ? { Limit: remaining } : {};
    const page = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey, ...limit }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey && (max === undefined || items.length < max));
  return max === undefined ? items : items.slice(0, max);
}

const MAX_QUERY_LIMIT = 10_000;

/** Every item of a query. Used where the port returns a whole list (the sets it lists stay small). */
export async function queryAll(doc: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Item[]> {
  return queryUpTo(doc, input);
}

/** DynamoDB's limit of keys per BatchGetItem call. */
const BATCH_GET_KEYS = 100;
const MAX_UNPROCESSED_ROUNDS = 8;

/**
 * The items at `keys`, strongly consistent, in no particular order (absent keys are left out).
 * Unprocessed keys (throttling) are asked again with backoff; giving up throws rather than returning
 * a silently incomplete list.
 */
export async function batchGet(doc: DynamoDBDocumentClient, tableName: string, keys: readonly ItemKey[]): Promise<Item[]> {
  const items: Item[] = [];
  for (let offset = 0; offset < keys.length; offset += BATCH_GET_KEYS) {
    let pending: Record<string, unknown>[] = keys.slice(offset, offset + BATCH_GET_KEYS).map((k) => ({ ...k }));
    for (let round = 0; pending.length > 0; round++) {
      if (round === MAX_UNPROCESSED_ROUNDS) {
        throw new Error(`BatchGetItem left ${pending.length} key(s) unprocessed after ${round} attempts`);
      }
      if (round > 0) await sleep(backoffMs(round));
      const result = await doc.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
      );
      items.push(...(result.Responses?.[tableName] ?? []));
      pending = result.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return items;
}

/** Exponential with full jitter, so writers that collided do not collide again in step. */
export function backoffMs(attempt: number): number {
  return Math.random() * Math.min(1000, 10 * 2 ** attempt);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
