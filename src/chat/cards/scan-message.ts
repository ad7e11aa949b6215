import type { ActionId, CardAction } from './model.js';

/**
 * Scan cards are ordinary cards (model.ts); their buttons are the scan.* actions, whose value holds
 * the ids a handler needs (scan, page, best practice) rather than a request id.
 */
export const SCAN_ACTION_IDS = ['scan.details', 'scan.fix_access'] as const satisfies readonly ActionId[];
export type ScanActionId = (typeof SCAN_ACTION_IDS)[number];

export function isScanAction(id: string): id is ScanActionId {
  return (SCAN_ACTION_IDS as readonly string[]).includes(id);
}

export type ScanAction = CardAction & { id: ScanActionId };

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

/**
 * A "Request fix access" button's value. `page` is the details page the button sits on (absent on
 * the summary), so Teams can answer the click with the same card it was clicked on.
 */
export function fixAccessValue(scanId: string, practiceId: string, page?: number): string {
  return page === undefined ? `${scanId}|${practiceId}` : `${scanId}|${practiceId}|${page}`;
}

export function parseFixAccessValue(value: string): { scanId: string; practiceId: string; page?: number } | undefined {
  const match = /^([a-z0-9-]+)\|([A-Za-z0-9_-]{1,80})(?:\|(\d{1,4}))?$/.exec(value);
  if (!match) return undefined;
  return { scanId: match[1]!, practiceId: match[2]!, ...(match[3] !== undefined ? { page: Number(match[3]) } : {}) };
}
