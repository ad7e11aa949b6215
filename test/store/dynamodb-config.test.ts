import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { parseDynamoEnv } from '../../src/store/dynamodb/config.js';
import { INDEX, tableDefinition } from '../../src/store/dynamodb/table-definition.js';

describe('parseDynamoEnv', () => {
  it('defaults the table to "warden" and leaves the region to the SDK', () => {
    expect(parseDynamoEnv({})).toEqual({ tableName: 'warden', region: undefined });
    expect(parseDynamoEnv({ WARDEN_DYNAMODB_TABLE: '  ', AWS_REGION: '' })).toEqual({ tableName: 'warden', region: undefined });
  });

  it('reads the table and region', () => {
    expect(parseDynamoEnv({ WARDEN_DYNAMODB_TABLE: 'warden-prod', AWS_REGION: 'eu-west-1' })).toEqual({
      tableName: 'warden-prod',
      region: 'eu-west-1',
    });
  });

  it('names every bad variable, what it held and what is expected', () => {
    const error: unknown = (() => {
      try {
        return parseDynamoEnv({ WARDEN_DYNAMODB_TABLE: 'my table!', AWS_REGION: 'EU West 1' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const message = String((error as ConfigError).format());
    expect(message).toContain('environment: WARDEN_DYNAMODB_TABLE: 3 to 255 letters');
    expect(message).toContain('(got "my table!")');
    expect(message).toContain('environment: AWS_REGION: an AWS region name');
  });
});

describe('tableDefinition', () => {
  it('declares every key attribute it indexes, as strings, on demand', () => {
    const definition = tableDefinition('warden');
    expect(definition.TableName).toBe('warden');
    expect(definition.BillingMode).toBe('PAY_PER_REQUEST');
    const declared = definition.AttributeDefinitions?.map((a) => a.AttributeName).sort();
    const used = ['PK', 'SK', ...Object.values(INDEX).flatMap((i) => [i.partition, i.sort])].sort();
    expect(declared).toEqual(used);
    expect(definition.GlobalSecondaryIndexes?.map((g) => g.IndexName)).toEqual(['GSI1', 'GSI2', 'GSI3']);
  });
});
