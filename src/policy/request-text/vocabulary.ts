import { INTENTS, LEVEL_WORDS } from '../intents.js';
import { ALIAS_EXCEPTIONS, SUBJECTS } from '../subjects.js';
import { tokenize } from './tokens.js';

/** Words that are never a resource name, even next to "bucket" or alone in an answer. */
const STOPWORDS = `
i me my mine we our ours us you your it its they them their this that these those the a an some any all every
each both same whole entire other another s t d ll re ve m
to in on at of for from with by into onto over under about within without across between via per up out off as than
and or but nor so if then else also too just only please pls thanks thank hi hello hey ok okay yes no not
is are was were be been being am do does did have has had can could would should will shall may might must
need needs needed want wants wanted like give gives grant granted request requesting access permission permissions
rights role account accounts aws amazon named called name new old main prod production staging stage dev development
test qa shared specific following there here now today tomorrow hour hours minute minutes day days time while until
till before after during few couple bit little asap urgent urgently quickly right away what which who whom whose why
how where when id arn arns uri resource resources thing things stuff data item items file files again actually sorry
one ones first second former latter either neither
`
  .split(/\s+/)
  .filter((w) => w !== '');

/** Hyphenated words that look like identifiers but are ordinary English. */
const NOT_IDENTIFIERS = new Set([
  'read-only',
  'read-write',
  'read/write',
  'write-only',
  'e-mail',
  'e.g',
  'i.e',
  'etc',
  'on-call',
  'oncall',
  'end-of-day',
  'follow-up',
  'real-time',
  'long-term',
  'short-term',
  'least-privilege',
  'self-service',
  're-run',
  'co-worker',
  'post-mortem',
  'and/or',
  'start-session',
  'dead-letter',
  'time-sensitive',
]);

function words(phrases: readonly string[]): string[] {
  return phrases.flatMap((p) => tokenize(p.toLowerCase()).map((t) => t.lower));
}

/** Every word the drafter gives a meaning to, plus the stopwords. */
export const KNOWN_WORDS: ReadonlySet<string> = new Set([
  ...STOPWORDS,
  ...words(SUBJECTS.flatMap((s) => [...s.aliases, ...s.nouns])),
  ...words(INTENTS.flatMap((i) => [...i.triggers, ...i.actions.flatMap((a) => a.onlyWhen ?? [])])),
  ...words(LEVEL_WORDS.flatMap(([, phrases]) => phrases)),
  ...words(ALIAS_EXCEPTIONS),
]);

/** Words skipped between a resource name and its noun: "the billing-reports S3 bucket". */
export const NOUN_MODIFIERS: ReadonlySet<string> = new Set([
  'the',
  'a',
  'an',
  'my',
  'our',
  'your',
  'their',
  'this',
  'that',
  'prod',
  'production',
  'staging',
  'dev',
  'test',
  'shared',
  'main',
  'aws',
  'amazon',
  ...words(SUBJECTS.flatMap((s) => s.aliases.filter((a) => !a.includes(' ')))),
]);

/** Words between a noun and the name after it: "the bucket named billing-reports". */
export const NAME_INTRODUCERS: ReadonlySet<string> = new Set(['named', 'called', 'name', 'is', 'id', 'arn']);

export function isKnownWord(word: string): boolean {
  return KNOWN_WORDS.has(word);
}

/** Looks like a resource name rather than a word: has a separator or digit, or starts with "/". */
export function isIdentifierLike(text: string): boolean {
  const lower = text.toLowerCase();
  if (NOT_IDENTIFIERS.has(lower) || KNOWN_WORDS.has(lower)) return false;
  if (/^[#@]/.test(text) || /^https?:/i.test(text) || lower.includes('://')) return false;
  if (/^\d+(?:[.,:]\d+)*$/.test(text)) return false;
  return /[-_./:@+=]/.test(text) || (/\p{L}/u.test(text) && /\p{N}/u.test(text));
}
