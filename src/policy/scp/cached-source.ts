/**
 * A TTL cache per account in front of a live SCP source. SCPs change rarely and every read is several
 * Organizations calls (rate-limited per organization), while approvals come in bursts; concurrent
 * requests for one account share one lookup. A failure is not cached: the next request tries again.
 */
import type { Clock } from '../../clock.js';
import type { AccountScps, ScpSource } from './source.js';

export interface CachedScpSourceOptions {
  clock: Clock;
  ttlSeconds: number;
}

export class CachedScpSource implements ScpSource {
  private readonly entries = new Map<string, { at: number; scps: AccountScps }>();
  private readonly inFlight = new Map<string, Promise<AccountScps>>();

  constructor(
    private readonly inner: ScpSource,
    private readonly options: CachedScpSourceOptions,
  ) {}

  get description(): string {
    return `${this.inner.description},cache=${this.options.ttlSeconds}s`;
  }

  forAccount(accountId: string): Promise<AccountScps> {
    const entry = this.entries.get(accountId);
    if (entry && this.options.clock.now().getTime() - entry.at < this.options.ttlSeconds * 1000) return Promise.resolve(entry.scps);
    const running = this.inFlight.get(accountId);
    if (running) return running;
    const lookup = (async () => {
      try {
        const scps = await this.inner.forAccount(accountId);
        this.entries.set(accountId, { at: this.options.clock.now().getTime(), scps });
        return scps;
      } finally {
        this.inFlight.delete(accountId);
      }
    })();
    this.inFlight.set(accountId, lookup);
    return lookup;
  }
}
