import { randomBytes } from 'node:crypto';

export interface IdGenerator {
  /** A short id people can type, e.g. in `/access status r-7k2m9x4q`. */
  requestId(): string;
  /** An opaque unique id for internal records. */
  eventId(): string;
}

// Crockford-like alphabet without look-alikes, so ids read aloud or retyped survive.
const ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz';

function randomString(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

export const randomIds: IdGenerator = {
  requestId: () => `r-${randomString(8)}`,
  eventId: () => `e-${randomString(16)}`,
};
