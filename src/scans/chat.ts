import type { ScanMessage } from '../chat/cards/scan-message.js';
import type { ChatMessageRef } from './scan.js';

/** The messaging the scan workflows need; each chat platform implements it (Slack: handlers/scan-slack-chat.ts). */
export interface ScanChat {
  /** Posts in a channel, or in a message's thread. */
  post(channel: string, message: ScanMessage, threadTs?: string): Promise<ChatMessageRef>;
  update(ref: ChatMessageRef, message: ScanMessage): Promise<void>;
  /** A link people can click to reach the message; undefined when the platform cannot give one. */
  permalink(ref: ChatMessageRef): Promise<string | undefined>;
}
