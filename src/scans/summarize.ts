import type { Tool } from './finding.js';
import type { Scan, ScanSummary } from './scan.js';
import type { ScanStore } from './store.js';
import type { WafrCatalog } from './wafr/catalog.js';

export const TOP_PRACTICES = 5;

/**
 * The summary of a scan whose findings are stored: counts, pillar scores and top best practices from
 * the store, and the delta against the newest earlier successful scan of the same account.
 */
export async function summarizeScan(
  deps: { scans: ScanStore; catalog: WafrCatalog },
  scan: Scan,
  ranTools: readonly Tool[],
  problems: ScanSummary['problems'],
): Promise<ScanSummary> {
  const counts = await deps.scans.countFindings(scan.id, TOP_PRACTICES, (id) => deps.catalog.pillarOf(id));
  const previous = await deps.scans.latestSucceeded(scan.accountId, scan.id);
  const delta = previous
    ? { previousScanId: previous.id, previousAt: previous.finishedAt ?? previous.createdAt, ...(await deps.scans.delta(scan.id, previous.id, ranTools)) }
    : null;
  return { ...counts, delta, problems };
}
