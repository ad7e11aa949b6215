import { z } from 'zod';
import { ConfigError } from '../../config/config-error.js';

/**
 * The environment the DynamoDB store reads, as options for DynamoStore.create. The endpoint is not
 * here on purpose: the SDK reads AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL itself, and credentials
 * come from its default chain.
 */
export interface DynamoEnv {
  tableName: string;
  /** Undefined: left to the SDK (the shared config file's region for the active profile). */
  region: string | undefined;
}

/** An empty or blank variable counts as unset, as in src/config/env.ts (`.env.example` ships `X=`). */
const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

// DynamoDB's own rule for table names, checked here so a typo stops start-up instead of the first write.
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
// Loose on purpose: new regions appear, and DynamoDB Local accepts any name; this catches "us east 1" and pasted ARNs.
const REGION = /^[a-z0-9-]{2,32}$/;

const DynamoEnvSchema = z.object({
  WARDEN_DYNAMODB_TABLE: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .regex(TABLE_NAME, '3 to 255 letters, digits, "_", "-" or "." (DynamoDB\'s rule for table names)')
      .default('warden'),
  ),
  AWS_REGION: z.preprocess(
    blankToUndefined,
    z.string().trim().regex(REGION, 'an AWS region name such as "eu-west-1"').optional(),
  ),
});

/**
 * Reads WARDEN_DYNAMODB_TABLE (default `warden`) and AWS_REGION. Throws a ConfigError (file
 * `environment`) naming each bad variable with what it holds and what is expected.
 */
export function parseDynamoEnv(env: NodeJS.ProcessEnv): DynamoEnv {
  const parsed = DynamoEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      'environment',
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '');
        const got = blankToUndefined(env[name]);
        const echo = typeof got === 'string' ? ` (got ${JSON.stringify(got.slice(0, 60))})` : '';
        return { path: name, message: `${issue.message}${echo}` };
      }),
    );
  }
  return { tableName: parsed.data.WARDEN_DYNAMODB_TABLE, region: parsed.data.AWS_REGION };
}
