import type { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/*
 * Reading DynamoDB's refusals. A refused condition is an expected outcome (a lost race, a duplicate)
 * that the adapter turns into a return value or a domain message; anything else is a real failure
 * and is rethrown with what was being done, so a log line says which request or key it was about.
 */

// By name rather than instanceof: two copies of the SDK in node_modules would each have their own class.
function isNamed<T extends Error>(error: unknown, name: string): error is T {
  return error instanceof Error && error.name === name;
}

/** Per item of a cancelled transaction, in request order: 'None', 'ConditionalCheckFailed', 'TransactionConflict', … */
export function cancellationCodes(error: unknown): string[] | undefined {
  if (!isNamed<TransactionCanceledException>(error, 'TransactionCanceledException')) return undefined;
  return (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
}

export function isConditionFailure(error: unknown): error is ConditionalCheckFailedException {
  return isNamed<ConditionalCheckFailedException>(error, 'ConditionalCheckFailedException');
}

/** The string attribute `name` of the item a failed condition saw (ReturnValuesOnConditionCheckFailure). */
export function failedItemString(error: ConditionalCheckFailedException, name: string): string | undefined {
  const value = error.Item?.[name];
  return value && 'S' in value ? value.S : undefined;
}

/** The DynamoDB error wrapped with what the store was doing; the original stays as `cause`. */
export class DynamoStoreError extends Error {
  constructor(doing: string, tableName: string, cause: unknown) {
    const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    const codes = cancellationCodes(cause);
    super(
      `DynamoDB store (table ${JSON.stringify(tableName)}): ${doing} failed: ${detail}` +
        (codes ? ` [cancellation reasons: ${codes.join(', ')}]` : ''),
      { cause },
    );
    this.name = 'DynamoStoreError';
  }
}
