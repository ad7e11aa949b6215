import { ConditionalCheckFailedException, DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoStore } from '../../src/store/dynamodb/dynamo-store.js';
import { requestItem } from '../../src/store/dynamodb/items.js';
import { BUILDER_TIME, makeEventFor, makeRequest } from '../support/builders.js';

/*
 * Outcomes DynamoDB Local does not produce: it runs transactions one at a time, so it never cancels
 * one for a conflict, and it never loses a response. Here the client is a mock that does.
 */

const docMock = mockClient(DynamoDBDocumentClient);
afterEach(() => docMock.reset());

function store(): DynamoStore {
  return DynamoStore.create({ tableName: 'warden-mock', client: new DynamoDBClient({ region: 'us-east-1' }) });
}

function cancelled(...codes: string[]): TransactionCanceledException {
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

const v1 = makeRequest({ state: 'pending_approval', approverIds: ['bob'] });
const v2 = { ...v1, state: 'approved' as const, version: 2 };

describe('DynamoStore against refusals DynamoDB Local never gives', () => {
  it('retries a transaction cancelled for a conflict, re-reading the version first', async () => {
    docMock.on(GetCommand).resolves({ Item: requestItem(v1) });
    docMock.on(TransactWriteCommand).rejectsOnce(cancelled('TransactionConflict', 'None', 'None')).resolves({});
    expect(await store().saveRequest(v2, 1, makeEventFor(v2))).toBe(true);
    expect(docMock.commandCalls(GetCommand)).toHaveLength(2);
    const attempts = docMock.commandCalls(TransactWriteCommand).map((c) => c.args[0].input);
    expect(attempts).toHaveLength(2);
    // A fresh idempotency token per attempt: the first one was cancelled, not lost.
    expect(attempts[0]?.ClientRequestToken).not.toEqual(attempts[1]?.ClientRequestToken);
  });

  it('answers false when the re-read after a conflict shows that another writer won', async () => {
    docMock.on(GetCommand).resolvesOnce({ Item: requestItem(v1) }).resolves({ Item: requestItem(v2) });
    docMock.on(TransactWriteCommand).rejects(cancelled('TransactionConflict', 'None', 'None'));
    expect(await store().saveRequest(v2, 1, makeEventFor(v2))).toBe(false);
    expect(docMock.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('gives up on endless conflicts with an error naming the request and the table', async () => {
    docMock.on(GetCommand).resolves({ Item: requestItem(v1) });
    docMock.on(TransactWriteCommand).rejects(cancelled('TransactionConflict', 'None', 'None'));
    await expect(store().saveRequest(v2, 1, makeEventFor(v2))).rejects.toThrow(
      /warden-mock.*saving request r-\w+ version 2.*still conflicting after 8 attempts/,
    );
  });

  it('maps a refused version to false and a reused event id to an error', async () => {
    docMock.on(GetCommand).resolves({ Item: requestItem(v1) });
    docMock.on(TransactWriteCommand).rejectsOnce(cancelled('ConditionalCheckFailed', 'None', 'None'));
    expect(await store().saveRequest(v2, 1, makeEventFor(v2))).toBe(false);
    docMock.reset();
    docMock.on(GetCommand).resolves({ Item: requestItem(v1) });
    const event = makeEventFor(v2);
    docMock.on(TransactWriteCommand).rejects(cancelled('None', 'ConditionalCheckFailed', 'None'));
    await expect(store().saveRequest(v2, 1, event)).rejects.toThrow(`Audit event ${event.id} is already recorded`);
  });

  it('throws other failures with context, keeping the SDK error as the cause', async () => {
    docMock.on(GetCommand).resolves({ Item: requestItem(v1) });
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    docMock.on(TransactWriteCommand).rejects(throttled);
    const error: unknown = await store().saveRequest(v2, 1, makeEventFor(v2)).catch((e: unknown) => e);
    expect(String(error)).toMatch(/warden-mock.*saving request .* failed: ThrottlingException: Rate exceeded/);
    expect(error).toHaveProperty('cause', throttled);
  });

  it('recognises its own delivery claim when a retried put finds it already written', async () => {
    // The first attempt's response was lost; the SDK's retry finds the item that attempt wrote.
    docMock.on(PutCommand).callsFake((input: { Item: Record<string, unknown> }) => {
      throw new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: {},
        Item: { writeToken: { S: String(input.Item.writeToken) } },
      });
    });
    expect(await store().claimDelivery('slack:Ev1', BUILDER_TIME, 60)).toBe(true);
    // Someone else's claim carries another token.
    docMock.on(PutCommand).rejects(
      new ConditionalCheckFailedException({ message: 'failed', $metadata: {}, Item: { writeToken: { S: 'theirs' } } }),
    );
    expect(await store().claimDelivery('slack:Ev1', BUILDER_TIME, 60)).toBe(false);
  });
});
