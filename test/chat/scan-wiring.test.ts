import { describe, expect, it } from 'vitest';
import type { Card } from '../../src/chat/cards/model.js';
import { RoutingScanChat, type OwnedScanChat } from '../../src/chat/scan-wiring.js';
import type { ChatMessageRef } from '../../src/scans/scan.js';

/** A platform's ScanChat that records what reached it; `known` are the conversations it owns. */
class RecordingChat implements OwnedScanChat {
  readonly seen: string[] = [];
  constructor(private readonly known: string[] = []) {}
  async owns(channel: string): Promise<boolean> {
    return this.known.includes(channel);
  }
  async post(channel: string, card: Card): Promise<ChatMessageRef> {
    this.seen.push(`post ${channel} ${card.fallback}`);
    return { channel, ts: '1' };
  }
  async update(ref: ChatMessageRef, card: Card): Promise<void> {
    this.seen.push(`update ${ref.channel} ${card.fallback}`);
  }
  async permalink(ref: ChatMessageRef): Promise<string | undefined> {
    return `link ${ref.channel}`;
  }
}

const card: Card = { fallback: 'progress', blocks: [] };
const TEAMS_THREAD = '19:abc@thread.tacv2;messageid=5';

describe('RoutingScanChat', () => {
  it('sends a scan’s messages to the platform its conversation belongs to', async () => {
    const slack = new RecordingChat();
    const teams = new RecordingChat([TEAMS_THREAD]);
    const chat = new RoutingScanChat({ slack, teams });
    await chat.post('C0GENERAL', card);
    await chat.post(TEAMS_THREAD, card);
    await chat.update({ channel: TEAMS_THREAD, ts: '7' }, card);
    await chat.update({ channel: 'C0GENERAL', ts: '1.2' }, card);
    expect(await chat.permalink({ channel: 'C0GENERAL', ts: '1.2' })).toBe('link C0GENERAL');
    expect(slack.seen).toEqual(['post C0GENERAL progress', 'update C0GENERAL progress']);
    expect(teams.seen).toEqual([`post ${TEAMS_THREAD} progress`, `update ${TEAMS_THREAD} progress`]);
  });

  it('with one platform, sends everything there', async () => {
    const teams = new RecordingChat();
    await new RoutingScanChat({ teams }).post('a:unknown-yet', card);
    expect(teams.seen).toEqual(['post a:unknown-yet progress']);
    const slack = new RecordingChat();
    await new RoutingScanChat({ slack }).post(TEAMS_THREAD, card);
    expect(slack.seen).toHaveLength(1);
  });
});
