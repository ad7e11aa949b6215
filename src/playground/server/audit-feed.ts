import type { Store } from '../../store/store.js';

/**
 * Notices new audit events. The Store port has no change feed, so this re-reads the log: soon after
 * the bot talked to Slack (a `poke`, since most events come with a Slack call), and on a slow timer
 * for what the expiry scheduler does on its own. Only while a page is listening.
 */
export class AuditFeed {
  private timer: NodeJS.Timeout | undefined;
  private pending: NodeJS.Timeout | undefined;
  private lastCount = -1;
  private lastId: string | undefined;
  private checking = false;

  constructor(
    private readonly store: Store,
    private readonly onChange: (count: number) => void,
    private readonly isWanted: () => boolean,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.check(), this.intervalMs);
    this.timer.unref();
  }

  /** Something happened; look shortly, once, however many pokes arrive meanwhile. */
  poke(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      void this.check();
    }, 50);
    this.pending.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    clearTimeout(this.pending);
    this.timer = undefined;
    this.pending = undefined;
  }

  private async check(): Promise<void> {
    if (this.checking || !this.timer || !this.isWanted()) return;
    this.checking = true;
    try {
      const events = await this.store.listAudit();
      const lastId = events.at(-1)?.id;
      if (events.length !== this.lastCount || lastId !== this.lastId) {
        this.lastCount = events.length;
        this.lastId = lastId;
        this.onChange(events.length);
      }
    } catch {
      // The store is closing (shutdown); the next start begins afresh.
    } finally {
      this.checking = false;
    }
  }
}
