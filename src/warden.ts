import { errorText, recordAudit } from './access/audit.js';
import type { ActionChecker, PolicyGate } from './access/checks.js';
import type { AccessDeps } from './access/deps.js';
import { Directory } from './access/directory.js';
import type { Drafter } from './access/drafter.js';
import type { ResourceDiscovery } from './access/resource-discovery.js';
import { ExpiryScheduler, type ReconcileHook, type RevokeRetryOptions } from './access/expiry-scheduler.js';
import { GrantersByMode } from './access/granters-by-mode.js';
import type { Granter } from './access/granter.js';
import { DryRunGranter } from './aws/dry-run-granter.js';
import type { CommandRunner, InstanceNames } from './access/command-runner.js';
import { DryRunCommandRunner } from './aws/ssm/command-runners.js';
import { RoutingNotifier } from './chat/routing-notifier.js';
import { RoutingScanChat, sharedScans } from './chat/scan-wiring.js';
import { SlackScanChat } from './chat/slack/handlers/scan-slack-chat.js';
import type { HelpAnswerer, Logger } from './chat/slack/context.js';
import { createSlackApp, type SlackAppOptions, type SlackRuntime } from './chat/slack/slack-app.js';
import { createTeamsApp, type TeamsAppOptions, type TeamsRuntime } from './chat/teams/teams-app.js';
import { systemClock, type Clock } from './clock.js';
import type { AccessRules, Org } from './config/schemas.js';
import { randomIds, type IdGenerator } from './ids.js';
import type { PolicyConfigHolder } from './policy/policy-config-holder.js';
import type { ScanPorts } from './scans/ports.js';
import type { ScanEventSourceFactory } from './scans/events/scan-events.js';
import type { ScanTracker } from './scans/tracker.js';
import type { DigestConfig } from './digests/config.js';
import type { DigestScheduler } from './digests/scheduler.js';
import { digestScheduler } from './digests/wiring.js';
import type { Store } from './store/store.js';

export interface WardenOptions {
  org: Org;
  rules: AccessRules;
  store: Store;
  drafter: Drafter;
  actionChecker: ActionChecker;
  /** Guardrails, lint and SCP simulation before any approver is asked; without it only the catalog checks run. */
  policyGate?: PolicyGate;
  /** Slack through Bolt; absent in a Teams-only deployment (then `teams` is required). */
  slack?: Omit<SlackAppOptions, 'logger'>;
  /** Teams through botbuilder, beside Slack or alone; absent when Teams is not configured. */
  teams?: Omit<TeamsAppOptions, 'logger'>;
  logger: Logger;
  clock?: Clock;
  ids?: IdGenerator;
  /** Defaults to the dry-run granter, which records its AWS calls in the audit log. */
  granter?: Granter;
  /** Runs approved `/run` commands; defaults to a dry run that records the SSM calls in the audit log. */
  commandRunner?: CommandRunner;
  /** Resolves EC2 Name tags (AWS mode); without it only instance ids work. */
  instanceNames?: InstanceNames;
  /** Answers `/access help <question>`; without it the command reference is shown. */
  help?: HelpAnswerer;
  scheduler: {
    intervalMs: number;
    owner: string;
    revokeRetry?: Partial<RevokeRetryOptions>;
    /** Reconciliation with the cloud (needs the wired deps, hence a factory). */
    reconcile?: (deps: AccessDeps) => ReconcileHook;
  };
  /**
   * The guardrails and access rules in force, changeable by admins with `/warden`; when given, the
   * workflows read the rules through it (and `rules` above is only the start-up value).
   */
  policyConfig?: PolicyConfigHolder;
  /** Turns `/scan` on: the scan store, the Step Functions runner (or null), where results are read. */
  scans?: ScanPorts;
  /** Completion events that finish tracked scans at once (WARDEN_SCAN_EVENTS_QUEUE_URL); polling stays as the fallback. */
  scanEvents?: ScanEventSourceFactory;
  /** Answers the request form's resource picker (Slack, and Teams unless turned off below); without it the form has no picker. */
  resourceDiscovery?: ResourceDiscovery;
  /** False: no picker in Teams' form (the playground's Teams tab cannot answer its typeahead searches). Default true. */
  resourcePickerOnTeams?: boolean;
  /** Scheduled digests (pending approvals, expiring grants, weekly posture); absent: none are scheduled. */
  digests?: DigestConfig;
}

/** `S` is `SlackRuntime` when Slack options were given (the usual case), else possibly undefined. */
export interface Warden<S extends SlackRuntime | undefined = SlackRuntime> {
  deps: AccessDeps;
  /** Absent in a Teams-only deployment. */
  slack: S;
  teams: TeamsRuntime | undefined;
  scheduler: ExpiryScheduler;
  /** The port Bolt's HTTP receiver listens on (HTTP mode only). */
  slackPort: number | undefined;
  /** Where Teams posts activities (`http://host:port/api/messages`), when Teams is configured. */
  teamsUrl: string | undefined;
  /** Watches running scans (of Slack and Teams), when scans are on. */
  scanTracker: ScanTracker | undefined;
  /** The scheduled digests' cron tasks, when configured (tests call `tick` on it). */
  digests?: DigestScheduler | undefined;
  stop(): Promise<void>;
}

