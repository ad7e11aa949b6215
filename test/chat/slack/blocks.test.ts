import { describe, expect, it } from 'vitest';
import { literal } from '../../../src/chat/cards/model.js';
import { renderBlocks } from '../../../src/chat/slack/blocks.js';
import { toMrkdwn } from '../../../src/chat/slack/mrkdwn.js';

describe('Slack rendering of the card model', () => {
  it('turns our markdown into mrkdwn and keeps typed text literal', () => {
    expect(toMrkdwn('**Why**\n_soon_ `s3:GetObject` [docs](https://example.com/a)')).toBe('*Why*\n_soon_ `s3:GetObject` <https://example.com/a|docs>');
    // Typed asterisks are not our bold markers, so they are not converted to Slack bold.
    expect(toMrkdwn(literal('**not bold**'))).toBe('**not bold**');
  });

  it('never lets typed text become a mention, a broadcast or a link', () => {
    const typed = literal('<!channel> ping <@U0BEN> <https://evil.example|click> & co');
    const out = toMrkdwn(`**Why**\n${typed}`);
    expect(out).not.toMatch(/<!channel>|<@U0BEN>|<https:/);
    expect(out).toContain('&lt;!channel&gt;');
    expect(out).toContain('&amp; co');
  });

  it('keeps a typed markdown link literal, so a justification cannot become a link', () => {
    const out = toMrkdwn(`Why: ${literal('see [the runbook](https://evil.example/login)')}`);
    expect(out).not.toContain('<https://evil.example');
    expect(out).toBe('Why: see [the runbook](https://evil.example/login)');
    // The card's own links still render, also next to typed brackets.
    expect(toMrkdwn(`${literal('[x]')} [docs](https://example.com/a)`)).toBe('[x] <https://example.com/a|docs>');
  });

  it('renders every block type with Slack limits respected', () => {
    const { text, blocks } = renderBlocks({
      fallback: 'fallback',
      blocks: [
        { type: 'header', text: 'H'.repeat(200) },
        { type: 'text', text: 'x'.repeat(5000) },
        { type: 'fields', fields: Array.from({ length: 12 }, (_, i) => ({ label: `L${i}`, value: 'v' })) },
        { type: 'context', text: 'ctx' },
        { type: 'divider' },
        { type: 'actions', actions: [{ id: 'request.approve', label: 'Approve', value: 'r-1', style: 'primary' }] },
      ],
    });
    expect(text).toBe('fallback');
    expect(blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context', 'divider', 'actions']);
    const header = blocks[0] as { text: { text: string } };
    expect(header.text.text.length).toBeLessThanOrEqual(150);
    const section = blocks[1] as { text: { text: string } };
    expect(section.text.text.length).toBeLessThanOrEqual(3000);
    expect((blocks[2] as { fields: unknown[] }).fields).toHaveLength(10);
    expect(blocks[5]).toMatchObject({ elements: [{ type: 'button', action_id: 'request.approve', value: 'r-1', style: 'primary' }] });
  });
});
