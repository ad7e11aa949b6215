import { IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient, type AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { withRetry, type RetryPolicy, type RetryRuntime } from '../retry.js';

/** Temporary credentials of an assumed role, in the shape every SDK v3 client accepts. */
export interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration?: Date;
}

/**
 * Builds SDK clients. Region and endpoints come from the SDK's own settings (AWS_ENDPOINT_URL,
 * AWS_ENDPOINT_URL_IAM, AWS_ENDPOINT_URL_STS, …) unless given here, so every client can be
 * pointed at a local emulator; nothing here names an endpoint.
 */
export interface AwsClientFactory {
  /** Warden's own identity (the default credential chain): only ever used to assume grant roles. */
  sts(): STSClient;
  iam(credentials: SessionCredentials): IAMClient;
}

export interface SdkClientOptions {
  region: string;
}

/**
 * `maxAttempts: 1` because `retry.ts` is the single retry layer (throttling included); the SDK's
 * own retries on top would multiply the attempts.
 */
export function sdkClientFactory(options: SdkClientOptions): AwsClientFactory {
  let sts: STSClient | undefined;
  return {
    sts: () => (sts ??= new STSClient({ region: options.region, maxAttempts: 1 })),
    iam: (credentials) => new IAMClient({ region: options.region, credentials, maxAttempts: 1 }),
  };
}

/** AssumeRole with retries; throws when STS answers without credentials, which would be a bug upstream. */
export async function assumeRole(
  sts: STSClient,
  input: AssumeRoleCommandInput,
  retry: { policy: RetryPolicy; runtime: RetryRuntime },
): Promise<SessionCredentials> {
  const out = await withRetry(`STS AssumeRole ${input.RoleArn}`, () => sts.send(new AssumeRoleCommand(input)), retry);
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
    throw new Error(`STS AssumeRole ${input.RoleArn} returned no credentials.`);
  }
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, ...(c.Expiration ? { expiration: c.Expiration } : {}) };
}
