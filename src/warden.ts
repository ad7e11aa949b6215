import { errorText, recordAudit } from './access/audit.js';
import type { ActionChecker } from './access/checks.js';
import type { AccessDeps } from './access/deps.js';
import { Directory } from './access/directory.js';
import type { Drafter } from './access/drafter.js';
import { ExpiryScheduler } from './access/expiry-scheduler.js';
import type { Granter } from './access/granter.js';
import { DryRunGranter } from './aws/dry-run-granter.js';
import type { HelpAnswerer, Logger } from './chat/slack/context.js';
import { createSlackApp, type SlackAppOptions, type SlackRuntime } from './chat/slack/slack-app.js';
import { systemClock, type Clock } from './clock.js';
import type { AccessRules, Org } from './config/schemas.js';
import { randomIds, type IdGenerator } from './ids.js';
import type { Store } from './store/store.js';

export interface WardenOptions {
  org: Org;
  rules: AccessRules;
  store: Store;
  drafter: Drafter;
  actionChecker: ActionChecker;
  slack: Omit<SlackAppOptions, 'logger'>;
  logger: Logger;
  clock?: Clock;
  ids?: IdGenerator;
  /** Defaults to the dry-run granter, which records its AWS calls in the audit log. */
  granter?: Granter;
  /** Answers `/access help <question>`; without it the command reference is shown. */
  help?: HelpAnswerer;
  scheduler: { intervalMs: number; owner: string };
}

export interface Warden {
  deps: AccessDeps;
  slack: SlackRuntime;
  scheduler: ExpiryScheduler;
  /** The port Bolt's HTTP receiver listens on (HTTP mode only). */
  slackPort: number | undefined;
  stop(): Promise<void>;
}

/**
 * Wires the adapters to the workflows and starts listening. The first scheduler pass runs before
 * this returns, so grants that expired while Warden was down are revoked at start.
 */
export async function startWarden(options: WardenOptions): Promise<Warden> {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  const directory = new Directory(options.org);
  const slack = createSlackApp({ ...options.slack, logger: options.logger }, directory);
  const granter =
    options.granter ??
    new DryRunGranter((requestId, call) =>
      recordAudit({ store: options.store, clock, ids }, { requestId, actorId: 'warden', type: 'aws.call', detail: { mode: 'dry-run', ...call } }),
    );
  const deps: AccessDeps = {
    store: options.store,
    clock,
    ids,
    directory,
    rules: options.rules,
    drafter: options.drafter,
    granter,
    notifier: slack.notifier,
    actionChecker: options.actionChecker,
  };
  slack.register(deps, options.help ? { help: options.help } : {});
  const scheduler = new ExpiryScheduler(deps, {
    ...options.scheduler,
    onError: (error) => options.logger.error('scheduler tick failed', { error: errorText(error) }),
  });
  const { port: slackPort } = await slack.start();
  await scheduler.start();
  return {
    deps,
    slack,
    scheduler,
    slackPort,
    async stop() {
      await scheduler.stop();
      await slack.stop();
    },
  };
}
