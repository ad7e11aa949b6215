/** Durations people write in chat: "for 2 hours", "90m", "1h30", "half an hour", "an hour and a half". */

export interface DurationMention {
  minutes: number;
  /** As written, e.g. "for 2 hours". */
  text: string;
  start: number;
  end: number;
}

export interface DurationScan {
  mentions: DurationMention[];
  /** Times that depend on a clock or a calendar ("until end of day"): not a duration we can use. */
  vague: string[];
}

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  forty: 40,
  'forty-five': 45,
  sixty: 60,
  ninety: 90,
};

const WORD_NUMBER = Object.keys(NUMBER_WORDS)
  .sort((a, b) => b.length - a.length)
  .join('|');
const DIGITS = String.raw`\d+(?:\.\d+)?`;
const HOURS = String.raw`(?:hours?|hrs?|h)`;
const MINUTES = String.raw`(?:minutes?|mins?|m)`;
const LONG_UNIT = String.raw`(minutes?|mins?|hours?|hrs?|days?)`;
const ANY_UNIT = String.raw`(minutes?|mins?|m|hours?|hrs?|h|days?|d)`;
// Not inside a name like "logs-2h", and not a span of time being looked at ("the last 30 minutes").
const BEFORE = String.raw`(?<![\p{L}\p{N}_./-])(?<!\b(?:last|past|previous|every|each|after)\s+)`;
const AFTER = String.raw`(?![\p{L}\p{N}_/-])(?!\s+(?:ago|of\s+logs?)\b)`;
const FOR = String.raw`(?:for\s+(?:about\s+|around\s+|roughly\s+)?)?`;

function unitMinutes(unit: string): number {
  const u = unit.toLowerCase();
  if (u.startsWith('d')) return 24 * 60;
  if (u.startsWith('h')) return 60;
  return 1;
}

function numberValue(text: string): number {
  const word = NUMBER_WORDS[text.toLowerCase()];
  return word ?? Number(text);
}

interface Rule {
  pattern: RegExp;
  minutes: (m: RegExpExecArray) => number;
}

const rule = (source: string, minutes: (m: RegExpExecArray) => number): Rule => ({
  pattern: new RegExp(BEFORE + FOR + source + AFTER, 'giu'),
  minutes,
});

/** Most specific first: an earlier rule's match wins over any later one it overlaps. */
const RULES: readonly Rule[] = [
  rule(String.raw`(\d+)\s*${HOURS}\s*(?:and\s+)?(\d+)\s*${MINUTES}`, (m) => Number(m[1]) * 60 + Number(m[2])),
  rule(String.raw`(\d+)h(\d{1,2})`, (m) => Number(m[1]) * 60 + Number(m[2])),
  rule(String.raw`(an?|one|\d+)\s+hours?\s+and\s+a\s+half`, (m) => numberValue(m[1] ?? '') * 60 + 30),
  rule(String.raw`(an?|one|\d+)\s+and\s+a\s+half\s+hours?`, (m) => numberValue(m[1] ?? '') * 60 + 30),
  rule(String.raw`half\s+(?:an?\s+)?hour`, () => 30),
  rule(String.raw`(?:a\s+)?quarter\s+(?:of\s+)?(?:an?\s+)?hour`, () => 15),
  rule(String.raw`(${DIGITS})\s*-?\s*${ANY_UNIT}`, (m) => Number(m[1]) * unitMinutes(m[2] ?? 'm')),
  rule(String.raw`(${WORD_NUMBER})\s*-?\s*${LONG_UNIT}`, (m) => numberValue(m[1] ?? '') * unitMinutes(m[2] ?? 'm')),
];

const VAGUE =
  /\b(?:until|till|til|through)\s+(?:the\s+)?(?:end\s+of\s+(?:the\s+)?(?:day|shift|week)|eod|tonight|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|\b(?:eod|end\s+of\s+(?:the\s+)?day|all\s+day)\b/giu;

export function findDurations(text: string): DurationScan {
  const found: DurationMention[] = [];
  const overlaps = (start: number, end: number) => found.some((d) => start < d.end && d.start < end);
  for (const { pattern, minutes } of RULES) {
    for (const m of text.matchAll(pattern)) {
      const start = m.index;
      const end = start + m[0].length;
      if (overlaps(start, end)) continue;
      const value = Math.round(minutes(m as RegExpExecArray));
      if (Number.isFinite(value)) found.push({ minutes: value, text: m[0], start, end });
    }
  }
  return {
    mentions: found.sort((a, b) => a.start - b.start),
    vague: [...text.matchAll(VAGUE)].map((m) => m[0]),
  };
}

/** "2 hours", "90 minutes", "1 day" — for notes and questions. */
export function describeMinutes(minutes: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (minutes % (24 * 60) === 0) return plural(minutes / (24 * 60), 'day');
  if (minutes % 60 === 0) return plural(minutes / 60, 'hour');
  return plural(minutes, 'minute');
}
