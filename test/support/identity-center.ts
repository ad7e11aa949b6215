import { IdentitystoreClient, ListGroupMembershipsCommand, ListGroupsCommand, ListUsersCommand, type User as StoreUser } from '@aws-sdk/client-identitystore';
import {
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  DeleteAccountAssignmentCommand,
  DeletePermissionSetCommand,
  ProvisionPermissionSetCommand,
  PutInlinePolicyToPermissionSetCommand,
  PutPermissionsBoundaryToPermissionSetCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';

/** One Identity Center instance for the tests that grant through it. */
export const IC_INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
export const IC_STORE_ID = 'd-1234567890';
export const IC_PERMISSION_SET_ARN = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-0123456789abcdef';
export const IC_ENV = {
  AWS_REGION: 'eu-west-1',
  WARDEN_SSO_INSTANCE_ARN: IC_INSTANCE,
  WARDEN_SSO_IDENTITY_STORE_ID: IC_STORE_ID,
  WARDEN_SSO_START_URL: 'https://d-1234567890.awsapps.com/start',
};

export function identityStoreUser(id: string, email: string): StoreUser {
  return { IdentityStoreId: IC_STORE_ID, UserId: id, UserName: id, Emails: [{ Value: email }] };
}

export type IdentityCenterMocks = ReturnType<typeof mockIdentityCenter>;

/** The SDK clients Identity Center grants go through, mocked (call at module level). */
export function mockIdentityCenter() {
  return { sso: mockClient(SSOAdminClient), identityStore: mockClient(IdentitystoreClient), sts: mockClient(STSClient) };
}

export function resetIdentityCenter(mocks: IdentityCenterMocks): void {
  for (const mock of [mocks.sso, mocks.identityStore, mocks.sts]) mock.reset();
}

/**
 * Resets the mocks and answers as a working Identity Center: Ana and Ben in the identity store (Ana's
 * address in another case, which the match ignores), and, on Carla's domain, only someone else
 * (carla.diaz@example.com must not stand in for carla@example.com); every assignment call succeeds.
 */
export function primeIdentityCenter(mocks: IdentityCenterMocks): void {
  resetIdentityCenter(mocks);
  const { sso, identityStore } = mocks;
  const succeeded = (RequestId: string) => ({ Status: 'SUCCEEDED' as const, RequestId });
  identityStore.on(ListUsersCommand).resolves({ Users: [identityStoreUser('u-ana', 'Ana@Example.COM'), identityStoreUser('u-ben', 'ben@example.com'), identityStoreUser('u-carla-2', 'carla.diaz@example.com')] });
  identityStore.on(ListGroupsCommand).resolves({ Groups: [] });
  identityStore.on(ListGroupMembershipsCommand).resolves({ GroupMemberships: [] });
  sso.on(CreatePermissionSetCommand).resolves({ PermissionSet: { PermissionSetArn: IC_PERMISSION_SET_ARN } });
  sso.on(PutInlinePolicyToPermissionSetCommand).resolves({});
  sso.on(PutPermissionsBoundaryToPermissionSetCommand).resolves({});
  sso.on(CreateAccountAssignmentCommand).resolves({ AccountAssignmentCreationStatus: succeeded('op-1') });
  sso.on(ProvisionPermissionSetCommand).resolves({ PermissionSetProvisioningStatus: succeeded('op-p') });
  sso.on(DeleteAccountAssignmentCommand).resolves({ AccountAssignmentDeletionStatus: succeeded('op-d') });
  sso.on(DeletePermissionSetCommand).resolves({});
}
