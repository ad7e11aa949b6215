import type { KnownBlock } from '@slack/types';
import type { Card, CardAction, CardBlock } from '../cards/model.js';
import { plain, toMrkdwn } from './mrkdwn.js';

// Block Kit limits: section text 3000 chars, 10 fields of 2000, header 150, button text 75.
const SECTION_MAX = 3000;

function section(text: string): KnownBlock {
  const mrkdwn = toMrkdwn(text);
  return { type: 'section', text: { type: 'mrkdwn', text: mrkdwn.length <= SECTION_MAX ? mrkdwn : `${mrkdwn.slice(0, SECTION_MAX - 1)}…` } };
}

function button(action: CardAction) {
  return {
    type: 'button' as const,
    action_id: action.id,
    text: { type: 'plain_text' as const, text: plain(action.label, 75) },
    value: action.value,
    ...(action.style ? { style: action.style } : {}),
    ...(action.confirm
      ? {
          confirm: {
            title: { type: 'plain_text' as const, text: plain(action.confirm.title, 100) },
            text: { type: 'mrkdwn' as const, text: toMrkdwn(action.confirm.text) },
            confirm: { type: 'plain_text' as const, text: plain(action.confirm.confirm, 30) },
            deny: { type: 'plain_text' as const, text: plain(action.confirm.deny, 30) },
          },
        }
      : {}),
  };
}

function renderBlock(block: CardBlock): KnownBlock {
  switch (block.type) {
    case 'header':
      return { type: 'header', text: { type: 'plain_text', text: plain(block.text, 150) } };
    case 'text':
      return section(block.text);
    case 'fields':
      return {
        type: 'section',
        fields: block.fields.slice(0, 10).map((f) => ({ type: 'mrkdwn' as const, text: toMrkdwn(`**${f.label}**\n${f.value}`).slice(0, 2000) })),
      };
    case 'context':
      return { type: 'context', elements: [{ type: 'mrkdwn', text: toMrkdwn(block.text).slice(0, 3000) }] };
    case 'divider':
      return { type: 'divider' };
    case 'actions':
      return { type: 'actions', block_id: 'warden_actions', elements: block.actions.map(button) };
  }
}

export function renderBlocks(card: Card): { text: string; blocks: KnownBlock[] } {
  return { text: card.fallback.slice(0, 3000), blocks: card.blocks.map(renderBlock) };
}
