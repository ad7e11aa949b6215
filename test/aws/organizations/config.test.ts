import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config-error.js';
import { parseScpSourceEnv } from '../../../src/aws/config.js';

describe('WARDEN_SCP_SOURCE', () => {
  it('defaults to AWS Organizations in AWS mode and to the files otherwise', () => {
    expect(parseScpSourceEnv({}, 'aws')).toEqual({ source: 'organizations', region: 'us-east-1', stsRegion: 'us-east-1', roleArn: undefined, cacheTtlSeconds: 900 });
    expect(parseScpSourceEnv({}, 'dry-run')).toEqual({ source: 'files' });
    expect(parseScpSourceEnv({ WARDEN_SCP_SOURCE: '' }, 'dry-run')).toEqual({ source: 'files' });
  });

  it('reads the role, the TTL and the region; Organizations is called in its partition’s global region', () => {
    const env = { WARDEN_SCP_SOURCE: 'Organizations', WARDEN_ORG_ROLE_ARN: 'arn:aws:iam::999999999999:role/warden-scp-reader', WARDEN_SCP_CACHE_TTL_SECONDS: '60', AWS_REGION: 'eu-west-1' };
    expect(parseScpSourceEnv(env, 'dry-run')).toEqual({ source: 'organizations', region: 'us-east-1', stsRegion: 'eu-west-1', roleArn: 'arn:aws:iam::999999999999:role/warden-scp-reader', cacheTtlSeconds: 60 });
    expect(parseScpSourceEnv({ WARDEN_AWS_REGION: 'cn-north-1' }, 'aws')).toMatchObject({ region: 'cn-northwest-1', stsRegion: 'cn-north-1' });
    expect(parseScpSourceEnv({ WARDEN_SCP_SOURCE: 'files', WARDEN_ORG_ROLE_ARN: 'arn:aws:iam::999999999999:role/x' }, 'aws')).toEqual({ source: 'files' });
  });

  it('names each bad variable and the fix', () => {
    const bad = () => parseScpSourceEnv({ WARDEN_SCP_SOURCE: 'ldap', WARDEN_ORG_ROLE_ARN: 'warden-scp-reader', WARDEN_SCP_CACHE_TTL_SECONDS: 'soon' }, 'aws');
    expect(bad).toThrow(ConfigError);
    const text = (() => {
      try {
        bad();
        return '';
      } catch (error) {
        return (error as ConfigError).format();
      }
    })();
    expect(text).toMatch(/WARDEN_SCP_SOURCE.*one of "files", "organizations".*"ldap"/);
    expect(text).toMatch(/WARDEN_ORG_ROLE_ARN.*an IAM role ARN like/);
    expect(text).toMatch(/WARDEN_SCP_CACHE_TTL_SECONDS.*a whole number from 0 to 86400/);
  });
});
