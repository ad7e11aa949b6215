import type { Card } from './model.js';

/**
 * Scan messages carry buttons the shared card model's ActionId does not list yet (model.ts belongs
 * to the access flow). Until it does, a scan message is a platform-neutral card plus its buttons,
 * and each chat adapter renders the buttons after the card.
 */
export type ScanActionId = 'scan.details' | 'scan.fix_access';

export interface ScanButton {
  id: ScanActionId;
  label: string;
  /** Ids only (scan, page, practice); handlers re-check the clicking user and load the rest. */
  value: string;
  style?: 'primary';
}

export interface ScanMessage {
  card: Card;
  buttons: ScanButton[];
}

export interface DetailsButtonValue {
  scanId: string;
  page: number;
}

export function detailsValue(value: DetailsButtonValue): string {
  return `${value.scanId}:${value.page}`;
}

/** Parses a Details button's value; undefined when it is not one of ours. */
export function parseDetailsValue(value: string): DetailsButtonValue | undefined {
  const match = /^([a-z0-9-]+):(\d{1,4})$/.exec(value);
  return match ? { scanId: match[1]!, page: Number(match[2]) } : undefined;
}

export function fixAccessValue(scanId: string, practiceId: string): string {
  return `${scanId}|${practiceId}`;
}

export function parseFixAccessValue(value: string): { scanId: string; practiceId: string } | undefined {
  const match = /^([a-z0-9-]+)\|([A-Za-z0-9_-]{1,80})$/.exec(value);
  return match ? { scanId: match[1]!, practiceId: match[2]! } : undefined;
}
