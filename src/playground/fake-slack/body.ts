import { type Json, type JsonObject, isJsonObject, tryParseJson } from './json.js';

/**
 * Arguments of a Web API call as Slack sees them. WebClient sends form-urlencoded bodies and
 * JSON-encodes every non-primitive value (blocks, view, attachments, metadata…), so after parsing
 * these are strings, or the decoded JSON of those nested values.
 */
export type SlackArgs = JsonObject;

export type ParsedBody =
  | { ok: true; args: SlackArgs; format: 'form' | 'json' | 'none' }
  | { ok: false; error: 'invalid_json' | 'invalid_form_data' };

/**
 * Free-text arguments are never JSON-decoded: a message whose text happens to be "[1, 2]" must stay
 * the text the user typed, not become an array.
 */
const FREE_TEXT_KEYS = new Set([
  'text',
  'markdown_text',
  'initial_comment',
  'title',
  'alt_text',
  'username',
  'query',
  'name',
  'purpose',
  'topic',
  'reason',
  'private_metadata',
]);

/** Decodes one form value the way Slack does: nested structures travel as JSON strings. */
function decodeFormValue(key: string, value: string): Json {
  if (FREE_TEXT_KEYS.has(key)) return value;
  const first = value.trimStart()[0];
  if (first !== '{' && first !== '[') return value;
  // Not valid JSON after all: keep the string, the method handler reports the bad argument.
  return tryParseJson(value) ?? value;
}

/** Parses `a=1&blocks=%5B…%5D` into args, decoding JSON-encoded nested values. */
export function parseFormBody(text: string): SlackArgs {
  const args: SlackArgs = {};
  for (const [key, value] of new URLSearchParams(text)) {
    // Slack takes the first occurrence of a repeated key; so do we.
    if (!(key in args)) args[key] = decodeFormValue(key, value);
  }
  return args;
}

/** Parses a JSON body; Slack requires a top-level object. */
export function parseJsonBody(text: string): SlackArgs | undefined {
  if (text.trim() === '') return {};
  const parsed = tryParseJson(text);
  return isJsonObject(parsed) ? parsed : undefined;
}

/** Media type without parameters, lower-cased: "application/json; charset=utf-8" → "application/json". */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Parses a Web API request body according to its Content-Type. */
export function parseRequestBody(contentType: string | undefined, text: string): ParsedBody {
  const type = mediaType(contentType);
  if (type === 'application/json') {
    const args = parseJsonBody(text);
    return args ? { ok: true, args, format: 'json' } : { ok: false, error: 'invalid_json' };
  }
  if (type === 'application/x-www-form-urlencoded') {
    return { ok: true, args: parseFormBody(text), format: 'form' };
  }
  if (type === '' && text.trim() === '') return { ok: true, args: {}, format: 'none' };
  // multipart/form-data (file uploads) and anything else are not emulated.
  return { ok: false, error: 'invalid_form_data' };
}
