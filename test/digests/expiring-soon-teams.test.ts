import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendExpiringSoon } from '../../src/digests/jobs.js';
import { cardText, executeActions } from '../../src/playground/fake-teams/index.js';
import { makeEventFor, makeRequest } from '../support/builders.js';
import { AAD, shown, startTeamsHarness, type TeamsHarness } from '../support/teams-harness.js';

let h: TeamsHarness;

beforeEach(async () => {
  // Ana is on Teams only: the notice must find her there.
  h = await startTeamsHarness({ org: (org) => ({ ...org, users: org.users.map((u) => (u.id === 'ana' ? { ...u, slackId: undefined } : u)) }) });
});

afterEach(async () => {
  await h.close();
});

describe('expiring soon on Teams', () => {
  it('reaches a Teams-only requester in her personal chat, and its button ends the grant', async () => {
    expect((await h.sender.install(AAD.ana)).status).toBe(200);
    const now = h.clock.now();
    const id = 'r-expiring1';
    const request = makeRequest({
      id,
      state: 'active',
      requesterId: 'ana',
      approverIds: ['ben'],
      approvals: [{ userId: 'ben', at: now.toISOString() }],
      origin: { platform: 'teams', channel: h.teams.personalChatOf(AAD.ana).id, threadTs: 'root' },
      grant: { grantedAt: now.toISOString(), expiresAt: new Date(now.getTime() + 20 * 60_000).toISOString(), mode: 'dry-run', handle: { roleName: `warden-${id}`, accountId: '111111111111' } },
    });
    await h.store.createRequest(request, makeEventFor(request));

    expect((await sendExpiringSoon(h.warden.deps, h.clock.now(), { withinMinutes: 30 })).sent).toEqual([request.id]);
    await h.idle();
    const notice = await h.teams.waitForMessage(h.teams.personalChatOf(AAD.ana).id, /ends in 20 minutes/);
    expect(shown(notice)).toContain('Submit a new request');

    const release = await h.sender.click({ from: AAD.ana, message: notice, verb: 'grant.release' });
    expect(cardText(release.card)).toMatch(/Ended early by Ana Lima/);
    expect(executeActions(release.card)).toEqual([]);
    expect((await h.store.getRequest(request.id))?.state).toBe('revoked');
  });
});
