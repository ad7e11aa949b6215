import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ConfigError, parseOrg } from '../../src/config/load-policy-files.js';

/** The sample org file with its first account and first user changed. */
async function orgText(account: Record<string, unknown>, user: Record<string, unknown> = {}): Promise<string> {
  const org = parse(await readFile('examples/org.yaml', 'utf8')) as { accounts: Record<string, unknown>[]; users: Record<string, unknown>[] };
  org.accounts[0] = { ...org.accounts[0], ...account };
  org.users[0] = { ...org.users[0], ...user };
  return stringify(org);
}

function errorOf(text: string): ConfigError {
  try {
    parseOrg(text, 'org.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected an error');
}

describe('org file: how an account is granted', () => {
  it('reads Identity Center with or without an existing permission set, and the Identity Center user override', async () => {
    const arn = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-0123456789abcdef';
    const org = parseOrg(await orgText({ grant: { via: 'identity-center', permissionSet: arn } }, { identityCenterUserId: '906722a5f6-1b2c3d4e-5f6a-7b8c-9d0e-1f2a3b4c5d6e' }), 'org.yaml');
    expect(org.accounts[0]?.grant).toEqual({ via: 'identity-center', permissionSet: arn });
    expect(org.accounts[1]?.grant).toBeUndefined();
    expect(org.users[0]?.identityCenterUserId).toBe('906722a5f6-1b2c3d4e-5f6a-7b8c-9d0e-1f2a3b4c5d6e');
    expect(parseOrg(await orgText({ grant: { via: 'identity-center', permissionSet: 'ReadOnly' } }), 'org.yaml').accounts[0]?.grant).toEqual({ via: 'identity-center', permissionSet: 'ReadOnly' });
    expect(parseOrg(await orgText({ grant: { via: 'iam' } }), 'org.yaml').accounts[0]?.grant).toEqual({ via: 'iam' });
  });

  it('names the field and the choices when the value is wrong', async () => {
    expect(errorOf(await orgText({ grant: { via: 'sso' } })).format()).toMatch(/accounts\[0\]\.grant.*"iam".*"identity-center"/);
    expect(errorOf(await orgText({ grant: { via: 'identity-center', permissionSet: 'not a name!' } })).format()).toMatch(/accounts\[0\]\.grant\.permissionSet: an existing permission set/);
    // A permission set belongs to Identity Center: on an IAM account it is a mistake, not ignored.
    expect(errorOf(await orgText({ grant: { via: 'iam', permissionSet: 'ReadOnly' } })).format()).toMatch(/accounts\[0\]\.grant/);
    expect(errorOf(await orgText({}, { identityCenterUserId: 'ana@example.com' })).format()).toMatch(/users\[0\]\.identityCenterUserId: an IAM Identity Center user id/);
  });
});
