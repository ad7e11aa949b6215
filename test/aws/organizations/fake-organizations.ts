/**
 * The sample organization of examples/scps as AWS Organizations answers for it, on an
 * aws-sdk-client-mock of the real OrganizationsClient: payments-prod (111111111111) in OU Prod
 * directly under the root, the SCP contents read from examples/scps/policies, and the root's SCP
 * list split over two pages so pagination is exercised.
 */
import {
  DescribeOrganizationalUnitCommand,
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListParentsCommand,
  ListPoliciesForTargetCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { readFileSync } from 'node:fs';
import { mockClient } from 'aws-sdk-client-mock';

export const ORG_ID = 'o-a1b2c3d4e5';
export const ROOT = 'r-a1b2';
export const PROD_OU = 'ou-a1b2-prod0001';
export const PAYMENTS = '111111111111';
export const MANAGEMENT = '999999999999';

export const POLICY_IDS = {
  FullAWSAccess: 'p-FullAWSAccess',
  'deny-root-user': 'p-denyroot01',
  'deny-leave-organization': 'p-denyleave1',
  'deny-writes-in-prod': 'p-denywrite1',
} as const;
type PolicyName = keyof typeof POLICY_IDS;

export const organizations = mockClient(OrganizationsClient);

const content = (name: PolicyName) => readFileSync(`examples/scps/policies/${name}.json`, 'utf8');
const summary = (name: PolicyName) => ({ Id: POLICY_IDS[name], Name: name, Type: 'SERVICE_CONTROL_POLICY' as const, AwsManaged: name === 'FullAWSAccess' });

/** Resets the mock and answers as the sample organization does. */
export function fakeOrganization(): void {
  organizations.reset();
  organizations.on(DescribeOrganizationCommand).resolves({ Organization: { Id: ORG_ID, MasterAccountId: MANAGEMENT } });
  organizations.on(ListParentsCommand, { ChildId: PAYMENTS }).resolves({ Parents: [{ Id: PROD_OU, Type: 'ORGANIZATIONAL_UNIT' }] });
  organizations.on(ListParentsCommand, { ChildId: PROD_OU }).resolves({ Parents: [{ Id: ROOT, Type: 'ROOT' }] });
  organizations.on(ListParentsCommand, { ChildId: MANAGEMENT }).resolves({ Parents: [{ Id: ROOT, Type: 'ROOT' }] });
  organizations.on(DescribeOrganizationalUnitCommand, { OrganizationalUnitId: PROD_OU }).resolves({ OrganizationalUnit: { Id: PROD_OU, Name: 'Prod' } });
  organizations
    .on(ListPoliciesForTargetCommand, { TargetId: ROOT, Filter: 'SERVICE_CONTROL_POLICY' })
    .resolves({ Policies: [summary('FullAWSAccess'), summary('deny-leave-organization')], NextToken: 'root-page-2' });
  organizations.on(ListPoliciesForTargetCommand, { TargetId: ROOT, Filter: 'SERVICE_CONTROL_POLICY', NextToken: 'root-page-2' }).resolves({ Policies: [summary('deny-root-user')] });
  organizations.on(ListPoliciesForTargetCommand, { TargetId: PROD_OU, Filter: 'SERVICE_CONTROL_POLICY' }).resolves({ Policies: [summary('FullAWSAccess'), summary('deny-writes-in-prod')] });
  organizations.on(ListPoliciesForTargetCommand, { TargetId: PAYMENTS, Filter: 'SERVICE_CONTROL_POLICY' }).resolves({ Policies: [summary('FullAWSAccess')] });
  for (const name of Object.keys(POLICY_IDS) as PolicyName[]) {
    organizations.on(DescribePolicyCommand, { PolicyId: POLICY_IDS[name] }).resolves({ Policy: { PolicySummary: summary(name), Content: content(name) } });
  }
}

/** The Organizations calls in order, as `Operation` and input. */
export function organizationsCalls(): { op: string; input: Record<string, unknown> }[] {
  return organizations.calls().map((c) => {
    const command = c.args[0] as unknown as { constructor: { name: string }; input: Record<string, unknown> };
    return { op: command.constructor.name.replace(/Command$/, ''), input: command.input };
  });
}

/** An AWS error as the SDK throws it. */
export function awsError(name: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: status } });
}
