import { describe, expect, it } from 'vitest';
import { Directory } from '../../../src/access/directory.js';
import { accessHelpCard } from '../../../src/chat/cards/help-card.js';
import { approvalCard, draftPreviewCard, notice, questionsCard, requestListCard, statusCard } from '../../../src/chat/cards/request-cards.js';
import { renderBlocks as toBlockKit } from '../../../src/chat/slack/blocks.js';
import { renderBlocks, type RenderContext } from '../../../src/playground/block-kit/index.js';
import { makeRequest } from '../../support/builders.js';
import { sampleOrg } from '../../support/org.js';
import { safetyProblems, visibleText } from './html-check.js';

const directory = new Directory(sampleOrg);
const ctx: RenderContext = { userName: () => undefined, channelName: () => undefined };
const request = makeRequest({ requesterId: 'ana', approverIds: ['ben', 'carla'] });

/** Warden's own cards, through its Slack renderer, are what the page must show best. */
const cards = {
  'draft preview': draftPreviewCard(request, directory),
  'approval card': approvalCard({ ...request, state: 'pending_approval' }, directory),
  'approved card': approvalCard({ ...request, state: 'active', approvals: [{ userId: 'ben', at: '2025-01-06T09:05:00.000Z' }], grant: { grantedAt: '2025-01-06T09:05:00.000Z', expiresAt: '2025-01-06T11:05:00.000Z', mode: 'dry-run', handle: {} } }, directory),
  status: statusCard({ ...request, state: 'active', grant: { grantedAt: '2025-01-06T09:05:00.000Z', expiresAt: '2025-01-06T11:05:00.000Z', mode: 'dry-run', handle: {} } }, directory),
  list: requestListCard([request], true),
  questions: questionsCard(['How long do you need it for?', 'Which account?']),
  notice: notice('⚠️ Something <odd> & *bold*'),
  help: accessHelpCard(),
};

describe("Warden's cards in the playground", () => {
  for (const [name, card] of Object.entries(cards)) {
    it(`${name}: every block is supported and the markup is safe`, () => {
      const html = renderBlocks(toBlockKit(card).blocks, ctx);
      expect(html).not.toContain('Unsupported');
      expect(safetyProblems(html)).toEqual([]);
    });
  }

  it('the approval card shows the facts, the buttons and the request id', () => {
    const html = renderBlocks(toBlockKit(cards['approval card']).blocks, ctx);
    const text = visibleText(html);
    expect(text).toContain('Ana Lima requests access to payments-prod');
    expect(text).toContain('s3:GetObject');
    expect(html).toContain('data-action-id="request.approve"');
    expect(html).toContain('bk-button--primary');
    expect(html).toContain('bk-button--danger');
    expect(html).toContain(`<code class="mk-code">${request.id}</code>`);
  });

  it('text a person typed stays text inside a card', () => {
    const html = renderBlocks(toBlockKit(cards.notice).blocks, ctx);
    expect(visibleText(html)).toBe('⚠️ Something <odd> & bold');
  });
});
