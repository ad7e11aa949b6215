import type { WebClient } from '@slack/web-api';
import type { Directory } from '../../access/directory.js';
import type { MessageRef } from '../../store/store.js';
import type { Card } from '../cards/model.js';
import type { ChatTarget, Notifier } from '../notifier.js';
import { renderBlocks } from './blocks.js';

/** The Notifier port over Slack's Web API. */
export class SlackNotifier implements Notifier {
  constructor(
    private readonly client: WebClient,
    private readonly directory: Directory,
  ) {}

  async post(target: ChatTarget, card: Card, purpose: MessageRef['purpose'] = 'draft'): Promise<MessageRef> {
    const { channel, threadTs } = await this.resolve(target);
    const result = await this.client.chat.postMessage({
      channel,
      ...renderBlocks(card),
      ...(threadTs ? { thread_ts: threadTs } : {}),
      unfurl_links: false,
    });
    if (!result.ts || !result.channel) throw new Error(`Slack did not return a message id for a post to ${channel}.`);
    return { platform: 'slack', channel: result.channel, ts: result.ts, purpose };
  }

  async update(ref: MessageRef, card: Card): Promise<void> {
    await this.client.chat.update({ channel: ref.channel, ts: ref.ts, ...renderBlocks(card) });
  }

  /** Opens (or reuses) the direct-message channel with a Slack user. */
  async dmChannel(slackUserId: string): Promise<string> {
    const opened = await this.client.conversations.open({ users: slackUserId });
    const id = opened.channel?.id;
    if (!id) throw new Error(`Slack did not open a DM with ${slackUserId}.`);
    return id;
  }

  private async resolve(target: ChatTarget): Promise<{ channel: string; threadTs?: string }> {
    switch (target.kind) {
      case 'thread':
        return { channel: target.origin.channel, threadTs: target.origin.threadTs };
      case 'channel':
        return { channel: target.channel };
      case 'user': {
        const slackId = this.directory.user(target.userId)?.slackId;
        if (!slackId) throw new Error(`${target.userId} has no slackId in the org config, so they cannot be messaged on Slack.`);
        return { channel: await this.dmChannel(slackId) };
      }
    }
  }
}
