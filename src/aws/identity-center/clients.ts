import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';

/**
 * Identity Center is called with Warden's own credentials (the default chain) in the instance's
 * home region: Warden runs in, or is given a role in, the management or delegated-admin account.
 * Endpoints follow the SDK's settings (AWS_ENDPOINT_URL_SSO_ADMIN, AWS_ENDPOINT_URL_IDENTITYSTORE);
 * `maxAttempts: 1` because `retry.ts` is the one retry layer.
 */
export interface IdentityCenterClients {
  ssoAdmin(): SSOAdminClient;
  identityStore(): IdentitystoreClient;
}

export function sdkIdentityCenterClients(options: { region: string }): IdentityCenterClients {
  let ssoAdmin: SSOAdminClient | undefined;
  let identityStore: IdentitystoreClient | undefined;
  return {
    ssoAdmin: () => (ssoAdmin ??= new SSOAdminClient({ region: options.region, maxAttempts: 1 })),
    identityStore: () => (identityStore ??= new IdentitystoreClient({ region: options.region, maxAttempts: 1 })),
  };
}
