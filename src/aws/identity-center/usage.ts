/**
 * What the requester is told after an Identity Center grant: there is no role to assume, the
 * access appears in the AWS access portal under the account, and the CLI reaches it through an
 * `aws sso` profile naming the account and the permission set.
 */

export interface AccessPortal {
  /** The AWS access portal URL (Identity Center → Settings → AWS access portal URL). */
  startUrl: string;
  /** The Identity Center home region, which `sso_region` must name. */
  region: string;
}

/** Profile names allow what the CLI accepts in a section header; anything else becomes "-". */
function profileName(accountName: string, permissionSetName: string): string {
  return `${accountName}-${permissionSetName}`.replace(/[^\w.-]/g, '-');
}

export function usageText(input: { accountId: string; accountName: string; permissionSetName: string; portal: AccessPortal | undefined }): string {
  const profile = profileName(input.accountName, input.permissionSetName);
  const where = input.portal ? `the AWS access portal (${input.portal.startUrl})` : 'your AWS access portal';
  const lines = [
    `Sign in at ${where}: account ${input.accountName} (${input.accountId}) now lists the permission set \`${input.permissionSetName}\`.`,
    'For the CLI, add this to ~/.aws/config and run `aws sso login --profile ' + profile + '`:',
    '```',
    `[profile ${profile}]`,
    'sso_session = warden',
    `sso_account_id = ${input.accountId}`,
    `sso_role_name = ${input.permissionSetName}`,
  ];
  if (input.portal) lines.push('[sso-session warden]', `sso_start_url = ${input.portal.startUrl}`, `sso_region = ${input.portal.region}`, 'sso_registration_scopes = sso:account:access');
  lines.push('```');
  return lines.join('\n');
}
