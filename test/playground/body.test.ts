import { describe, expect, it } from 'vitest';
import { parseFormBody, parseJsonBody, parseRequestBody } from '../../src/playground/fake-slack/index.js';

describe('parseRequestBody', () => {
  it('decodes form values and the JSON-encoded nested values WebClient sends', () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }];
    const form = new URLSearchParams({ channel: 'C1', text: 'hello', blocks: JSON.stringify(blocks), unfurl_links: 'false' });
    const parsed = parseRequestBody('application/x-www-form-urlencoded', form.toString());
    expect(parsed).toEqual({
      ok: true,
      format: 'form',
      args: { channel: 'C1', text: 'hello', blocks, unfurl_links: 'false' },
    });
  });

  it('keeps free text as typed even when it looks like JSON', () => {
    const args = parseFormBody(new URLSearchParams({ text: '[1, 2]', view: '{"type":"modal"}' }).toString());
    expect(args).toEqual({ text: '[1, 2]', view: { type: 'modal' } });
  });

  it('keeps a malformed JSON value as its string, for the method to reject', () => {
    expect(parseFormBody('blocks=%5Bnot-json')).toEqual({ blocks: '[not-json' });
  });

  it('takes the first of repeated keys', () => {
    expect(parseFormBody('a=1&a=2')).toEqual({ a: '1' });
  });

  it('parses JSON bodies, with or without a charset', () => {
    const body = JSON.stringify({ channel: 'C1', blocks: [{ type: 'divider' }] });
    expect(parseRequestBody('application/json; charset=utf-8', body)).toEqual({
      ok: true,
      format: 'json',
      args: { channel: 'C1', blocks: [{ type: 'divider' }] },
    });
    expect(parseJsonBody('')).toEqual({});
  });

  it('rejects JSON that is not an object, and bodies it does not emulate', () => {
    expect(parseRequestBody('application/json', '[1]')).toEqual({ ok: false, error: 'invalid_json' });
    expect(parseRequestBody('application/json', '{oops')).toEqual({ ok: false, error: 'invalid_json' });
    expect(parseRequestBody('multipart/form-data; boundary=x', '--x--')).toEqual({ ok: false, error: 'invalid_form_data' });
    expect(parseRequestBody(undefined, '')).toEqual({ ok: true, args: {}, format: 'none' });
  });
});