/**
 * Wires the adapters to the workflows and starts listening. The first scheduler pass runs before
 * this returns, so grants that expired while Warden was down are revoked at start.
 */
export function startWarden(options: WardenOptions & { slack: Omit<SlackAppOptions, 'logger'> }): Promise<Warden>;
export function startWarden(options: WardenOptions): Promise<Warden<SlackRuntime | undefined>>;
export async function startWarden(options: WardenOptions): Promise<Warden<SlackRuntime | undefined>> {
  if (!options.slack && !options.teams) throw new Error('Warden needs a chat platform: configure Slack, Teams, or both.');
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  const directory = new Directory(options.org);
  const slack = options.slack ? createSlackApp({ ...options.slack, logger: options.logger }, directory) : undefined;
  const teams = options.teams
    ? createTeamsApp({ ...options.teams, logger: options.logger, ...(options.help ? { help: options.help } : {}) }, { directory, store: options.store, clock })
    : undefined;
  // Threads and message refs go back to their own platform; a person is messaged where they can be reached.
  const notifier = new RoutingNotifier({
    ...(slack
      ? {
          slack: {
            notifier: slack.notifier,
            canReachUser: async (userId: string) => directory.user(userId)?.slackId !== undefined,
            // Slack resolves channel names itself, as it did before Teams existed.
            knowsChannel: async () => true,
          },
        }
      : {}),
    ...(teams ? { teams: teams.routed } : {}),
  });
  const dryRun = new DryRunGranter(
    (requestId, call) => recordAudit({ store: options.store, clock, ids }, { requestId, actorId: 'warden', type: 'aws.call', detail: { mode: 'dry-run', ...call } }),
    { clock },
  );
  const granter = options.granter ? new GrantersByMode(options.granter, [dryRun]) : dryRun;
  const held = options.policyConfig;
  // A replica restarted after an admin change must use the stored version from its first request.
  await held?.refresh();
  const deps: AccessDeps = {
    store: options.store,
    clock,
    ids,
    directory,
    // A getter, so every workflow sees the rules an admin applied last, without a restart.
    get rules() {
      return held ? held.current().rules : options.rules;
    },
    drafter: options.drafter,
    granter,
    notifier,
    actionChecker: options.actionChecker,
    ...(options.policyGate ? { policyGate: options.policyGate } : {}),
    commandRunner:
      options.commandRunner ??
      new DryRunCommandRunner((requestId, call) => recordAudit({ store: options.store, clock, ids }, { requestId, actorId: 'warden', type: 'aws.call', detail: { mode: 'dry-run', ...call } })),
    ...(options.instanceNames ? { instanceNames: options.instanceNames } : {}),
  };
  slack?.register(deps, {
    ...(options.help ? { help: options.help } : {}),
    ...(held ? { policyConfig: held } : {}),
    ...(options.resourceDiscovery ? { resources: options.resourceDiscovery } : {}),
  });
  teams?.register(deps, {
    ...(held ? { policyConfig: held } : {}),
    ...(options.resourceDiscovery && options.resourcePickerOnTeams !== false ? { resources: options.resourceDiscovery } : {}),
  });
  // `/scan` on Slack and `scan` on Teams share one set of scan ports and one tracker; each scan's
  // messages go back to the platform it was started from.
  const scanning = options.scans
    ? sharedScans(deps, options.scans, new RoutingScanChat({ slack: slack ? new SlackScanChat(slack.app.client) : undefined, teams: teams?.scanChat }), options.logger)
    : undefined;
  if (options.scans && scanning) {
    slack?.registerScans(deps, options.scans, scanning);
    teams?.registerScans(scanning);
  }
  const scanTracker = scanning?.tracker;
  const scanEvents = scanTracker && options.scanEvents ? options.scanEvents(scanTracker) : undefined;
  if (scanEvents) scanTracker?.useCompletionEvents();
  const { reconcile, revokeRetry, ...schedule } = options.scheduler;
  const scheduler = new ExpiryScheduler(deps, {
    ...schedule,
    ...(revokeRetry ? { revokeRetry } : {}),
    ...(reconcile ? { reconcile: reconcile(deps) } : {}),
    onError: (error) => options.logger.error('scheduler tick failed', { error: errorText(error) }),
  });
  const slackPort = slack ? (await slack.start()).port : undefined;
  const teamsUrl = teams ? (await teams.start()).url : undefined;
  await scheduler.start();
  // Digests: each tick takes a lease in the Store, so one replica sends each; posture only when scans are on.
  const digests = options.digests
    ? digestScheduler(options.digests, {
        store: options.store,
        clock,
        owner: options.scheduler.owner,
        deps,
        posture: scanning ? { scans: scanning.deps.scans, chat: scanning.deps.chat } : undefined,
        logger: options.logger,
        onError: (job, error) => options.logger.error('digest failed', { job, error: errorText(error) }),
      })
    : undefined;
  digests?.start();
  // Scans a previous process left: watch the running ones again, restart or fail the abandoned ones.
  await scanTracker?.resume();
  scanEvents?.start();
  return {
    deps,
    slack,
    teams,
    scheduler,
    slackPort,
    teamsUrl,
    scanTracker,
    digests,
    async stop() {
      await digests?.stop();
      await scanEvents?.stop();
      await scanTracker?.stop();
      await scheduler.stop();
      await slack?.stop();
      await teams?.stop();
    },
  };
}
