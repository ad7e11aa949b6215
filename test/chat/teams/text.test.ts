import { describe, expect, it } from 'vitest';
import { messageWords, parseCommand } from '../../../src/chat/teams/handlers/text.js';
import { channelOrigin } from '../../../src/chat/teams/sessions.js';

describe('Teams message words and commands', () => {
  it('drops mentions and markup, keeps the words', () => {
    expect(messageWords('<at>Warden</at> I need <b>read</b> access &amp; more&nbsp;please')).toBe('I need read access & more please');
    expect(messageWords('<at>Warden</at>')).toBe('');
  });

  it('recognises only the exact command shapes', () => {
    expect(parseCommand('help')).toEqual({ name: 'help' });
    expect(parseCommand('access')).toEqual({ name: 'help' });
    expect(parseCommand('access list')).toEqual({ name: 'list' });
    expect(parseCommand('/access status r-123')).toEqual({ name: 'status', id: 'r-123' });
    expect(parseCommand('Access Request')).toEqual({ name: 'request' });
    expect(parseCommand('access status')).toEqual({ name: 'status' });
    // Plain words that begin like a command are requests for the drafter.
    expect(parseCommand('access to the billing bucket for 2 hours')).toBeNull();
    expect(parseCommand('access request read on billing-reports')).toBeNull();
    expect(parseCommand('access list everything')).toBeNull();
    expect(parseCommand('access help how long can I get access for?')).toEqual({ name: 'help', question: 'how long can I get access for?' });
    expect(parseCommand('access status r-1 please')).toBeNull();
    expect(parseCommand('request read access')).toBeNull();
  });

  it('`access ssh …` and `run … -- …` are commands; other words starting with "run" are requests', () => {
    expect(parseCommand('access ssh web-1 sandbox check the agent')).toEqual({ name: 'ssh', args: 'web-1 sandbox check the agent' });
    expect(parseCommand('run web-1 sandbox INC-9 disk full -- df -h')).toEqual({ name: 'run', args: 'web-1 sandbox INC-9 disk full -- df -h' });
    expect(parseCommand('/run i-0abc123def4567890 why')).toEqual({ name: 'run', args: 'i-0abc123def4567890 why' });
    expect(parseCommand('run')).toEqual({ name: 'run', args: '' });
    expect(parseCommand('run help')).toEqual({ name: 'run', args: 'help' });
    expect(parseCommand('run the export job with read access to billing-reports')).toBeNull();
  });

  it('finds a channel thread in the conversation id', () => {
    expect(channelOrigin('19:abc@thread.tacv2;messageid=1700000000001', '1700000000009')).toEqual({
      platform: 'teams',
      channel: '19:abc@thread.tacv2;messageid=1700000000001',
      threadTs: '1700000000001',
    });
    expect(channelOrigin('19:abc@thread.tacv2', '1700000000009')).toEqual({
      platform: 'teams',
      channel: '19:abc@thread.tacv2;messageid=1700000000009',
      threadTs: '1700000000009',
    });
  });
});
