import { afterEach, describe, expect, it } from 'vitest';
import { startTeamsHarness, type TeamsHarness } from '../../support/teams-harness.js';

let h: TeamsHarness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('the Teams messaging endpoint', () => {
  it('answers 413 to a body larger than any Teams activity, 405 to a GET, and keeps serving', async () => {
    h = await startTeamsHarness({ slack: false });
    const url = h.warden.teamsUrl!;
    const big = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'x'.repeat(2 * 1024 * 1024) }) }).catch(() => undefined);
    if (big) expect(big.status).toBe(413);
    expect((await fetch(url)).status).toBe(405);
    // A malformed body is refused with 400 before any token check.
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":' })).status).toBe(400);
  });
});
