/**
 * What a requester's messages say, read message by message. Each finding is taken from the
 * request itself first (the text outside the stated reason) and from the whole message only when
 * the request says nothing about it, so "… to debug why the lambda fails" does not add Lambda.
 */
import type { AccessLevel } from '../../access/types.js';
import type { Account, Org } from '../../config/schemas.js';
import type { IamCatalog } from '../catalog.js';
import { parseArn } from '../arn.js';
import { LEVEL_WORDS, intentsOf, type Intent } from '../intents.js';
import { ALIAS_EXCEPTIONS, SUBJECTS, subjectById, type SubjectId } from '../subjects.js';
import { resolveTarget } from '../targets.js';
import { findDurations, type DurationMention } from './duration.js';
import { findJustification, type JustificationSpan } from './justification.js';
import { cleanChatMarkup, matchPhrases, tokenize, type PhraseEntry, type Token } from './tokens.js';
import { NAME_INTRODUCERS, NOUN_MODIFIERS, isIdentifierLike, isKnownWord } from './vocabulary.js';

export type Scope = 'request' | 'all';

export interface Message {
  index: number;
  text: string;
  tokens: Token[];
  durations: DurationMention[];
  vagueDurations: string[];
  /** Accounts named by name or id, in order. */
  accounts: Account[];
  /** 12-digit ids that are not an account of the org. */
  unknownAccountIds: string[];
  justification?: JustificationSpan;
  /** Token indexes that are a duration or an account, never a name or a phrase. */
  reserved: ReadonlySet<number>;
}

export function readMessage(raw: string, index: number, org: Org): Message {
  const text = cleanChatMarkup(raw);
  const tokens = tokenize(text);
  const { mentions: durations, vague } = findDurations(text);
  const reserved = new Set<number>();
  const accounts: Account[] = [];
  const unknownAccountIds: string[] = [];
  tokens.forEach((token, i) => {
    if (durations.some((d) => token.start < d.end && d.start < token.end)) reserved.add(i);
    if (token.kind !== 'word') return;
    const account = org.accounts.find((a) => a.name.toLowerCase() === token.lower || a.id === token.text);
    if (account) {
      accounts.push(account);
      reserved.add(i);
    } else if (/^\d{12}$/.test(token.text)) {
      unknownAccountIds.push(token.text);
      reserved.add(i);
    }
  });
  const justification = findJustification(text, tokens, durations);
  return { index, text, tokens, durations, vagueDurations: vague, accounts, unknownAccountIds, justification, reserved };
}

function inScope(message: Message, tokenIndex: number, scope: Scope): boolean {
  const j = message.justification;
  return scope === 'all' || j === undefined || tokenIndex < j.from || tokenIndex >= j.to;
}

/** Tries the request part first, then the whole text; returns the first non-empty finding. */
export async function requestFirst<T>(find: (scope: Scope) => Promise<T[]> | T[]): Promise<{ found: T[]; scope: Scope }> {
  const inRequest = await find('request');
  if (inRequest.length > 0) return { found: inRequest, scope: 'request' };
  return { found: await find('all'), scope: 'all' };
}

// ---- services ---------------------------------------------------------------------------------

export type Mention =
  | { kind: 'subject'; subject: SubjectId; phrase: string }
  /** An ARN of a catalog service Warden has no intents for. */
  | { kind: 'service'; service: string; phrase: string };

const ALIAS_ENTRIES: readonly PhraseEntry<SubjectId | null>[] = [
  ...SUBJECTS.flatMap((s) => s.aliases.map((phrase) => ({ phrase, value: s.id as SubjectId | null }))),
  ...ALIAS_EXCEPTIONS.map((phrase) => ({ phrase, value: null })),
];

function mentionKey(m: Mention): string {
  return m.kind === 'subject' ? m.subject : `service:${m.service}`;
}

/** Services one message names, by word or by ARN, after a subject absorbs the ones it covers. */
export async function mentionsIn(catalog: IamCatalog, message: Message, scope: Scope): Promise<Mention[]> {
  const eligible = (i: number) => inScope(message, i, scope) && !message.reserved.has(i);
  const mentions: Mention[] = [];
  for (const hit of matchPhrases(message.tokens, ALIAS_ENTRIES, new Set(), eligible)) {
    for (const subject of hit.values) if (subject) mentions.push({ kind: 'subject', subject, phrase: hit.phrase });
  }
  for (const [i, token] of message.tokens.entries()) {
    if (!eligible(i)) continue;
    if (token.kind === 's3-uri') mentions.push({ kind: 'subject', subject: 's3-bucket', phrase: token.text });
    if (token.kind !== 'arn') continue;
    const arn = parseArn(token.text);
    if (!arn) continue;
    // A service with subjects keeps its ARNs to them, so a refused ARN becomes a question, never a broad draft.
    const candidates = SUBJECTS.filter((s) => s.service === arn.service);
    let subject = candidates[0];
    for (const candidate of candidates) {
      if ((await resolveTarget(catalog, candidate, token.text)).ok) {
        subject = candidate;
        break;
      }
    }
    if (subject) mentions.push({ kind: 'subject', subject: subject.id, phrase: token.text });
    else if (await catalog.serviceExists(arn.service)) mentions.push({ kind: 'service', service: arn.service, phrase: token.text });
  }
  const absorbed = new Set(
    mentions.flatMap((m) => (m.kind === 'subject' ? (subjectById(m.subject).absorbs ?? []) : [])),
  );
  const unique = new Map<string, Mention>();
  for (const m of mentions) {
    if (m.kind === 'subject' && absorbed.has(m.subject)) continue;
    if (!unique.has(mentionKey(m))) unique.set(mentionKey(m), m);
  }
  return [...unique.values()];
}

