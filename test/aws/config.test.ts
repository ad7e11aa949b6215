import { describe, expect, it } from 'vitest';
import { checkIdentityCenterAccounts, parseAwsEnv, partitionOf } from '../../src/aws/config.js';
import { ConfigError } from '../../src/config/config-error.js';
import { sampleOrg } from '../support/org.js';

function awsEnvError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    parseAwsEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected parseAwsEnv to throw');
}

describe('parseAwsEnv', () => {
  it('has defaults that match docs/aws-grant-role.md', () => {
    expect(parseAwsEnv({})).toEqual({
      region: 'us-east-1',
      iam: { partition: 'aws', grantRoleName: 'warden-grant', permissionsBoundaryName: 'warden-grant-boundary' },
      identityCenter: null,
      reconcileIntervalSeconds: 900,
      alerts: { channel: null, revokeAlertAfter: 3 },
    });
  });

  it('reads every setting, and blank values count as unset', () => {
    const config = parseAwsEnv({
      WARDEN_AWS_REGION: 'eu-west-1',
      AWS_REGION: 'us-west-2',
      WARDEN_AWS_GRANT_ROLE: 'warden-grant-prod',
      WARDEN_AWS_EXTERNAL_ID: 'warden-7f3a9c',
      WARDEN_AWS_PERMISSIONS_BOUNDARY: 'WardenBoundary',
      WARDEN_AWS_RECONCILE_INTERVAL_SECONDS: '300',
      WARDEN_ALERT_CHANNEL: ' C0PLATFORM ',
      WARDEN_REVOKE_ALERT_AFTER: '',
    });
    expect(config).toEqual({
      region: 'eu-west-1',
      iam: { partition: 'aws', grantRoleName: 'warden-grant-prod', externalId: 'warden-7f3a9c', permissionsBoundaryName: 'WardenBoundary' },
      identityCenter: null,
      reconcileIntervalSeconds: 300,
      alerts: { channel: 'C0PLATFORM', revokeAlertAfter: 3 },
    });
  });

  it('falls back to the SDK’s region variables and derives the partition', () => {
    expect(parseAwsEnv({ AWS_REGION: 'cn-north-1' }).iam.partition).toBe('aws-cn');
    expect(parseAwsEnv({ AWS_DEFAULT_REGION: 'us-gov-west-1' }).region).toBe('us-gov-west-1');
    expect(partitionOf('us-gov-west-1')).toBe('aws-us-gov');
    expect(partitionOf('ap-southeast-2')).toBe('aws');
  });

  it('names every bad variable and the fix, without echoing the external id', () => {
    const error = awsEnvError({
      WARDEN_AWS_REGION: 'Ireland',
      WARDEN_AWS_GRANT_ROLE: 'role/warden grant',
      WARDEN_AWS_EXTERNAL_ID: 'x',
      WARDEN_AWS_RECONCILE_INTERVAL_SECONDS: '5',
      WARDEN_ALERT_CHANNEL: '#platform',
    });
    const text = error.format();
    expect(text).toContain('environment: WARDEN_AWS_REGION: a region like "eu-west-1" (got "Ireland")');
    expect(text).toContain('environment: WARDEN_AWS_GRANT_ROLE: an IAM role name');
    expect(text).toContain('environment: WARDEN_AWS_EXTERNAL_ID: 2 to 1224 characters');
    expect(text).not.toContain('(got "x")');
    expect(text).toContain('WARDEN_AWS_RECONCILE_INTERVAL_SECONDS: seconds between reconciliations with AWS: a whole number from 60 to 86400 (got "5")');
    expect(text).toContain('WARDEN_ALERT_CHANNEL: a Slack channel id like "C024BE91L"');
  });

  it('reads Identity Center settings only as a pair', () => {
    const config = parseAwsEnv({ AWS_REGION: 'eu-west-1', WARDEN_SSO_INSTANCE_ARN: 'arn:aws:sso:::instance/ssoins-1234567890abcdef', WARDEN_SSO_IDENTITY_STORE_ID: 'd-1234567890', WARDEN_SSO_REGION: 'us-east-1' });
    expect(config.identityCenter).toEqual({
      region: 'us-east-1',
      settings: {
        instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
        identityStoreId: 'd-1234567890',
        permissionsBoundaryName: 'warden-grant-boundary',
        poll: { firstDelayMs: 1000, maxDelayMs: 10_000, timeoutMs: 300_000 },
      },
      startUrl: null,
      directoryRefreshSeconds: 900,
    });
    expect(awsEnvError({ WARDEN_SSO_INSTANCE_ARN: 'arn:aws:sso:::instance/ssoins-1234567890abcdef' }).format()).toMatch(/WARDEN_SSO_IDENTITY_STORE_ID: missing: Identity Center grants need both/);
    expect(awsEnvError({ WARDEN_SSO_INSTANCE_ARN: 'ssoins-1234', WARDEN_SSO_IDENTITY_STORE_ID: 'd-1234567890' }).format()).toMatch(/WARDEN_SSO_INSTANCE_ARN: an IAM Identity Center instance ARN/);
  });

  it('reads the access portal URL and the directory refresh interval, and refuses a bad one', () => {
    const ic = { WARDEN_SSO_INSTANCE_ARN: 'arn:aws:sso:::instance/ssoins-1234567890abcdef', WARDEN_SSO_IDENTITY_STORE_ID: 'd-1234567890' };
    const config = parseAwsEnv({ ...ic, WARDEN_SSO_START_URL: 'https://d-1234567890.awsapps.com/start', WARDEN_SSO_DIRECTORY_REFRESH_SECONDS: '300' });
    expect(config.identityCenter).toMatchObject({ startUrl: 'https://d-1234567890.awsapps.com/start', directoryRefreshSeconds: 300 });
    expect(awsEnvError({ ...ic, WARDEN_SSO_START_URL: 'http://portal' }).format()).toMatch(/WARDEN_SSO_START_URL: the AWS access portal URL/);
    expect(awsEnvError({ ...ic, WARDEN_SSO_DIRECTORY_REFRESH_SECONDS: '5' }).format()).toMatch(/WARDEN_SSO_DIRECTORY_REFRESH_SECONDS: .*from 60 to 86400/);
  });

  it('an org file account granted through Identity Center needs the instance configured, naming the file and field', () => {
    const org = {
      ...sampleOrg,
      accounts: [sampleOrg.accounts[0]!, { ...sampleOrg.accounts[1]!, grant: { via: 'identity-center' as const } }],
    };
    const error = (() => {
      try {
        checkIdentityCenterAccounts(org, parseAwsEnv({}), 'config/org.yaml');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).format()).toMatch(/^config\/org\.yaml: accounts\[1\]\.grant\.via: account \S+ is granted through IAM Identity Center, but WARDEN_SSO_INSTANCE_ARN and WARDEN_SSO_IDENTITY_STORE_ID are not set/);
    const configured = parseAwsEnv({ WARDEN_SSO_INSTANCE_ARN: 'arn:aws:sso:::instance/ssoins-1234567890abcdef', WARDEN_SSO_IDENTITY_STORE_ID: 'd-1234567890' });
    expect(() => checkIdentityCenterAccounts(org, configured, 'config/org.yaml')).not.toThrow();
  });

  it('a malformed AWS_REGION is reported with the way out', () => {
    expect(awsEnvError({ AWS_REGION: 'europe' }).format()).toMatch(/AWS_REGION: a region like "eu-west-1" \(got "europe"\); or set WARDEN_AWS_REGION/);
  });
});
