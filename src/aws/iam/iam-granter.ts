import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  type CreateRoleCommandInput,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { Granter, GrantInput } from '../../access/granter.js';
import type { AccessRequest, Grant } from '../../access/types.js';
import type { Clock } from '../../clock.js';
import type { AwsCall } from '../dry-run-granter.js';
import { DEFAULT_RETRY_POLICY, isAwsError, realRuntime, withRetry, type RetryPolicy, type RetryRuntime } from '../retry.js';
import { assumeRole, type AwsClientFactory } from './clients.js';
import { grantPlan, revokePlan, TAG_KEYS, type CallPlan, type IamStep, type IamGrantSettings, type RevokeTarget } from './plan.js';

export const IAM_GRANT_MODE = 'aws-iam';

/** A call the granter made, and how it ended. `already-done` and `adopted` are the repair paths. */
export interface MadeCall extends AwsCall {
  outcome: 'done' | 'already-done' | 'adopted';
}

export interface IamGranterOptions {
  settings: IamGrantSettings;
  clients: AwsClientFactory;
  clock: Clock;
  retry?: { policy?: RetryPolicy; runtime?: RetryRuntime };
  /** Told about every call made (for the audit log, like the dry-run granter's sink). */
  onCall?: (requestId: string, call: MadeCall) => Promise<void>;
}

/** A step that failed for good, naming the call and the role; `cause` keeps the SDK error. */
export class IamStepError extends Error {
  constructor(
    readonly operation: string,
    readonly roleName: string,
    readonly accountId: string,
    override readonly cause: unknown,
  ) {
    super(`${operation} of ${roleName} in ${accountId} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'IamStepError';
  }
}

/**
 * Grants through a per-request IAM role in the target account, reached by assuming the account's
 * grant role. Makes exactly the calls of `iam/plan.ts` (what the dry-run granter records); the only
 * extra calls are the repair of a role a crashed earlier run already created (see `adopt`).
 */
export class IamGranter implements Granter {
  readonly mode = IAM_GRANT_MODE;
  private readonly retry: { policy: RetryPolicy; runtime: RetryRuntime };

  constructor(private readonly options: IamGranterOptions) {
    this.retry = { policy: options.retry?.policy ?? DEFAULT_RETRY_POLICY, runtime: options.retry?.runtime ?? realRuntime };
  }

  async grant({ request, requester, account, grantedAt, expiresAt }: GrantInput): Promise<Grant['handle']> {
    const plan = grantPlan(
      { requestId: request.id, requester, approverIds: request.approvals.map((a) => a.userId), draft: request.draft, conditions: request.review?.conditions ?? [], accountId: account.id, grantedAt, expiresAt },
      this.options.settings,
    );
    await this.execute(plan);
    return plan.handle;
  }

  revoke(request: AccessRequest, grant: Grant): Promise<void> {
    return this.revokeRole({ requestId: request.id, accountId: grant.handle['accountId'] ?? request.draft.accountId, roleName: grant.handle['roleName'] });
  }

  /** Removes a request's role; also what reconciliation uses for roles the store does not know. */
  async revokeRole(target: RevokeTarget): Promise<void> {
    await this.execute(revokePlan(target, this.options.clock.now(), this.options.settings));
  }

  private async execute(plan: CallPlan): Promise<void> {
    const credentials = await assumeRole(this.options.clients.sts(), plan.assumeRole, this.retry);
    await this.report(plan.requestId, { service: 'sts', operation: 'AssumeRole', input: { ...plan.assumeRole }, outcome: 'done' });
    const iam = this.options.clients.iam(credentials);
    try {
      for (const step of plan.steps) await this.runStep(iam, plan, step);
    } finally {
      iam.destroy();
    }
  }

  private async runStep(iam: IAMClient, plan: CallPlan, step: IamStep): Promise<void> {
    const roleName = step.input.RoleName ?? '';
    const made = (outcome: MadeCall['outcome']) => this.report(plan.requestId, { service: 'iam', operation: step.operation, input: { ...step.input }, outcome });
    let outcome: MadeCall['outcome'];
    try {
      await withRetry(`IAM ${step.operation} ${roleName}`, () => send(iam, step), this.retry);
      outcome = 'done';
    } catch (error) {
      if (step.idempotence === 'gone-is-done' && isAwsError(error, 'NoSuchEntityException')) {
        outcome = 'already-done';
      } else if (step.idempotence === 'adopt' && isAwsError(error, 'EntityAlreadyExistsException')) {
        await this.adopt(iam, plan, step.input);
        outcome = 'adopted';
      } else {
        throw new IamStepError(step.operation, roleName, plan.accountId, error);
      }
    }
    await made(outcome);
  }

  /**
   * The role exists: an earlier run created it and stopped (a crash, a failed PutRolePolicy), or this
   * is a new grant of the same request (a new expiry). It is taken over only if it carries this
   * request's tag and Warden's boundary, then brought to what CreateRole would have made now.
   */
  private async adopt(iam: IAMClient, plan: CallPlan, create: CreateRoleCommandInput): Promise<void> {
    const roleName = create.RoleName ?? '';
    const call = <T>(what: string, fn: () => Promise<T>) =>
      withRetry(`IAM ${what} ${roleName}`, fn, this.retry).catch((error: unknown) => {
        throw new IamStepError(what, roleName, plan.accountId, error);
      });
    const existing = await call('GetRole', () => iam.send(new GetRoleCommand({ RoleName: roleName })));
    const ownerTag = existing.Role?.Tags?.find((t) => t.Key === TAG_KEYS.requestId)?.Value;
    if (ownerTag !== plan.requestId) {
      throw new IamStepError('CreateRole', roleName, plan.accountId, new Error(`a role of that name exists and is not tagged ${TAG_KEYS.requestId}=${plan.requestId}; Warden will not take it over`));
    }
    if (existing.Role?.PermissionsBoundary?.PermissionsBoundaryArn !== create.PermissionsBoundary) {
      throw new IamStepError('CreateRole', roleName, plan.accountId, new Error(`the existing role does not have the permissions boundary ${create.PermissionsBoundary}`));
    }
    await call('UpdateAssumeRolePolicy', () => iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: create.AssumeRolePolicyDocument })));
    await call('UpdateRole', () => iam.send(new UpdateRoleCommand({ RoleName: roleName, MaxSessionDuration: create.MaxSessionDuration, Description: create.Description })));
    await call('TagRole', () => iam.send(new TagRoleCommand({ RoleName: roleName, Tags: create.Tags ?? [] })));
  }

  private async report(requestId: string, call: MadeCall): Promise<void> {
    await this.options.onCall?.(requestId, call);
  }
}

function send(iam: IAMClient, step: IamStep): Promise<unknown> {
  switch (step.operation) {
    case 'CreateRole':
      return iam.send(new CreateRoleCommand(step.input));
    case 'PutRolePolicy':
      return iam.send(new PutRolePolicyCommand(step.input));
    case 'DeleteRolePolicy':
      return iam.send(new DeleteRolePolicyCommand(step.input));
    case 'DeleteRole':
      return iam.send(new DeleteRoleCommand(step.input));
  }
}
