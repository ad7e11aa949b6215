import { recordAudit } from '../access/audit.js';
import type { AccessDeps } from '../access/deps.js';
import type { ReconcileHook, RevokeRetryOptions } from '../access/expiry-scheduler.js';
import type { ChatTarget } from '../chat/notifier.js';
import type { Clock } from '../clock.js';
import type { IdGenerator } from '../ids.js';
import type { Store } from '../store/store.js';
import type { AwsConfig } from './config.js';
import { sdkClientFactory } from './iam/clients.js';
import { IamGranter } from './iam/iam-granter.js';
import { IamGrantInventory } from './reconcile/iam-inventory.js';
import { Reconciler } from './reconcile/reconciler.js';

export interface AwsGranting {
  granter: IamGranter;
  revokeRetry: Partial<RevokeRetryOptions>;
  reconcile: (deps: AccessDeps) => ReconcileHook;
}

/**
 * `WARDEN_GRANT_MODE=aws`: per-request IAM roles through the AWS SDK (default credential chain,
 * the SDK's own endpoint settings), every call in the audit log, failed revocations retried with
 * an admin alert, and reconciliation of the `warden-*` roles against the store.
 */
export function awsGranting(config: AwsConfig, ctx: { store: Store; clock: Clock; ids: IdGenerator }): AwsGranting {
  const clients = sdkClientFactory({ region: config.region });
  const granter = new IamGranter({
    settings: config.iam,
    clients,
    clock: ctx.clock,
    onCall: (requestId, call) => recordAudit(ctx, { requestId, actorId: 'warden', type: 'aws.call', detail: { mode: 'aws', ...call } }),
  });
  const alertTargets: ChatTarget[] = config.alerts.channel ? [{ kind: 'channel', channel: config.alerts.channel }] : [];
  return {
    granter,
    revokeRetry: { alertAfter: config.alerts.revokeAlertAfter, alertTargets },
    reconcile: (deps) => {
      const reconciler = new Reconciler(deps, new IamGrantInventory({ settings: config.iam, clients, granter }), { alertTargets });
      return { intervalMs: config.reconcileIntervalSeconds * 1000, run: () => reconciler.run() };
    },
  };
}
