import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/chat/teams/handlers/text.js';
import { teamsConversationFor } from '../../../src/chat/teams/scans/teams-scan-chat.js';

describe('`scan …` typed to the bot on Teams', () => {
  it('takes the words after scan as Slack’s /scan text, with or without a slash or `access`', () => {
    expect(parseCommand('scan payments-prod --tools prowler')).toEqual({ name: 'scan', args: 'payments-prod --tools prowler' });
    expect(parseCommand('/scan status')).toEqual({ name: 'scan', args: 'status' });
    expect(parseCommand('Scan')).toEqual({ name: 'scan', args: '' });
    expect(parseCommand('access scan last sandbox')).toEqual({ name: 'scan', args: 'last sandbox' });
  });

  it('leaves requests in plain words that merely start like it to the drafter', () => {
    expect(parseCommand('scanner role read access in sandbox for 1 hour')).toBeNull();
    expect(parseCommand('read the scans bucket in sandbox')).toBeNull();
  });
});

describe('where a scan post goes on Teams', () => {
  it('replies in a channel thread, stays in a thread it is already in, and has no threads in chats', () => {
    expect(teamsConversationFor('19:abc@thread.tacv2', '17')).toBe('19:abc@thread.tacv2;messageid=17');
    expect(teamsConversationFor('19:abc@thread.tacv2;messageid=5', '17')).toBe('19:abc@thread.tacv2;messageid=5');
    expect(teamsConversationFor('a:1personal', '17')).toBe('a:1personal');
    expect(teamsConversationFor('19:group@thread.v2', '17')).toBe('19:group@thread.v2');
    expect(teamsConversationFor('19:abc@thread.tacv2', undefined)).toBe('19:abc@thread.tacv2');
  });
});
