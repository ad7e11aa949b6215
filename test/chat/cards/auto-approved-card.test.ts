import { describe, expect, it } from 'vitest';
import { Directory } from '../../../src/access/directory.js';
import { SYSTEM_ACTOR } from '../../../src/access/lifecycle.js';
import { autoApprovedCard, draftPreviewCard } from '../../../src/chat/cards/request-cards.js';
import { renderBlocks } from '../../../src/chat/slack/blocks.js';
import { renderAdaptiveCard } from '../../../src/chat/teams/adaptive.js';
import { makeRequest } from '../../support/builders.js';
import { sampleOrg } from '../../support/org.js';

const directory = new Directory(sampleOrg);
const at = '2026-11-23T10:00:00.000Z';
const approved = makeRequest({ requesterId: 'ana', approverIds: ['ben', 'carla'], state: 'approved', approvals: [{ userId: SYSTEM_ACTOR, at }] });

describe('the card approvers get for an auto-approved request', () => {
  const card = autoApprovedCard(approved, directory, 'quick-reads');

  it('says it was approved automatically, under which rule, with the request facts', () => {
    const text = JSON.stringify(card);
    expect(card.fallback).toBe(`For your information: Ana Lima's Read access to payments-prod was approved automatically under rule quick-reads (${approved.id})`);
    expect(text).toContain('approved automatically');
    expect(text).toContain('`quick-reads`');
    expect(text).toContain('s3:GetObject');
    expect(text).toContain('Nothing to do');
  });

  it('renders without any button on Slack and on Teams', () => {
    const slack = renderBlocks(card);
    expect(slack.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(slack.text).toContain('approved automatically');
    const teams = JSON.stringify(renderAdaptiveCard(card));
    expect(teams).not.toMatch(/"Action\.|"ActionSet"/);
    expect(teams).toContain('Approved automatically');
  });

  it('the requester sees Warden, not a person, as the approver', () => {
    expect(JSON.stringify(draftPreviewCard(approved, directory))).toContain('Approved by Warden (automatically, under an access rule)');
  });
});
