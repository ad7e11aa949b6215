import { errorText } from '../../access/audit.js';
import type { Logger } from '../slack/context.js';

/**
 * Work started after Teams got its HTTP answer (the bot acknowledges first, like on Slack). Kept
 * here so stop() can wait for it instead of cutting a grant in half, and tests can wait for quiet.
 */
export class BackgroundWork {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  run(what: string, work: () => Promise<void>): void {
    const task = work()
      .catch((error: unknown) => this.logger.error('teams background work failed', { what, error: errorText(error) }))
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  /** Resolves when nothing is running, including work that running work started. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
