import type { Granter, GrantInput } from '../access/granter.js';
import type { AccessRequest, Grant } from '../access/types.js';
import { systemClock, type Clock } from '../clock.js';
import { DEFAULT_IAM_GRANT_SETTINGS, grantPlan, revokePlan, type CallPlan, type IamGrantSettings } from './iam/plan.js';

/** One AWS API call the granter would make, with its exact input. */
export interface AwsCall {
  service: 'sts' | 'iam';
  operation: string;
  input: Record<string, unknown>;
}

export type AwsCallSink = (requestId: string, call: AwsCall) => Promise<void>;

export const GRANT_ROLE_NAME = DEFAULT_IAM_GRANT_SETTINGS.grantRoleName;
export { perRequestRoleName } from './iam/plan.js';

/** The calls of a plan in the order the IAM granter makes them. */
export function planCalls(plan: CallPlan): AwsCall[] {
  return [
    { service: 'sts', operation: 'AssumeRole', input: { ...plan.assumeRole } },
    ...plan.steps.map((step): AwsCall => ({ service: 'iam', operation: step.operation, input: { ...step.input } })),
  ];
}

/**
 * Records the calls the IAM granter would make instead of making them: the default when no AWS
 * credentials are configured, and what the playground shows. Both build their calls from the same
 * plan (`iam/plan.ts`), so what is recorded here is exactly what the real granter sends.
 */
export class DryRunGranter implements Granter {
  readonly mode = 'dry-run';
  private readonly clock: Clock;
  private readonly settings: IamGrantSettings;

  constructor(
    private readonly sink: AwsCallSink,
    options: { clock?: Clock; settings?: IamGrantSettings } = {},
  ) {
    // The clock only dates the session-cutting deny of a revocation.
    this.clock = options.clock ?? systemClock;
    this.settings = options.settings ?? DEFAULT_IAM_GRANT_SETTINGS;
  }

  async grant({ request, requester, account, grantedAt, expiresAt }: GrantInput): Promise<Grant['handle']> {
    const plan = grantPlan(
      { requestId: request.id, requester, approverIds: request.approvals.map((a) => a.userId), draft: request.draft, conditions: request.review?.conditions ?? [], accountId: account.id, grantedAt, expiresAt },
      this.settings,
    );
    await this.record(request.id, plan);
    return plan.handle;
  }

  async revoke(request: AccessRequest, grant: Grant): Promise<void> {
    const target = { requestId: request.id, accountId: grant.handle['accountId'] ?? request.draft.accountId, roleName: grant.handle['roleName'] };
    await this.record(request.id, revokePlan(target, this.clock.now(), this.settings));
  }

  private async record(requestId: string, plan: CallPlan): Promise<void> {
    for (const call of planCalls(plan)) await this.sink(requestId, call);
  }
}
