import { matchPhrases, type PhraseEntry, type Token } from './tokens.js';

/** Where the reason starts: after "because …", or at "for debugging …" (kept, it is the reason). */
type MarkerKind = 'after' | 'including';

const MARKERS: readonly PhraseEntry<MarkerKind>[] = [
  ...['because', 'since', 'so that', 'so i can', 'so we can', 'so i could', 'in order to', 'reason', 'justification', 'why'].map(
    (phrase) => ({ phrase, value: 'after' as const }),
  ),
  ...[
    'for debugging',
    'for troubleshooting',
    'for investigating',
    'for an investigation',
    'for an incident',
    'for the incident',
    'for incident',
    'for on-call',
    'for oncall',
    'for testing',
    'for a migration',
    'for the migration',
    'as part of',
  ].map((phrase) => ({ phrase, value: 'including' as const })),
];

/**
 * Verbs that, after "to", start a reason ("… for 2 hours to debug the export"). A fixed list on
 * purpose: "access to orders" must not become a reason, and a verb the list lacks only means the
 * whole message is used as the justification.
 */
const REASON_VERBS = new Set([
  'analyse',
  'analyze',
  'answer',
  'audit',
  'backfill',
  'check',
  'clean',
  'compare',
  'complete',
  'confirm',
  'debug',
  'deploy',
  'diagnose',
  'dig',
  'estimate',
  'export',
  'figure',
  'find',
  'finish',
  'fix',
  'handle',
  'help',
  'import',
  'inspect',
  'investigate',
  'load',
  'look',
  'measure',
  'migrate',
  'monitor',
  'patch',
  'prepare',
  'recover',
  'release',
  'reprocess',
  'replay',
  'reproduce',
  'rerun',
  're-run',
  'resolve',
  'respond',
  'restore',
  'review',
  'see',
  'seed',
  'support',
  'test',
  'trace',
  'track',
  'troubleshoot',
  'unblock',
  'understand',
  'validate',
  'verify',
]);

export interface JustificationSpan {
  text: string;
  /** Token index range [from, to) the reason covers; the rest of the message is the request. */
  from: number;
  to: number;
}

function sentenceEnd(text: string, from: number): number {
  const rest = text.slice(from);
  const m = /[.!?](?=\s|$)|\n/.exec(rest);
  return m ? from + m.index : text.length;
}

/**
 * The reason given in one message, if any: the earliest marker wins and the reason runs to the end
 * of its sentence. `skip` are character ranges (durations) left out of the reason's text.
 */
export function findJustification(
  text: string,
  tokens: readonly Token[],
  skip: ReadonlyArray<{ start: number; end: number }> = [],
): JustificationSpan | undefined {
  const starts: Array<{ token: number; reasonFrom: number }> = [];
  for (const hit of matchPhrases(tokens, MARKERS)) {
    const kind = hit.values[0];
    starts.push({ token: hit.from, reasonFrom: kind === 'including' ? hit.from : hit.to });
  }
  tokens.forEach((token, i) => {
    const next = tokens[i + 1];
    if (token.kind === 'word' && token.lower === 'to' && next?.kind === 'word' && REASON_VERBS.has(next.lower)) {
      starts.push({ token: i, reasonFrom: i + 1 });
    }
  });
  const first = starts.sort((a, b) => a.token - b.token)[0];
  if (!first) return undefined;
  const reasonToken = tokens[first.reasonFrom];
  if (!reasonToken) return undefined;
  const end = sentenceEnd(text, reasonToken.start);
  let to = first.reasonFrom;
  while (to < tokens.length && (tokens[to]?.start ?? Infinity) < end) to++;

  let reason = '';
  let cursor = reasonToken.start;
  for (const range of [...skip].sort((a, b) => a.start - b.start)) {
    if (range.end <= cursor || range.start >= end) continue;
    reason += text.slice(cursor, Math.max(cursor, range.start));
    cursor = Math.max(cursor, range.end);
  }
  reason += text.slice(cursor, end);
  reason = reason.replace(/\s+/g, ' ').replace(/^[\s:,-]+|[\s,;:-]+$/g, '').trim();
  if (reason === '') return undefined;
  return { text: reason, from: first.token, to };
}
