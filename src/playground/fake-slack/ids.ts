import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../../clock.js';

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function randomUpper(length: number): string {
  let out = '';
  for (const b of randomBytes(length)) out += UPPER_ALNUM[b % UPPER_ALNUM.length];
  return out;
}

/**
 * Slack message timestamps: "<seconds>.<6 digits>", unique per channel and increasing. Derived
 * from the clock, but bumped by one microsecond when the clock has not moved (a frozen test clock,
 * or two posts in the same microsecond), so ordering by ts is always posting order.
 */
export class TsGenerator {
  private lastMicros = 0;

  constructor(private readonly clock: Clock) {}

  next(): string {
    const micros = Math.max(this.clock.now().getTime() * 1000, this.lastMicros + 1);
    this.lastMicros = micros;
    const seconds = Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }
}

/** Compares two Slack ts strings numerically (string order breaks across digit counts). */
export function compareTs(a: string, b: string): number {
  const [as = '0', af = '0'] = a.split('.');
  const [bs = '0', bf = '0'] = b.split('.');
  return Number(as) - Number(bs) || Number(af.padEnd(6, '0')) - Number(bf.padEnd(6, '0'));
}

export const newViewId = (): string => `V${randomUpper(10)}`;
export const newViewHash = (): string => `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`;
export const newEventId = (): string => `Ev${randomUpper(10)}`;
export const newResponseUrlId = (): string => randomBytes(12).toString('hex');
export const newClientMsgId = (): string => randomUUID();

/** Shaped like Slack's ("13345224609.738474920.8088930838d88f008e0"), so parsers that peek at it cope. */
export function newTriggerId(): string {
  const digits = (n: number): string => Array.from(randomBytes(n), (b) => String(b % 10)).join('');
  return `${digits(11)}.${digits(9)}.${randomBytes(10).toString('hex')}`;
}

/** A stable IM channel per user, readable in test output: U123 → DU123. */
export const dmChannelIdOf = (userId: string): string => `D${userId}`;

/** A stable multi-person DM id for a set of users, independent of their order. */
export function mpimChannelIdOf(userIds: readonly string[]): string {
  const digest = createHash('sha256').update([...userIds].sort().join(',')).digest('hex');
  return `G${digest.slice(0, 10).toUpperCase()}`;
}
