import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type DynamoDBClient,
  type KeySchemaElement,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { INDEX, KEY, tableDefinition, TTL_ATTRIBUTE } from './table-definition.js';

/** How long ensureTable waits for a new table to become ACTIVE (instant on DynamoDB Local). */
const TABLE_WAIT_SECONDS = 120;

/** An existing table whose keys or indexes are not the ones table-definition.ts describes. */
export class TableShapeError extends Error {
  constructor(tableName: string, problems: readonly string[]) {
    super(
      `DynamoDB table ${JSON.stringify(tableName)} exists but is not Warden's table: ${problems.join('; ')}. ` +
        'Create it from src/store/dynamodb/table-definition.ts, or point WARDEN_DYNAMODB_TABLE at another table.',
    );
    this.name = 'TableShapeError';
  }
}

/**
 * Creates the table from table-definition.ts if it does not exist, waits until it is usable and turns
 * on TTL. For local and dev use: in production the infrastructure code owns the table, and Warden's
 * role need not be allowed to create tables. An existing table is checked for the keys and indexes
 * the adapter queries, so a table made by hand fails here, with the difference, not on some later query.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new CreateTableCommand(tableDefinition(tableName)));
  } catch (error) {
    // Another replica, or an earlier run, created it: fine, as long as it is the right shape.
    if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw error;
  }
  // Throws if the table is not ACTIVE in time.
  await waitUntilTableExists({ client, maxWaitTime: TABLE_WAIT_SECONDS }, { TableName: tableName });
  const description = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const problems = shapeProblems(description.Table);
  if (problems.length > 0) throw new TableShapeError(tableName, problems);
  await enableTtl(client, tableName);
}

function keyProblems(where: string, actual: readonly KeySchemaElement[] | undefined, partition: string, sort: string): string[] {
  const hash = actual?.find((k) => k.KeyType === 'HASH')?.AttributeName;
  const range = actual?.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  return hash === partition && range === sort
    ? []
    : [`${where} key is (${String(hash)}, ${String(range)}), expected (${partition}, ${sort})`];
}

function shapeProblems(described: TableDescription | undefined): string[] {
  const problems = keyProblems('the table', described?.KeySchema, KEY.partition, KEY.sort);
  for (const index of Object.values(INDEX)) {
    const found = described?.GlobalSecondaryIndexes?.find((g) => g.IndexName === index.name);
    if (!found) problems.push(`index ${index.name} is missing`);
    else problems.push(...keyProblems(`index ${index.name}`, found.KeySchema, index.partition, index.sort));
  }
  return problems;
}

async function enableTtl(client: DynamoDBClient, tableName: string): Promise<void> {
  const current = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = current.TimeToLiveDescription?.TimeToLiveStatus;
  if ((status === 'ENABLED' || status === 'ENABLING') && current.TimeToLiveDescription?.AttributeName === TTL_ATTRIBUTE) return;
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { Enabled: true, AttributeName: TTL_ATTRIBUTE },
    }),
  );
}
