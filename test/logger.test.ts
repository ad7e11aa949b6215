import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { SECRET_PATHS } from '../src/logger.js';

describe('logging', () => {
  it('redacts tokens and secrets wherever they appear in logged fields', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const log = pino({ redact: { paths: SECRET_PATHS, censor: '[redacted]' } }, sink);
    log.info({ token: 'xoxb-1', slack: { token: 'xoxb-2', signingSecret: 's3cret' }, headers: { authorization: 'Bearer xoxb-3' } }, 'event');
    const out = lines.join('');
    expect(out).not.toMatch(/xoxb-|s3cret/);
    expect(out).toContain('[redacted]');
  });
});
