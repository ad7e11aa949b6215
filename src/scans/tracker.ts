import { errorText } from '../access/audit.js';
import { pollExecution, type PollResult } from './poll.js';
import type { Scan } from './scan.js';
import { completeScan, failScan, recordProgress, retryStart, ScanChangedError, updateScan, type ScanDeps } from './workflow.js';

/**
 * How long a scan may sit in starting or ingesting untouched before it counts as abandoned (the
 * process handling it stopped). Running scans need no such limit: any process may watch them.
 */
const STALE_STARTING_MS = 10 * 60_000;
const STALE_INGESTING_MS = 30 * 60_000;

/**
 * With completion events on, polling is only the fallback (a lost event, a queue not yet routed):
 * its waits are this many times longer, while it still shows each tool's progress.
 */
export const FALLBACK_POLL_FACTOR = 4;

/** What a completion event led to, for the log line of the consumer. */
export type FinishOutcome =
  | { kind: 'finished'; scanId: string; state: Scan['state'] }
  | { kind: 'already-finished'; scanId: string; state: Scan['state'] }
  | { kind: 'still-running'; scanId: string }
  | { kind: 'unknown-execution' };

/**
 * Watches running scans: one polling loop per scan, in this process. What it watches is in the
 * ScanStore, so after a restart `resume()` picks the running scans up again; with several replicas
 * each may watch a scan, and the compare-and-set on the scan lets only one of them ingest it.
 */
export class ScanTracker {
  private readonly controller = new AbortController();
  private readonly loops = new Map<string, { done: Promise<void>; stop: AbortController }>();
  private eventsOn = false;

  constructor(private readonly deps: ScanDeps) {}

  /**
   * Completion events will finish scans (see `finishFromEvent`): polling becomes the fallback, with
   * longer waits, for the loops started from now on.
   */
  useCompletionEvents(): void {
    this.eventsOn = true;
  }

  /** Starts watching a running scan (once, however often it is called). */
  track(scan: Scan): void {
    if (this.loops.has(scan.id) || this.controller.signal.aborted) return;
    const stop = new AbortController();
    const done = this.watch(scan, AbortSignal.any([this.controller.signal, stop.signal]))
      .catch((error: unknown) => this.deps.logger.error('scan tracking failed', { scanId: scan.id, error: errorText(error) }))
      .finally(() => this.loops.delete(scan.id));
    this.loops.set(scan.id, { done, stop });
  }

  /**
   * An execution ended, as its completion event says: finishes its scan now, reading the execution's
   * status and output as polling would (the event is only a hint, so DescribeExecution decides).
   * Idempotent by the scan's state: a scan already finished, or finished meanwhile by a poll or
   * another replica (compare-and-set), is left alone, so a duplicate event posts nothing.
   */
  async finishFromEvent(executionArn: string): Promise<FinishOutcome> {
    const { deps } = this;
    // The execution is named by the scan id (SfnScanRunner.start).
    const scanId = executionArn.slice(executionArn.lastIndexOf(':') + 1);
    const scan = scanId ? await deps.scans.getScan(scanId) : undefined;
    if (!scan || scan.executionArn !== executionArn || !deps.runner) return { kind: 'unknown-execution' };
    if (scan.state !== 'running') return { kind: 'already-finished', scanId, state: scan.state };
    const status = await deps.runner.status(executionArn);
    if (status.state === 'running') return { kind: 'still-running', scanId };
    const finished = await this.finish(scan, status);
    // Its poll loop has nothing left to do; had finishing thrown, that loop would go on as the fallback.
    if (finished) this.loops.get(scanId)?.stop.abort();
    return finished ? { kind: 'finished', scanId, state: finished.state } : { kind: 'already-finished', scanId, state: ((await deps.scans.getScan(scanId)) ?? scan).state };
  }

  /** For tests and shutdown: resolves when every loop has ended. */
  async idle(): Promise<void> {
    while (this.loops.size > 0) await Promise.allSettled([...this.loops.values()].map((loop) => loop.done));
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

  private async watch(initial: Scan, signal: AbortSignal): Promise<void> {
    const { deps } = this;
    if (!deps.runner || !initial.executionArn) return;
    let scan = initial;
    const poll = this.eventsOn
      ? { ...deps.config.poll, initialMs: deps.config.poll.initialMs * FALLBACK_POLL_FACTOR, maxMs: deps.config.poll.maxMs * FALLBACK_POLL_FACTOR }
      : deps.config.poll;
    const result = await pollExecution(
      deps.runner,
      initial.executionArn,
      poll,
      { ...deps.poll, clock: deps.clock, onError: (error, attempt) => deps.logger.error('scan status check failed', { scanId: scan.id, attempt, error: errorText(error) }) },
      signal,
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
    await this.finish(scan, result);
  }

  /**
   * Ends a running scan the way its execution ended. Returns the scan as this call left it, or
   * undefined when it was no longer running (someone else finished it: nothing is posted twice).
   */
  private async finish(scan: Scan, result: PollResult): Promise<Scan | undefined> {
    const { deps } = this;
    const latest = (await deps.scans.getScan(scan.id)) ?? scan;
    if (latest.state !== 'running') return undefined;
    try {
      switch (result.state) {
        case 'aborted':
        case 'running':
          return undefined;
        case 'timed_out':
          return await failScan(deps, latest, `Warden stopped waiting after ${Math.round(deps.config.poll.timeoutMs / 60_000)} minutes; the execution may still be running: ${latest.executionArn}.`);
        case 'failed':
          return await failScan(deps, latest, result.error ?? 'The scan failed.', { ...latest.toolStates, ...result.tools });
        case 'succeeded':
          if (result.output) return await completeScan(deps, latest, result.output, result.tools);
          return await failScan(deps, latest, 'The scan finished without saying where its results are.');
      }
    } catch (error) {
      if (error instanceof ScanChangedError) return undefined;
      throw error;
    }
  }
}
