import { describe, expect, it } from 'vitest';
import type { Activity } from 'botbuilder';
import { createBotAuthentication } from '../../../src/chat/teams/auth.js';

const activity = { type: 'message', channelId: 'msteams', serviceUrl: 'https://smba.trafficmanager.net/teams/' } as const satisfies Partial<Activity>;

describe('Teams bot authentication', () => {
  it('with an app id (Azure), a request without a bearer token is refused with 401 before anything is fetched', async () => {
    const auth = createBotAuthentication({ mode: 'azure', appId: '5e1f0c2a-7b3d-4c8e-9f10-2a3b4c5d6e7f', appPassword: 'secret', appType: 'MultiTenant' });
    await expect(auth.authenticateRequest(activity as Activity, '')).rejects.toMatchObject({ statusCode: 401 });
  });

  it('with no app id (the local playground), requests are accepted without a token', async () => {
    const auth = createBotAuthentication({ mode: 'anonymous' });
    const result = await auth.authenticateRequest(activity as Activity, '');
    expect(result.claimsIdentity.isAuthenticated).toBe(true);
  });
});
