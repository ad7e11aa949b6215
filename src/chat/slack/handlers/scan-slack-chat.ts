import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { ScanButton, ScanMessage } from '../../cards/scan-message.js';
import type { ScanChat } from '../../../scans/chat.js';
import type { ChatMessageRef } from '../../../scans/scan.js';
import { renderBlocks } from '../blocks.js';
import { plain } from '../mrkdwn.js';

/**
 * A scan message in Block Kit: the card as blocks.ts renders it, then its buttons. (The buttons move
 * into the card's own actions block once the card model's ActionId lists the scan actions.)
 */
export function renderScanMessage(message: ScanMessage): { text: string; blocks: KnownBlock[] } {
  const rendered = renderBlocks(message.card);
  if (message.buttons.length === 0) return rendered;
  const elements = message.buttons.map((b: ScanButton) => ({
    type: 'button' as const,
    action_id: b.id,
    text: { type: 'plain_text' as const, text: plain(b.label, 75) },
    value: b.value,
    ...(b.style ? { style: b.style } : {}),
  }));
  return { ...rendered, blocks: [...rendered.blocks, { type: 'actions', block_id: 'warden_scan_actions', elements }] };
}

/** The ScanChat port over Slack's Web API. */
export class SlackScanChat implements ScanChat {
  constructor(private readonly client: WebClient) {}

  async post(channel: string, message: ScanMessage, threadTs?: string): Promise<ChatMessageRef> {
    const result = await this.client.chat.postMessage({ channel, ...renderScanMessage(message), ...(threadTs ? { thread_ts: threadTs } : {}), unfurl_links: false });
    if (!result.ts || !result.channel) throw new Error(`Slack did not return a message id for a post to ${channel}.`);
    return { channel: result.channel, ts: result.ts };
  }

  async update(ref: ChatMessageRef, message: ScanMessage): Promise<void> {
    await this.client.chat.update({ channel: ref.channel, ts: ref.ts, ...renderScanMessage(message) });
  }

  async permalink(ref: ChatMessageRef): Promise<string | undefined> {
    const result = await this.client.chat.getPermalink({ channel: ref.channel, message_ts: ref.ts });
    return result.permalink;
  }
}
