import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Card } from '../../cards/model.js';
import type { ScanChat } from '../../../scans/chat.js';
import type { ChatMessageRef } from '../../../scans/scan.js';
import { renderBlocks } from '../blocks.js';

/** A scan card in Block Kit: rendered like every other card, its scan.* buttons in the actions block. */
export function renderScanMessage(card: Card): { text: string; blocks: KnownBlock[] } {
  return renderBlocks(card);
}

/** The ScanChat port over Slack's Web API. */
export class SlackScanChat implements ScanChat {
  constructor(private readonly client: WebClient) {}

  async post(channel: string, card: Card, threadTs?: string): Promise<ChatMessageRef> {
    const result = await this.client.chat.postMessage({ channel, ...renderScanMessage(card), ...(threadTs ? { thread_ts: threadTs } : {}), unfurl_links: false });
    if (!result.ts || !result.channel) throw new Error(`Slack did not return a message id for a post to ${channel}.`);
    return { channel: result.channel, ts: result.ts };
  }

  async update(ref: ChatMessageRef, card: Card): Promise<void> {
    await this.client.chat.update({ channel: ref.channel, ts: ref.ts, ...renderScanMessage(card) });
  }

  async permalink(ref: ChatMessageRef): Promise<string | undefined> {
    const result = await this.client.chat.getPermalink({ channel: ref.channel, message_ts: ref.ts });
    return result.permalink;
  }
}
