import { randomUUID } from 'node:crypto';
import { createTask, type Logger as CronLogger, type ScheduledTask } from 'node-cron';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';

/** One scheduled digest: its name (used in the lease), its cron expression, and the work of one tick. */
export interface DigestJob {
  name: string;
  /** A cron expression already validated by parseDigestEnv. */
  cron: string;
  run(now: Date): Promise<unknown>;
}

export interface TickResult {
  /** False when another replica (or an earlier run of this process) already took this period. */
  ran: boolean;
  lease: string;
  result?: unknown;
}

/** How long a period's lease is held: far longer than any tick, so a restart cannot take the same period again. */
const LEASE_HOURS = 24;

/** The period a tick belongs to: the minute it was scheduled for, the same on every replica. */
export function periodKey(at: Date): string {
  const minute = new Date(Math.floor(at.getTime() / 60_000) * 60_000);
  return minute.toISOString().replace(/:00\.000Z$/, 'Z');
}

export function digestLease(job: string, at: Date): string {
  return `digest.${job}.${periodKey(at)}`;
}

/**
 * Runs the digest jobs on their cron schedules (node-cron, in the configured time zone). Every tick
 * first takes a Store lease named after the job and the period (`digest.pending.2026-11-23T09:00Z`),
 * with an owner no other tick shares: with many replicas exactly one runs it, and a process restarted
 * within the period finds it taken. State is only in the Store.
 */
export class DigestScheduler {
  private readonly tasks: ScheduledTask[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly options: {
      store: Store;
      clock: Clock;
      /** This replica, for the lease owner (each tick adds its own unique suffix). */
      owner: string;
      timezone: string;
      jobs: DigestJob[];
      onError?: (job: string, error: unknown) => void;
      onRan?: (job: string, result: unknown) => void;
      /** Where node-cron's own messages (e.g. a missed tick) go, instead of its coloured console lines. */
      logger?: Logger;
    },
  ) {}

  get jobNames(): string[] {
    return this.options.jobs.map((j) => j.name);
  }

  /** Starts one cron task per job. Ticks never keep the process alive on their own. */
  start(): void {
    for (const job of this.options.jobs) {
      const task = createTask(
        job.cron,
        (context) => {
          const running = this.tick(job.name, context.date).catch((error: unknown) => this.options.onError?.(job.name, error));
          this.inFlight.add(running);
          void running.finally(() => this.inFlight.delete(running));
        },
        {
          timezone: this.options.timezone,
          name: `warden-digest-${job.name}`,
          noOverlap: true,
          unref: true,
          ...(this.options.logger ? { logger: cronLogger(this.options.logger, job.name) } : {}),
        },
      );
      this.tasks.push(task);
      void task.start();
    }
  }

  /**
   * One tick of a job for the period `scheduledFor` falls in (the cron's scheduled time; default the
   * clock's now): takes the period's lease, then runs the job with the clock's now.
   */
  async tick(jobName: string, scheduledFor?: Date): Promise<TickResult> {
    const job = this.options.jobs.find((j) => j.name === jobName);
    if (!job) throw new Error(`No digest job ${jobName} (configured: ${this.jobNames.join(', ') || 'none'}).`);
    const now = this.options.clock.now();
    const lease = digestLease(job.name, scheduledFor ?? now);
    const until = new Date(now.getTime() + LEASE_HOURS * 60 * 60_000).toISOString();
    const owner = `${this.options.owner}#${randomUUID()}`;
    if (!(await this.options.store.acquireLease(lease, owner, now.toISOString(), until))) return { ran: false, lease };
    const result = await job.run(now);
    this.options.onRan?.(job.name, result);
    return { ran: true, lease, result };
  }

  /** Stops the cron tasks and waits for ticks already running. */
  async stop(): Promise<void> {
    for (const task of this.tasks.splice(0)) await task.destroy();
    await Promise.allSettled([...this.inFlight]);
  }
}

/** node-cron's logger interface over ours (JSON lines); its debug chatter is dropped. */
function cronLogger(logger: Logger, job: string): CronLogger {
  const text = (message: string | Error) => (message instanceof Error ? message.message : message);
  return {
    info: (message) => logger.info('digest scheduler', { job, message }),
    warn: (message) => logger.info('digest scheduler warning', { job, message }),
    error: (message, err) => logger.error('digest scheduler error', { job, message: text(message), ...(err ? { error: err.message } : {}) }),
    debug: () => {},
  };
}
