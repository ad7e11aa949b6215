import { describe, expect, it } from 'vitest';
import { Directory } from '../../src/access/directory.js';
import { expiringSoonCard, pendingDigestCard, weeklyPostureCard, type PostureAccount } from '../../src/chat/cards/digest-cards.js';
import { renderBlocks } from '../../src/chat/slack/blocks.js';
import { renderAdaptiveCard } from '../../src/chat/teams/adaptive.js';
import { loadPolicyConfig } from '../../src/config/load-policy-files.js';
import { adaptiveCardProblems } from '../support/adaptive-validity.js';
import { makeRequest } from '../support/builders.js';

const zero = { critical: 0, high: 0, medium: 0, low: 0, informational: 0 };

describe('digest cards', () => {
  it('render on Slack within Block Kit limits and as valid Adaptive Cards', async () => {
    const directory = new Directory((await loadPolicyConfig('examples')).org);
    const many = Array.from({ length: 45 }, (_, i) => ({ request: makeRequest({ requesterId: 'ana' }), waitingMinutes: 60 + i }));
    const active = makeRequest({ state: 'active', grant: { grantedAt: '2026-11-23T10:00:00.000Z', expiresAt: '2026-11-23T12:00:00.000Z', mode: 'dry-run', handle: {} } });
    const account = (i: number): PostureAccount => ({
      accountId: String(i).padStart(12, '0'),
      accountName: `account-${i}`,
      scanId: `s-${i}`,
      finishedAt: '2026-11-22T08:00:00.000Z',
      failing: { ...zero, high: i },
      previous: i % 2 ? { scanId: `p-${i}`, finishedAt: '2026-11-15T08:00:00.000Z', failing: zero } : null,
    });
    const cards = [pendingDigestCard(many, directory), expiringSoonCard(active, 25), weeklyPostureCard(Array.from({ length: 12 }, (_, i) => account(i)))];
    for (const card of cards) {
      const slack = renderBlocks(card);
      expect(slack.blocks.length).toBeLessThanOrEqual(50);
      for (const block of slack.blocks) if (block.type === 'section' && block.text) expect(block.text.text.length).toBeLessThan(3000);
      expect(adaptiveCardProblems(renderAdaptiveCard(card))).toEqual([]);
    }
    // The long list is cut with a count, not silently.
    expect(JSON.stringify(cards[0]!.blocks)).toContain('… and 5 more.');
    expect(cards[0]!.blocks[0]).toEqual({ type: 'header', text: '45 access requests waiting for your decision' });
  });
});
