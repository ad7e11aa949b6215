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
import type { CommandRunner, InstanceNames } from '../access/command-runner.js';
import { Ec2InstanceNames, sdkInstanceNameClients } from './ec2/instance-names.js';
import { awsCommandRunner } from './ssm/command-runners.js';
import type { PolicyGate } from '../access/checks.js';
import type { Granter } from '../access/granter.js';
import { GrantersByMode, grantModeOf } from '../access/granters-by-mode.js';
import type { Account, User } from '../config/schemas.js';
import { sdkIdentityCenterClients } from './identity-center/clients.js';
import { IdentityCenterGranter, type SharedAssignment } from './identity-center/identity-center-granter.js';
import { IdentityStoreDirectory } from './identity-center/identity-store-directory.js';
import { IDENTITY_CENTER_MODE } from './identity-center/plan.js';
import { IdentityCenterRequesterGate } from './identity-center/requester-gate.js';
import { IdentityCenterRequesters } from './identity-center/requesters.js';
import { IdentityCenterGrantInventory } from './reconcile/identity-center-inventory.js';
import { DEFAULT_RETRY_POLICY, realRuntime } from './retry.js';

export interface AwsGranting {
  granter: IamGranter;
  /** Runs approved `/run` commands with SSM Run Command through each account's grant role. */
  commandRunner: CommandRunner;
  /** Resolves EC2 Name tags for `/access ssh` and `/run`, through the same role. */
  instanceNames: InstanceNames;
  revokeRetry: Partial<RevokeRetryOptions>;
  reconcile: (deps: AccessDeps) => ReconcileHook;
  /** What grants: `granter`, or Identity Center for the accounts the org file sends there. */
  accessGranter: Granter;
  /** Set when WARDEN_SSO_* configure an Identity Center instance. */
  identityCenter: IdentityCenterWiring | null;
}

export interface IdentityCenterWiring {
  granter: IdentityCenterGranter;
  /** Chat users → Identity Center users; each chat platform adds its verified e-mails, then `start()`. */
  requesters: IdentityCenterRequesters;
  /** Wraps the request gate: a requester with no Identity Center user is refused at submit. */
  gate(inner: PolicyGate | undefined): PolicyGate;
}

/** True when some other grant, active and not yet expired, rests on the same assignment. */
async function assignmentStillNeeded(store: Store, clock: Clock, assignment: SharedAssignment, requestId: string): Promise<boolean> {
  const now = clock.now().getTime();
  const active = await store.listRequestsInStates(['active']);
  return active.some((r) => {
    const grant = r.grant;
    if (r.id === requestId || !grant || grantModeOf(grant) !== IDENTITY_CENTER_MODE || grant.handle['shared'] !== 'true') return false;
    if (Date.parse(grant.expiresAt) <= now) return false; // ending now too: it must not keep the assignment alive
    const h = grant.handle;
    return h['accountId'] === assignment.accountId && h['permissionSetArn'] === assignment.permissionSetArn && h['principalId'] === assignment.principalId;
  });
}

function identityCenterWiring(config: AwsConfig, ctx: { store: Store; clock: Clock; ids: IdGenerator; users?: () => readonly User[]; onError?: (what: string, error: unknown) => void }): IdentityCenterWiring | null {
  const ic = config.identityCenter;
  if (!ic) return null;
  const clients = sdkIdentityCenterClients({ region: ic.region });
  const retry = { policy: DEFAULT_RETRY_POLICY, runtime: realRuntime };
  const requesters = new IdentityCenterRequesters({
    identityStore: new IdentityStoreDirectory({ identityStoreId: ic.settings.identityStoreId, clients, clock: ctx.clock, retry }),
    users: ctx.users ?? (() => []),
    clock: ctx.clock,
    refreshIntervalMs: ic.directoryRefreshSeconds * 1000,
    onError: (error) => ctx.onError?.('Identity Center directory refresh failed; the previous one stays in use', error),
  });
  const granter = new IdentityCenterGranter({
    settings: ic.settings,
    clients,
    principals: requesters,
    clock: ctx.clock,
    onCall: (requestId, call) => recordAudit(ctx, { requestId, actorId: 'warden', type: 'aws.call', detail: { mode: IDENTITY_CENTER_MODE, ...call } }),
    sharedAssignmentStillNeeded: (assignment, requestId) => assignmentStillNeeded(ctx.store, ctx.clock, assignment, requestId),
    ...(ic.startUrl ? { access: { startUrl: ic.startUrl, region: ic.region } } : {}),
  });
  return { granter, requesters, gate: (inner) => new IdentityCenterRequesterGate(inner, requesters) };
}

/**
 * `WARDEN_GRANT_MODE=aws`: per-request IAM roles through the AWS SDK (default credential chain,
 * the SDK's own endpoint settings), every call in the audit log, failed revocations retried with
 * an admin alert, and reconciliation of the `warden-*` roles against the store.
 */
export function awsGranting(
  config: AwsConfig,
  ctx: { store: Store; clock: Clock; ids: IdGenerator; users?: () => readonly User[]; onError?: (what: string, error: unknown) => void },
): AwsGranting {
  const clients = sdkClientFactory({ region: config.region });
  const granter = new IamGranter({
    settings: config.iam,
    clients,
    clock: ctx.clock,
    onCall: (requestId, call) => recordAudit(ctx, { requestId, actorId: 'warden', type: 'aws.call', detail: { mode: 'aws', ...call } }),
  });
  const alertTargets: ChatTarget[] = config.alerts.channel ? [{ kind: 'channel', channel: config.alerts.channel }] : [];
  const identityCenter = identityCenterWiring(config, ctx);
  const viaIdentityCenter = (account: Account) => (identityCenter && account.grant?.via === 'identity-center' ? identityCenter.granter : undefined);
  return {
    granter,
    commandRunner: awsCommandRunner({
      settings: config.iam,
      sts: () => clients.sts(),
      onCall: (requestId, call) => recordAudit(ctx, { requestId, actorId: 'warden', type: 'aws.call', detail: { mode: 'aws', ...call } }),
    }),
    instanceNames: new Ec2InstanceNames({ settings: config.iam, clients: sdkInstanceNameClients(() => clients.sts()) }),
    identityCenter,
    accessGranter: identityCenter ? new GrantersByMode(granter, [identityCenter.granter], { route: viaIdentityCenter }) : granter,
    revokeRetry: { alertAfter: config.alerts.revokeAlertAfter, alertTargets },
    reconcile: (deps) => {
      const reconciler = new Reconciler(deps, new IamGrantInventory({ settings: config.iam, clients, granter }), { alertTargets });
      const ic = identityCenter && config.identityCenter;
      const icReconciler = ic
        ? new Reconciler(deps, new IdentityCenterGrantInventory({ instanceArn: ic.settings.instanceArn, clients: sdkIdentityCenterClients({ region: ic.region }), granter: identityCenter.granter }), { alertTargets })
        : undefined;
      return {
        intervalMs: config.reconcileIntervalSeconds * 1000,
        // Side by side over different grants: each reports its own findings, and a failing one does not stop the other.
        run: async () => {
          const results = await Promise.allSettled([reconciler.run(), ...(icReconciler ? [icReconciler.run()] : [])]);
          const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
          if (failed) throw failed.reason;
          return results;
        },
      };
    },
  };
}
