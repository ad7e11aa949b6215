import { describe, expect, it } from 'vitest';
import { parseTeamsEnv, teamsAuthFromEnv } from '../../../src/chat/teams/config.js';
import { ConfigError } from '../../../src/config/config-error.js';

const APP = '5e1f0c2a-7b3d-4c8e-9f10-2a3b4c5d6e7f';
const TENANT = '0F1E2D3C-4B5A-4978-8A6B-5C4D3E2F1A0B';

function problems(env: NodeJS.ProcessEnv): string {
  try {
    parseTeamsEnv(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.format();
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseTeamsEnv', () => {
  it('is null when no Microsoft* variable is set (blank counts as unset)', () => {
    expect(parseTeamsEnv({})).toBeNull();
    expect(parseTeamsEnv({ MicrosoftAppId: ' ', MicrosoftAppPassword: '' })).toBeNull();
  });

  it('reads a multi-tenant bot by default, and a single-tenant one with its tenant', () => {
    expect(parseTeamsEnv({ MicrosoftAppId: APP, MicrosoftAppPassword: 's3cret' })).toEqual({ appId: APP, appPassword: 's3cret', appType: 'MultiTenant', port: 3978 });
    expect(parseTeamsEnv({ MicrosoftAppId: APP, MicrosoftAppPassword: 's3cret', MicrosoftAppType: 'singletenant', MicrosoftAppTenantId: TENANT, TEAMS_PORT: '8080' })).toEqual({
      appId: APP,
      appPassword: 's3cret',
      appType: 'SingleTenant',
      tenantId: TENANT.toLowerCase(),
      port: 8080,
    });
    const msi = parseTeamsEnv({ MicrosoftAppId: APP, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: TENANT });
    expect(msi).toMatchObject({ appType: 'UserAssignedMSI' });
    expect(teamsAuthFromEnv(msi!)).toEqual({ mode: 'azure', appId: APP, appType: 'UserAssignedMSI', tenantId: TENANT.toLowerCase() });
  });

  it('names every missing or malformed variable with the fix, and never echoes the password', () => {
    const text = problems({ MicrosoftAppPassword: 'hunter2-very-secret', MicrosoftAppType: 'SingleTenant' });
    expect(text).toContain('environment: MicrosoftAppId: missing');
    expect(text).toContain('MicrosoftAppTenantId: missing');
    expect(text).not.toContain('hunter2');
    expect(problems({ MicrosoftAppId: 'not-a-guid', MicrosoftAppPassword: 'x' })).toMatch(/MicrosoftAppId: the Azure Bot's Microsoft App ID, a GUID .*\(got "not-a-guid"\)/);
    expect(problems({ MicrosoftAppId: APP })).toMatch(/MicrosoftAppPassword: missing/);
    expect(problems({ MicrosoftAppId: APP, MicrosoftAppPassword: 'x', MicrosoftAppType: 'Personal' })).toMatch(/MicrosoftAppType: one of "MultiTenant", "SingleTenant", "UserAssignedMSI"/);
    expect(problems({ MicrosoftAppId: APP, MicrosoftAppPassword: 'x', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: TENANT })).toMatch(/MicrosoftAppPassword: must not be set/);
    expect(problems({ MicrosoftAppId: APP, MicrosoftAppPassword: 'x', TEAMS_PORT: '70000' })).toMatch(/TEAMS_PORT: a whole number from 1 to 65535/);
  });
});
