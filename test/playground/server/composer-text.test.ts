import { describe, expect, it } from 'vitest';
import { encodeMessageText, parseComposerInput, type MentionDirectory } from '../../../src/playground/server/composer-text.js';

const directory: MentionDirectory = {
  users: new Map([
    ['warden', 'U0FAKEBOT'],
    ['ben', 'U0BEN'],
  ]),
  channels: new Map([['access-requests', 'C0ACCESSREQ']]),
};

describe('what the composer sends', () => {
  it('treats "/command text" as a slash command', () => {
    expect(parseComposerInput('/access list', directory)).toEqual({ kind: 'command', command: '/access', text: 'list' });
    expect(parseComposerInput('  /ACCESS   status r-1  ', directory)).toEqual({ kind: 'command', command: '/access', text: 'status r-1' });
    expect(parseComposerInput('/access', directory)).toEqual({ kind: 'command', command: '/access', text: '' });
  });

  it('sends anything else as a message, even when it starts with a slash', () => {
    expect(parseComposerInput('/ not a command', directory)).toEqual({ kind: 'message', text: '/ not a command' });
    expect(parseComposerInput('//etc/passwd', directory).kind).toBe('message');
  });

  it('escapes &, < and > as Slack clients do, so typed text never becomes a control sequence', () => {
    expect(encodeMessageText('<script>alert(1)</script> & <!channel> <@U0BEN>', directory)).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!channel&gt; &lt;@U0BEN&gt;',
    );
  });

  it('writes mentions of known people, the bot and channels the way Slack does', () => {
    expect(encodeMessageText('@warden ask @Ben in #access-requests, not @nobody or #nowhere or me@ben', directory)).toBe(
      '<@U0FAKEBOT> ask <@U0BEN> in <#C0ACCESSREQ|access-requests>, not @nobody or #nowhere or me@ben',
    );
  });
});
