/**
 * Tokens of a chat message. ARNs, s3:// URIs and quoted names stay whole so their punctuation is
 * never read as words; phrases are matched on whole tokens, never on substrings, so a bucket called
 * "read-logs" does not say "read" or "logs".
 */

export type TokenKind = 'arn' | 's3-uri' | 'quoted' | 'word' | 'separator';

export interface Token {
  kind: TokenKind;
  /** As written, without quotes or trailing punctuation. */
  text: string;
  lower: string;
  /** Character offsets in the cleaned message. */
  start: number;
  end: number;
}

const BACKTICK = '`';
const NOT_IN_LINK = String.raw`[^\s,'"<>()[\]${BACKTICK}]`;
const TOKEN = new RegExp(
  [
    `(arn:aws[a-z-]*:${NOT_IN_LINK}+)`,
    `(s3://${NOT_IN_LINK}+)`,
    `${BACKTICK}([^${BACKTICK}\\s]+)${BACKTICK}`,
    String.raw`"([^"\s]+)"`,
    String.raw`“([^”\s]+)”`,
    String.raw`(?<![\p{L}\p{N}])'([^'\s]+)'(?![\p{L}\p{N}])`,
    String.raw`([\p{L}\p{N}_./#@+=*?:$%{}~-]+)`,
    String.raw`([,;&])`,
  ].join('|'),
  'gu',
);

const KIND_BY_GROUP: readonly TokenKind[] = ['arn', 's3-uri', 'quoted', 'quoted', 'quoted', 'quoted', 'word', 'separator'];

/** Slack's markup for mentions, channels and links, replaced by what a person reads. */
export function cleanChatMarkup(text: string): string {
  return text
    .replace(/<[@!][A-Z0-9^|a-z-]+>/g, ' ')
    .replace(/<#[A-Z0-9]+\|([^>]*)>/g, '#$1')
    .replace(/<(?:https?|mailto):[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<((?:https?|mailto):[^>]*)>/g, '$1');
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const group = m.slice(1).findIndex((g) => g !== undefined);
    const kind = KIND_BY_GROUP[group];
    const raw = m[group + 1];
    if (kind === undefined || raw === undefined) continue;
    const start = m.index + m[0].indexOf(raw);
    // "bucket:", "billing-reports." and "(orders)" end in punctuation that is not part of the name.
    const text_ = kind === 'word' || kind === 'arn' || kind === 's3-uri' ? raw.replace(/[.:?!]+$/, '') : raw;
    if (text_ === '') continue;
    tokens.push({ kind, text: text_, lower: text_.toLowerCase(), start, end: start + text_.length });
  }
  return tokens;
}

export interface PhraseEntry<T> {
  phrase: string;
  value: T;
}

export interface PhraseHit<T> {
  phrase: string;
  values: T[];
  /** Token index range [first, last + 1). */
  from: number;
  to: number;
}

function phraseWords(phrase: string): string[] {
  return tokenize(phrase.toLowerCase()).map((t) => t.lower);
}

/**
 * Finds phrases among word tokens, longest first; a token belongs to at most one hit, so "list
 * buckets" is not also "list". `taken` marks tokens already spoken for and is updated.
 */
export function matchPhrases<T>(
  tokens: readonly Token[],
  entries: readonly PhraseEntry<T>[],
  taken: Set<number> = new Set(),
  eligible: (index: number) => boolean = () => true,
): PhraseHit<T>[] {
  const byPhrase = new Map<string, { words: string[]; values: T[] }>();
  for (const { phrase, value } of entries) {
    const key = phraseWords(phrase).join(' ');
    const known = byPhrase.get(key);
    if (known) {
      if (!known.values.includes(value)) known.values.push(value);
    } else byPhrase.set(key, { words: phraseWords(phrase), values: [value] });
  }
  const ordered = [...byPhrase.entries()].sort(
    ([a, x], [b, y]) => y.words.length - x.words.length || b.length - a.length,
  );
  const hits: PhraseHit<T>[] = [];
  for (const [phrase, { words, values }] of ordered) {
    if (words.length === 0) continue;
    for (let i = 0; i + words.length <= tokens.length; i++) {
      let ok = true;
      for (let k = 0; k < words.length && ok; k++) {
        const token = tokens[i + k];
        ok = token !== undefined && token.kind === 'word' && token.lower === words[k] && !taken.has(i + k) && eligible(i + k);
      }
      if (!ok) continue;
      for (let k = 0; k < words.length; k++) taken.add(i + k);
      hits.push({ phrase, values, from: i, to: i + words.length });
    }
  }
  return hits.sort((a, b) => a.from - b.from);
}
