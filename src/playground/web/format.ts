/** Display helpers shared by the page's panels. */

const AVATAR_COLOURS = 8;

/** "1700000000.000100" → "14:13", in the page's time zone. */
export function timeOfTs(ts: string): string {
  return timeOf(new Date(Number(ts.split('.')[0]) * 1000));
}

export function timeOf(date: Date): string {
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function secondsOf(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** "Ana Lima" → "AL". */
export function initials(name: string): string {
  const words = name.split(/\s+/).filter(Boolean);
  return ((words[0]?.[0] ?? '?') + (words.length > 1 ? (words.at(-1)?.[0] ?? '') : '')).toUpperCase();
}

/** A stable colour class per person, so an avatar keeps its colour across renders. */
export function avatarColour(id: string): string {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `avatar--c${hash % AVATAR_COLOURS}`;
}

/** Orders Slack ts strings numerically ("9.5" before "10.1"), as Slack orders messages. */
export function compareTs(a: string, b: string): number {
  const [as = '0', af = '0'] = a.split('.');
  const [bs = '0', bf = '0'] = b.split('.');
  return Number(as) - Number(bs) || Number(af.padEnd(6, '0')) - Number(bf.padEnd(6, '0'));
}
