import type { Card } from '../chat/cards/model.js';
import type { ChatMessageRef } from './scan.js';

/** The messaging the scan workflows need; each chat platform implements it (Slack: handlers/scan-slack-chat.ts, Teams: teams/scans/teams-scan-chat.ts). */
export interface ScanChat {
  /** Posts in a channel, or in a message's thread. */
  post(channel: string, card: Card, threadTs?: string): Promise<ChatMessageRef>;
  update(ref: ChatMessageRef, card: Card): Promise<void>;
  /** A link people can click to reach the message; undefined when the platform cannot give one. */
  permalink(ref: ChatMessageRef): Promise<string | undefined>;
}