// ---- resource names ---------------------------------------------------------------------------

export interface Candidate {
  given: string;
  /** Strong: an ARN, a URI, a quoted name, a name next to its noun, or a one-word answer. */
  strong: boolean;
  /** Subjects whose noun the name sits next to; empty when it stands alone. */
  nextTo: SubjectId[];
  message: number;
  token: number;
}

const NOUN_ENTRIES: readonly PhraseEntry<SubjectId>[] = SUBJECTS.flatMap((s) =>
  s.nouns.map((phrase) => ({ phrase, value: s.id })),
);

function isNameToken(token: Token | undefined): boolean {
  if (!token) return false;
  if (token.kind === 'quoted') return true;
  if (token.kind !== 'word') return false;
  return isIdentifierLike(token.text) || (!isKnownWord(token.lower) && /^[\p{L}\p{N}_./-]+$/u.test(token.text));
}

const isListJoint = (token: Token | undefined) =>
  token !== undefined && (token.kind === 'separator' || (token.kind === 'word' && (token.lower === 'and' || token.lower === 'or')));

export function candidatesIn(message: Message, scope: Scope): Candidate[] {
  const { tokens } = message;
  const eligible = (i: number) => inScope(message, i, scope) && !message.reserved.has(i);
  const found = new Map<number, Candidate>();
  const take = (i: number, strong: boolean, nextTo: SubjectId[]) => {
    const token = tokens[i];
    if (!token || !eligible(i)) return;
    const known = found.get(i);
    if (known) {
      known.strong ||= strong;
      known.nextTo = [...new Set([...known.nextTo, ...nextTo])];
    } else found.set(i, { given: token.text, strong, nextTo, message: message.index, token: i });
  };
  const isName = (i: number) => eligible(i) && isNameToken(tokens[i]);
  const skip = (i: number, step: 1 | -1, words: ReadonlySet<string>) => {
    while (tokens[i]?.kind === 'word' && words.has(tokens[i]?.lower ?? '') && !isName(i)) i += step;
    return i;
  };

  for (const hit of matchPhrases(tokens, NOUN_ENTRIES, new Set(), eligible)) {
    // Before the noun: "the billing-reports and audit-logs S3 buckets".
    let i = skip(hit.from - 1, -1, NOUN_MODIFIERS);
    while (isName(i)) {
      take(i, true, hit.values);
      if (!isListJoint(tokens[i - 1])) break;
      i = skip(i - 2, -1, NOUN_MODIFIERS);
    }
    // After it: "the bucket named billing-reports", "queues orders-dlq, payments-dlq".
    i = skip(hit.to, 1, NAME_INTRODUCERS);
    while (isName(i)) {
      take(i, true, hit.values);
      if (!isListJoint(tokens[i + 1])) break;
      i = i + 2;
    }
  }

  tokens.forEach((token, i) => {
    if (token.kind === 'arn' || token.kind === 's3-uri' || token.kind === 'quoted') take(i, true, []);
    else if (token.kind === 'word' && isIdentifierLike(token.text)) take(i, false, []);
  });

  // A later message that is just a name answers "Which bucket?".
  if (message.index > 0) {
    const rest = tokens
      .map((token, i) => ({ token, i }))
      .filter(({ token, i }) => eligible(i) && token.kind !== 'separator' && !(token.kind === 'word' && isKnownWord(token.lower)));
    const only = rest[0];
    if (rest.length === 1 && only && isName(only.i)) take(only.i, true, []);
  }
  return [...found.values()];
}

// ---- what to do -------------------------------------------------------------------------------

export interface IntentHit {
  intent: Intent;
  phrase: string;
}

export interface LevelHit {
  level: AccessLevel;
  phrase: string;
}

/** Tokens already used as a resource name: a table called "events" is not a trigger. */
export type UsedTokens = ReadonlySet<string>;
export const tokenKey = (message: number, token: number) => `${message}:${token}`;

function hitsAcross<T>(messages: readonly Message[], entries: readonly PhraseEntry<T>[], scope: Scope, used: UsedTokens) {
  return messages.flatMap((message) =>
    matchPhrases(
      message.tokens,
      entries,
      new Set(),
      (i) => inScope(message, i, scope) && !message.reserved.has(i) && !used.has(tokenKey(message.index, i)),
    ),
  );
}

export function intentHits(messages: readonly Message[], subject: SubjectId, scope: Scope, used: UsedTokens): IntentHit[] {
  const entries = intentsOf(subject).flatMap((intent) => intent.triggers.map((phrase) => ({ phrase, value: intent })));
  const hits = new Map<string, IntentHit>();
  for (const hit of hitsAcross(messages, entries, scope, used)) {
    for (const intent of hit.values) if (!hits.has(intent.id)) hits.set(intent.id, { intent, phrase: hit.phrase });
  }
  return [...hits.values()];
}

export function levelHits(messages: readonly Message[], scope: Scope, used: UsedTokens): LevelHit[] {
  const entries = LEVEL_WORDS.flatMap(([level, phrases]) => phrases.map((phrase) => ({ phrase, value: level })));
  const hits = new Map<AccessLevel, LevelHit>();
  for (const hit of hitsAcross(messages, entries, scope, used)) {
    for (const level of hit.values) if (!hits.has(level)) hits.set(level, { level, phrase: hit.phrase });
  }
  return [...hits.values()];
}

/** Whether any of `phrases` appears anywhere in the conversation (for an intent's optional actions). */
export function saysAnyOf(messages: readonly Message[], phrases: readonly string[], used: UsedTokens): string | undefined {
  const entries = phrases.map((phrase) => ({ phrase, value: phrase }));
  return hitsAcross(messages, entries, 'all', used)[0]?.phrase;
}
