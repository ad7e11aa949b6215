import { describe, expect, it } from 'vitest';
import { parseFileCommand } from '../../../src/chat/files/file-command.js';

describe('parseFileCommand', () => {
  it('reads the three file commands, with or without a mention or a slash', () => {
    expect(parseFileCommand('guardrails set')).toEqual({ kind: 'policy-set', policy: 'guardrails' });
    expect(parseFileCommand('<@U0BOT> Rules SET')).toEqual({ kind: 'policy-set', policy: 'access-rules' });
    expect(parseFileCommand('/warden guardrails set')).toEqual({ kind: 'policy-set', policy: 'guardrails' });
    expect(parseFileCommand('<at>Warden</at> scan import payments-prod')).toEqual({ kind: 'scan-import', account: 'payments-prod' });
    expect(parseFileCommand('/scan import')).toEqual({ kind: 'scan-import' });
  });

  it('anything else is no command', () => {
    expect(parseFileCommand('here is the file')).toBeUndefined();
    expect(parseFileCommand('guardrails')).toBeUndefined();
    expect(parseFileCommand('guardrails set now')).toBeUndefined();
    expect(parseFileCommand('scan import a b')).toBeUndefined();
    expect(parseFileCommand('')).toBeUndefined();
  });
});
