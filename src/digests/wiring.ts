import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import type { DigestConfig } from './config.js';
import { sendExpiringSoon, sendPendingApprovals, sendWeeklyPosture, type DigestDeps, type DigestReport, type PostureDeps } from './jobs.js';
import { DigestScheduler, type DigestJob } from './scheduler.js';

/** The jobs the config turns on; the posture needs scans (without them it is left out). */
export function digestJobs(config: DigestConfig, deps: DigestDeps, posture: PostureDeps | undefined): DigestJob[] {
  const jobs: DigestJob[] = [];
  if (config.pending) jobs.push({ name: 'pending', cron: config.pending, run: (now) => sendPendingApprovals(deps, now) });
  if (config.expiring) {
    const withinMinutes = config.expiringWithinMinutes;
    jobs.push({ name: 'expiring', cron: config.expiring, run: (now) => sendExpiringSoon(deps, now, { withinMinutes }) });
  }
  if (config.posture && posture) jobs.push({ name: 'posture', cron: config.posture, run: (now) => sendWeeklyPosture(posture, now) });
  return jobs;
}

export function digestScheduler(
  config: DigestConfig,
  ports: { store: Store; clock: Clock; owner: string; deps: DigestDeps; posture: PostureDeps | undefined; logger?: Logger; onError?: (job: string, error: unknown) => void },
): DigestScheduler {
  return new DigestScheduler({
    store: ports.store,
    clock: ports.clock,
    owner: ports.owner,
    timezone: config.timezone,
    jobs: digestJobs(config, ports.deps, ports.posture),
    ...(ports.onError ? { onError: ports.onError } : {}),
    ...(ports.logger ? { logger: ports.logger } : {}),
    ...(ports.logger ? { onRan: (job: string, result: unknown) => ports.logger?.info('digest ran', { job, ...counts(result) }) } : {}),
  });
}

/** What a job's report says in numbers, for the log. */
function counts(result: unknown): Record<string, number> {
  const report = result as Partial<DigestReport> | undefined;
  return { sent: report?.sent?.length ?? 0, failed: report?.failed?.length ?? 0 };
}
