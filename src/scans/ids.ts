import { randomBytes } from 'node:crypto';

// The same alphabet as request ids (src/ids.ts): no look-alikes, so ids read aloud survive.
const ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz';

export interface ScanIdGenerator {
  /** A short id people can type (`/scan last`), also the Step Functions execution name. */
  scanId(): string;
}

export const randomScanIds: ScanIdGenerator = {
  scanId: () => `s-${[...randomBytes(10)].map((b) => ALPHABET[b % ALPHABET.length]).join('')}`,
};
