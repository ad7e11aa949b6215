import { errorText } from '../access/audit.js';
import { pollExecution } from './poll.js';
import type { Scan } from './scan.js';
import { completeScan, failScan, recordProgress, retryStart, ScanChangedError, updateScan, type ScanDeps } from './workflow.js';

/**
 * How long a scan may sit in starting or ingesting untouched before it counts as abandoned (the
 * process handling it stopped). Running scans need no such limit: any process may watch them.
 */
const STALE_STARTING_MS = 10 * 60_000;
const STALE_INGESTING_MS = 30 * 60_000;

/**
 * Watches running scans: one polling loop per scan, in this process. What it watches is in the
 * ScanStore, so after a restart `resume()` picks the running scans up again; with several replicas
 * each may watch a scan, and the compare-and-set on the scan lets only one of them ingest it.
 */
export class ScanTracker {
  private readonly controller = new AbortController();
  private readonly loops = new Map<string, Promise<void>>();

  constructor(private readonly deps: ScanDeps) {}

  /** Starts watching a running scan (once, however often it is called). */
  track(scan: Scan): void {
    if (this.loops.has(scan.id) || this.controller.signal.aborted) return;
    const loop = this.watch(scan)
      .catch((error: unknown) => this.deps.logger.error('scan tracking failed', { scanId: scan.id, error: errorText(error) }))
      .finally(() => this.loops.delete(scan.id));
    this.loops.set(scan.id, loop);
  }

  /** For tests and shutdown: resolves when every loop has ended. */
  async idle(): Promise<void> {
    while (this.loops.size > 0) await Promise.allSettled([...this.loops.values()]);
  }

  /** Picks up the scans a previous process left (called at start). */
  async resume(): Promise<void> {
    for (const scan of await this.deps.scans.activeScans()) await this.adopt(scan);
  }

  /**
   * Makes sure an active scan is being looked after: a running one is watched (by this process too,
   * if another one also does: only one of them will ingest it); an abandoned start is started again;
   * an abandoned ingestion is read again from the execution's output (findings merge by key, so
   * reading twice does not count twice); an abandoned import is marked failed.
   */
  async adopt(scan: Scan): Promise<void> {
    const { deps } = this;
    const idle = deps.clock.now().getTime() - new Date(scan.updatedAt).getTime();
    try {
      if (scan.state === 'running' && scan.executionArn) {
        this.track(scan);
      } else if (scan.state === 'starting' && idle > STALE_STARTING_MS) {
        const started = await retryStart(deps, scan);
        if (started.state === 'running') this.track(started);
      } else if (scan.state === 'ingesting' && idle > STALE_INGESTING_MS) {
        if (scan.executionArn && deps.runner) this.track(await updateScan(deps, scan, { state: 'running' }));
        else await failScan(deps, scan, `Warden stopped while reading these results; import them again with \`/scan import\`.`);
      }
    } catch (error) {
      // Another process changed it first: it is looking after the scan.
      if (!(error instanceof ScanChangedError)) throw error;
    }
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.idle();
  }

  private async watch(initial: Scan): Promise<void> {
    const { deps } = this;
    if (!deps.runner || !initial.executionArn) return;
    let scan = initial;
    const result = await pollExecution(
      deps.runner,
      initial.executionArn,
      deps.config.poll,
      { ...deps.poll, clock: deps.clock, onError: (error, attempt) => deps.logger.error('scan status check failed', { scanId: scan.id, attempt, error: errorText(error) }) },
      this.controller.signal,
      async (status) => {
        try {
          scan = await recordProgress(deps, scan, status.tools);
        } catch (error) {
          if (!(error instanceof ScanChangedError)) throw error;
          // Another replica wrote first: carry on from what it stored.
          scan = (await deps.scans.getScan(scan.id)) ?? scan;
        }
      },
    );
    const latest = (await deps.scans.getScan(scan.id)) ?? scan;
    if (latest.state !== 'running') return;
    switch (result.state) {
      case 'aborted':
        return;
      case 'timed_out':
        await failScan(deps, latest, `Warden stopped waiting after ${Math.round(deps.config.poll.timeoutMs / 60_000)} minutes; the execution may still be running: ${latest.executionArn}.`);
        return;
      case 'failed':
        await failScan(deps, latest, result.error ?? 'The scan failed.', { ...latest.toolStates, ...result.tools });
        return;
      case 'succeeded':
        if (result.output) await completeScan(deps, latest, result.output, result.tools);
        else await failScan(deps, latest, 'The scan finished without saying where its results are.');
        return;
      case 'running':
        return;
    }
  }
}
