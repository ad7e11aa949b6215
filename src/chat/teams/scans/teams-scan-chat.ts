import type { ChatMessageRef } from '../../../scans/scan.js';
import type { Card } from '../../cards/model.js';
import type { OwnedScanChat } from '../../scan-wiring.js';
import { renderAdaptiveCard } from '../adaptive.js';
import type { TeamsAddressBook } from '../addresses.js';
import type { TeamsNotifier } from '../teams-notifier.js';

/**
 * The conversation a post goes to. A channel thread is its own conversation in Teams
 * (`<channel>;messageid=<root>`), and a reply cannot start a thread of its own: so a post "in the
 * thread of" a message that is already in a thread goes to that same thread.
 */
export function teamsConversationFor(channel: string, threadTs: string | undefined): string {
  if (!threadTs || channel.includes(';messageid=')) return channel;
  // Only team channels have threads; personal and group chats get the post in the chat itself.
  return /@thread\.(tacv2|skype)$/.test(channel) ? `${channel};messageid=${threadTs}` : channel;
}

/**
 * The ScanChat port over the Bot Connector: proactive posts into the conversation the scan was asked
 * in, and updates of that same activity by id (TeamsNotifier does both through stored references,
 * so any replica can update a scan's message).
 */
export class TeamsScanChat implements OwnedScanChat {
  constructor(private readonly options: { notifier: TeamsNotifier; addresses: TeamsAddressBook }) {}

  async owns(channel: string): Promise<boolean> {
    return (await this.options.addresses.conversation(channel)) !== undefined;
  }

  async post(channel: string, card: Card, threadTs?: string): Promise<ChatMessageRef> {
    const conversationId = teamsConversationFor(channel, threadTs);
    const id = await this.options.notifier.send(conversationId, renderAdaptiveCard(card), card.fallback);
    if (!id) throw new Error(`Teams did not return a message id for a post to ${conversationId}.`);
    return { channel: conversationId, ts: id };
  }

  async update(ref: ChatMessageRef, card: Card): Promise<void> {
    // The notifier renders a card without request buttons as it is: the scan.* buttons stay for everyone.
    await this.options.notifier.update({ platform: 'teams', channel: ref.channel, ts: ref.ts, purpose: 'draft' }, card);
  }

  async permalink(): Promise<string | undefined> {
    // A Teams message link needs the team's group id, which activities do not carry: none is made up.
    return undefined;
  }
}
