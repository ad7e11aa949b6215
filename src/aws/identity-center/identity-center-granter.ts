import {
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  DeleteAccountAssignmentCommand,
  DeletePermissionSetCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  DescribePermissionSetCommand,
  DescribePermissionSetProvisioningStatusCommand,
  ListPermissionSetsCommand,
  ListTagsForResourceCommand,
  ProvisionPermissionSetCommand,
  PutInlinePolicyToPermissionSetCommand,
  PutPermissionsBoundaryToPermissionSetCommand,
  TagResourceCommand,
  UpdatePermissionSetCommand,
  type AccountAssignmentOperationStatus,
  type PermissionSetProvisioningStatus,
  type SSOAdminClient,
  type Tag,
} from '@aws-sdk/client-sso-admin';
import { z } from 'zod';
import { errorText } from '../../access/audit.js';
import type { Granter, GrantInput } from '../../access/granter.js';
import type { AccessRequest, Grant } from '../../access/types.js';
import type { Clock } from '../../clock.js';
import { TAG_KEYS } from '../iam/plan.js';
import { DEFAULT_RETRY_POLICY, isAwsError, isTransientAwsError, realRuntime, withRetry, type RetryPolicy, type RetryRuntime } from '../retry.js';
import type { IdentityCenterClients } from './clients.js';
import {
  grantInlinePolicy,
  IDENTITY_CENTER_MODE,
  permissionSetName,
  permissionSetTags,
  revokeInlinePolicy,
  sessionDuration,
  type IdentityCenterSettings,
} from './plan.js';
import { pollUntilDone, type OperationStatus } from './poll.js';
import type { IdentityCenterPrincipals } from './principals.js';
import { usageText, type AccessPortal } from './usage.js';

export interface IdentityCenterCall {
  service: 'sso-admin';
  operation: string;
  input: Record<string, unknown>;
  /** `kept-shared`: an existing permission set's assignment left in place for another active grant. */
  outcome: 'done' | 'already-done' | 'kept-shared';
}

/** The assignment an existing (shared) permission set grant rests on, to ask whether another grant still needs it. */
export interface SharedAssignment {
  accountId: string;
  permissionSetArn: string;
  principalId: string;
}

export interface IdentityCenterGranterOptions {
  settings: IdentityCenterSettings;
  clients: IdentityCenterClients;
  principals: IdentityCenterPrincipals;
  clock: Clock;
  retry?: { policy?: RetryPolicy; runtime?: RetryRuntime };
  /** Told about every call made, for the audit log. */
  onCall?: (requestId: string, call: IdentityCenterCall) => Promise<void>;
  /**
   * Whether a grant other than `requestId` still needs this assignment of an existing permission
   * set (the same user, account and permission set, active and not past its expiry). Without it,
   * every shared assignment is kept at revocation: removing access someone else relies on is worse.
   */
  sharedAssignmentStillNeeded?: (assignment: SharedAssignment, requestId: string) => Promise<boolean>;
  /** How the requester signs in (the AWS access portal); the profile snippet names it when given. */
  access?: AccessPortal;
}

/** The stored handle comes back from the database: checked before it names anything to delete. */
const HandleSchema = z.object({
  accountId: z.string().regex(/^\d{12}$/),
  instanceArn: z.string().startsWith('arn:'),
  permissionSetArn: z.string().startsWith('arn:'),
  permissionSetName: z.string(),
  principalId: z.string().min(1),
  principalType: z.literal('USER'),
  /** Set on grants of an existing permission set: Warden assigned it, and must neither change nor delete it. */
  shared: z.literal('true').optional(),
  /** How to use the access, for the requester (not needed to revoke). */
  usage: z.string().optional(),
});
type Handle = z.infer<typeof HandleSchema>;

/** Identity Center answers ConflictException while another operation on the same thing runs: worth waiting for. */
function retryableInIdentityCenter(error: unknown): boolean {
  return isTransientAwsError(error) || isAwsError(error, 'ConflictException');
}

function assignmentStatus(s: AccountAssignmentOperationStatus | undefined): OperationStatus {
  if (s?.Status === 'SUCCEEDED') return { status: 'SUCCEEDED' };
  if (s?.Status === 'FAILED') return { status: 'FAILED', reason: s.FailureReason ?? 'no reason given' };
  return { status: 'IN_PROGRESS' };
}

function provisioningStatus(s: PermissionSetProvisioningStatus | undefined): OperationStatus {
  if (s?.Status === 'SUCCEEDED') return { status: 'SUCCEEDED' };
  if (s?.Status === 'FAILED') return { status: 'FAILED', reason: s.FailureReason ?? 'no reason given' };
  return { status: 'IN_PROGRESS' };
}

/**
 * Grants through IAM Identity Center: a per-request permission set (drafted policy inline, expiry
 * on every statement, the Warden boundary) assigned to the requester's Identity Center user in the
 * target account. Assignment is asynchronous: its status is polled until it succeeds or fails, and
 * a failure or a timeout removes what was created and fails the grant.
 */
export class IdentityCenterGranter implements Granter {
  readonly mode = IDENTITY_CENTER_MODE;
  private readonly retry: { policy: RetryPolicy; runtime: RetryRuntime };

  constructor(private readonly options: IdentityCenterGranterOptions) {
    this.retry = { policy: options.retry?.policy ?? DEFAULT_RETRY_POLICY, runtime: options.retry?.runtime ?? realRuntime };
  }

  private get admin(): SSOAdminClient {
    return this.options.clients.ssoAdmin();
  }

  private get instanceArn(): string {
    return this.options.settings.instanceArn;
  }

  async grant(input: GrantInput): Promise<Grant['handle']> {
    const existing = input.account.grant?.via === 'identity-center' ? input.account.grant.permissionSet : undefined;
    return existing === undefined ? this.grantOwnPermissionSet(input) : this.grantExistingPermissionSet(input, existing);
  }

  /**
   * An existing permission set, shared by everyone granted it: assigned to the requester in the
   * account, never changed. Identity Center adds nothing for an assignment that is already there,
   * so a second grant of it rests on the same assignment; revocation keeps it while one needs it.
   */
  private async grantExistingPermissionSet({ request, requester, account }: GrantInput, nameOrArn: string): Promise<Grant['handle']> {
    const principalId = await this.options.principals.userId(requester);
    const arn = nameOrArn.startsWith('arn:') ? nameOrArn : await this.findPermissionSet(request.id, nameOrArn);
    if (!arn) throw new Error(`account ${account.name} is granted through the permission set "${nameOrArn}" (org file, accounts → grant.permissionSet), but the Identity Center instance has none of that name`);
    const name = nameOrArn.startsWith('arn:') ? await this.permissionSetNameOf(request.id, arn) : nameOrArn;
    const handle: Handle = { accountId: account.id, instanceArn: this.instanceArn, permissionSetArn: arn, permissionSetName: name, principalId, principalType: 'USER', shared: 'true' };
    // Nothing was created that a failure should remove: the assignment is either made or not.
    await this.assign(request.id, handle);
    return { ...handle, usage: usageText({ accountId: account.id, accountName: account.name, permissionSetName: name, portal: this.options.access }) };
  }

  private async permissionSetNameOf(requestId: string, arn: string): Promise<string> {
    const described = await this.call(requestId, 'DescribePermissionSet', { InstanceArn: this.instanceArn, PermissionSetArn: arn }, (i) => this.admin.send(new DescribePermissionSetCommand(i)));
    const name = described === 'already-done' ? undefined : described.PermissionSet?.Name;
    if (!name) throw new Error(`permission set ${arn} (org file, accounts → grant.permissionSet) was not found in the Identity Center instance`);
    return name;
  }

  private async grantOwnPermissionSet({ request, requester, account, grantedAt, expiresAt }: GrantInput): Promise<Grant['handle']> {
    const name = permissionSetName(request.id);
    const principalId = await this.options.principals.userId(requester);
    const tags = permissionSetTags({ requestId: request.id, requesterId: requester.id, approverIds: request.approvals.map((a) => a.userId), expiresAt });
    const details = { Description: `Warden temporary access for ${requester.id}, request ${request.id}`, SessionDuration: sessionDuration(grantedAt, expiresAt) };
    const { arn, adopted } = await this.createOrAdoptPermissionSet(request.id, name, details, tags);
    const handle: Handle = { accountId: account.id, instanceArn: this.instanceArn, permissionSetArn: arn, permissionSetName: name, principalId, principalType: 'USER' };
    try {
      const base = { InstanceArn: this.instanceArn, PermissionSetArn: arn };
      await this.call(request.id, 'PutInlinePolicyToPermissionSet', { ...base, InlinePolicy: grantInlinePolicy(request.draft, expiresAt, request.review?.conditions ?? []) }, (i) => this.admin.send(new PutInlinePolicyToPermissionSetCommand(i)));
      const boundary = this.options.settings.permissionsBoundaryName;
      if (boundary) {
        await this.call(request.id, 'PutPermissionsBoundaryToPermissionSet', { ...base, PermissionsBoundary: { CustomerManagedPolicyReference: { Name: boundary, Path: '/' } } }, (i) =>
          this.admin.send(new PutPermissionsBoundaryToPermissionSetCommand(i)),
        );
      }
      // A permission set an earlier run already provisioned keeps its old policy until provisioned again.
      if (adopted) await this.provision(request.id, arn);
      await this.assign(request.id, handle);
    } catch (error) {
      throw new Error(`Identity Center grant of ${name} in ${account.id}: ${errorText(error)}; ${await this.cleanUp(request.id, handle)}`, { cause: error });
    }
    return { ...handle, usage: usageText({ accountId: account.id, accountName: account.name, permissionSetName: name, portal: this.options.access }) };
  }

  async revoke(request: AccessRequest, grant: Grant): Promise<void> {
    const parsed = HandleSchema.safeParse(grant.handle);
    if (!parsed.success) throw new Error(`Grant handle of ${request.id} is not an Identity Center handle: refusing to revoke from it.`);
    const handle = parsed.data;
    if (handle.shared === 'true') return this.revokeSharedAssignment(request.id, handle);
    if (handle.permissionSetName !== permissionSetName(request.id)) throw new Error(`Grant handle names ${handle.permissionSetName}, not ${permissionSetName(request.id)}: refusing to revoke it.`);
    await this.removePermissionSet(request.id, handle);
  }

  /**
   * Removes a per-request permission set found by reconciliation: cut its sessions, then each of
   * its assignments, then the set. `principalIds` are the users it was found assigned to.
   */
  async removeFound(target: { requestId: string; accountId: string; permissionSetArn: string; principalIds: readonly string[] }): Promise<void> {
    const name = permissionSetName(target.requestId);
    const handles = target.principalIds.map((principalId): Handle => ({ accountId: target.accountId, instanceArn: this.instanceArn, permissionSetArn: target.permissionSetArn, permissionSetName: name, principalId, principalType: 'USER' }));
    const [first, ...rest] = handles;
    if (!first) {
      await this.call(target.requestId, 'DeletePermissionSet', { InstanceArn: this.instanceArn, PermissionSetArn: target.permissionSetArn }, (i) => this.admin.send(new DeletePermissionSetCommand(i)), { goneIsDone: true });
      return;
    }
    await this.removePermissionSet(target.requestId, first, rest);
  }

  /** Removes the assignment unless another active grant of the same user, account and permission set needs it. */
  private async revokeSharedAssignment(requestId: string, handle: Handle): Promise<void> {
    const check = this.options.sharedAssignmentStillNeeded;
    const needed = check ? await check({ accountId: handle.accountId, permissionSetArn: handle.permissionSetArn, principalId: handle.principalId }, requestId) : true;
    if (needed) {
      await this.options.onCall?.(requestId, { service: 'sso-admin', operation: 'DeleteAccountAssignment', input: this.assignmentInput(handle), outcome: 'kept-shared' });
      return;
    }
    await this.unassign(requestId, handle);
  }

  /** Cuts sessions, then removes the assignment of `handle` and of `others` (same set), then the set. */
  private async removePermissionSet(requestId: string, handle: Handle, others: readonly Handle[] = []): Promise<void> {
    const base = { InstanceArn: handle.instanceArn, PermissionSetArn: handle.permissionSetArn };
    // Replace the policy with a deny for sessions issued until now, and push it to the account:
    // sessions already open stop working even before the assignment is gone.
    const cut = await this.call(requestId, 'PutInlinePolicyToPermissionSet', { ...base, InlinePolicy: revokeInlinePolicy(this.options.clock.now()) }, (i) => this.admin.send(new PutInlinePolicyToPermissionSetCommand(i)), { goneIsDone: true });
    if (cut === 'already-done') return; // the permission set is gone, and assignments cannot outlive it
    await this.provision(requestId, handle.permissionSetArn);
    for (const each of [handle, ...others]) await this.unassign(requestId, each);
    await this.call(requestId, 'DeletePermissionSet', base, (i) => this.admin.send(new DeletePermissionSetCommand(i)), { goneIsDone: true });
  }

  /** CreateAccountAssignment, then its status until SUCCEEDED; FAILED or too slow throws. */
  private async assign(requestId: string, handle: Handle): Promise<void> {
    const out = await this.call(requestId, 'CreateAccountAssignment', this.assignmentInput(handle), (i) => this.admin.send(new CreateAccountAssignmentCommand(i)));
    const started = out === 'already-done' ? undefined : out.AccountAssignmentCreationStatus;
    const opId = started?.RequestId;
    if (!opId) throw new Error('CreateAccountAssignment returned no request id to follow');
    await this.follow(`Account assignment of ${handle.permissionSetName} in ${handle.accountId}`, assignmentStatus(started), async () => {
      const described = await this.call(requestId, 'DescribeAccountAssignmentCreationStatus', { InstanceArn: handle.instanceArn, AccountAssignmentCreationRequestId: opId }, (i) =>
        this.admin.send(new DescribeAccountAssignmentCreationStatusCommand(i)),
      );
      return described === 'already-done' ? { status: 'IN_PROGRESS' } : assignmentStatus(described.AccountAssignmentCreationStatus);
    });
  }

  /** DeleteAccountAssignment and its status; an assignment already gone is done. */
  private async unassign(requestId: string, handle: Handle): Promise<void> {
    const out = await this.call(requestId, 'DeleteAccountAssignment', this.assignmentInput(handle), (i) => this.admin.send(new DeleteAccountAssignmentCommand(i)), { goneIsDone: true });
    if (out === 'already-done') return;
    const opId = out.AccountAssignmentDeletionStatus?.RequestId;
    if (!opId) throw new Error('DeleteAccountAssignment returned no request id to follow');
    await this.follow(`Removal of ${handle.permissionSetName} from ${handle.accountId}`, assignmentStatus(out.AccountAssignmentDeletionStatus), async () => {
      const described = await this.call(requestId, 'DescribeAccountAssignmentDeletionStatus', { InstanceArn: handle.instanceArn, AccountAssignmentDeletionRequestId: opId }, (i) =>
        this.admin.send(new DescribeAccountAssignmentDeletionStatusCommand(i)),
      );
      return described === 'already-done' ? { status: 'IN_PROGRESS' } : assignmentStatus(described.AccountAssignmentDeletionStatus);
    });
  }

  /** Re-provisions to the accounts it is already in (ALL_PROVISIONED_ACCOUNTS), so it is never provisioned anywhere new. */
  private async provision(requestId: string, permissionSetArn: string): Promise<void> {
    const out = await this.call(requestId, 'ProvisionPermissionSet', { InstanceArn: this.instanceArn, PermissionSetArn: permissionSetArn, TargetType: 'ALL_PROVISIONED_ACCOUNTS' as const }, (i) =>
      this.admin.send(new ProvisionPermissionSetCommand(i)),
    );
    if (out === 'already-done') return;
    const opId = out.PermissionSetProvisioningStatus?.RequestId;
    if (!opId) return; // provisioned nowhere: nothing to push
    await this.follow(`Provisioning of ${permissionSetArn}`, provisioningStatus(out.PermissionSetProvisioningStatus), async () => {
      const described = await this.call(requestId, 'DescribePermissionSetProvisioningStatus', { InstanceArn: this.instanceArn, ProvisionPermissionSetRequestId: opId }, (i) =>
        this.admin.send(new DescribePermissionSetProvisioningStatusCommand(i)),
      );
      return described === 'already-done' ? { status: 'IN_PROGRESS' } : provisioningStatus(described.PermissionSetProvisioningStatus);
    });
  }

  /** Polls an operation that `started` with the given status; the next status is asked only after a wait. */
  private follow(what: string, started: OperationStatus, describe: () => Promise<OperationStatus>): Promise<void> {
    let first = true;
    return pollUntilDone(
      what,
      () => {
        if (!first) return describe();
        first = false;
        return Promise.resolve(started);
      },
      this.options.settings.poll,
      this.retry.runtime,
    );
  }

  /**
   * CreatePermissionSet answers ConflictException both when the name is taken and when another
   * operation is in flight. A taken name that carries this request's tag is ours (an earlier run
   * stopped after creating it) and is brought up to date; any other owner is refused.
   */
  private async createOrAdoptPermissionSet(requestId: string, name: string, details: { Description: string; SessionDuration: string }, tags: Tag[]): Promise<{ arn: string; adopted: boolean }> {
    const input = { InstanceArn: this.instanceArn, Name: name, ...details, Tags: tags };
    for (let attempt = 1; ; attempt++) {
      try {
        const out = await this.call(requestId, 'CreatePermissionSet', input, (i) => this.admin.send(new CreatePermissionSetCommand(i)), { retryConflicts: false });
        const arn = out === 'already-done' ? undefined : out.PermissionSet?.PermissionSetArn;
        if (!arn) throw new Error('CreatePermissionSet returned no ARN');
        return { arn, adopted: false };
      } catch (error) {
        if (!isAwsError(error, 'ConflictException')) throw error;
        const existing = await this.findPermissionSet(requestId, name);
        if (existing) {
          await this.adopt(requestId, existing, details, tags);
          return { arn: existing, adopted: true };
        }
        if (attempt >= this.retry.policy.maxAttempts) throw error;
        await this.retry.runtime.sleep(this.retry.policy.baseDelayMs * 2 ** (attempt - 1));
      }
    }
  }

  private async findPermissionSet(requestId: string, name: string): Promise<string | null> {
    let token: string | undefined;
    do {
      const page = await this.call(requestId, 'ListPermissionSets', { InstanceArn: this.instanceArn, ...(token ? { NextToken: token } : {}) }, (i) => this.admin.send(new ListPermissionSetsCommand(i)));
      if (page === 'already-done') return null;
      for (const arn of page.PermissionSets ?? []) {
        const described = await this.call(requestId, 'DescribePermissionSet', { InstanceArn: this.instanceArn, PermissionSetArn: arn }, (i) => this.admin.send(new DescribePermissionSetCommand(i)), { goneIsDone: true });
        if (described !== 'already-done' && described.PermissionSet?.Name === name) return arn;
      }
      token = page.NextToken;
    } while (token);
    return null;
  }

  private async adopt(requestId: string, arn: string, details: { Description: string; SessionDuration: string }, tags: Tag[]): Promise<void> {
    const tagged = await this.call(requestId, 'ListTagsForResource', { InstanceArn: this.instanceArn, ResourceArn: arn }, (i) => this.admin.send(new ListTagsForResourceCommand(i)));
    const owner = tagged === 'already-done' ? undefined : tagged.Tags?.find((t) => t.Key === TAG_KEYS.requestId)?.Value;
    if (owner !== requestId) throw new Error(`a permission set named ${permissionSetName(requestId)} exists and is not tagged ${TAG_KEYS.requestId}=${requestId}; Warden will not take it over`);
    await this.call(requestId, 'UpdatePermissionSet', { InstanceArn: this.instanceArn, PermissionSetArn: arn, ...details }, (i) => this.admin.send(new UpdatePermissionSetCommand(i)));
    await this.call(requestId, 'TagResource', { InstanceArn: this.instanceArn, ResourceArn: arn, Tags: tags }, (i) => this.admin.send(new TagResourceCommand(i)));
  }

  /** Best effort after a failed grant: says what it did, for the failure message the requester sees. */
  private async cleanUp(requestId: string, handle: Handle): Promise<string> {
    const problems: string[] = [];
    try {
      await this.unassign(requestId, handle);
    } catch (error) {
      problems.push(`removing the assignment: ${errorText(error)}`);
    }
    try {
      await this.call(requestId, 'DeletePermissionSet', { InstanceArn: handle.instanceArn, PermissionSetArn: handle.permissionSetArn }, (i) => this.admin.send(new DeletePermissionSetCommand(i)), { goneIsDone: true });
    } catch (error) {
      problems.push(`deleting the permission set: ${errorText(error)}`);
    }
    return problems.length === 0 ? 'what was created has been removed' : `cleaning up failed (${problems.join('; ')}): reconciliation will retry`;
  }

  private assignmentInput(handle: Handle) {
    return {
      InstanceArn: handle.instanceArn,
      TargetId: handle.accountId,
      TargetType: 'AWS_ACCOUNT' as const,
      PermissionSetArn: handle.permissionSetArn,
      PrincipalType: handle.principalType,
      PrincipalId: handle.principalId,
    };
  }

  /**
   * One SDK call with retries (throttling, and ConflictException unless told otherwise), reported
   * for the audit log. With `goneIsDone`, ResourceNotFoundException returns 'already-done'.
   */
  private async call<I extends Record<string, unknown>, O>(
    requestId: string,
    operation: string,
    input: I,
    run: (input: I) => Promise<O>,
    options: { goneIsDone?: boolean; retryConflicts?: boolean } = {},
  ): Promise<O | 'already-done'> {
    const retryable = options.retryConflicts === false ? isTransientAwsError : retryableInIdentityCenter;
    let result: O | 'already-done';
    try {
      result = await withRetry(`Identity Center ${operation}`, () => run(input), { ...this.retry, retryable });
    } catch (error) {
      if (!(options.goneIsDone && isAwsError(error, 'ResourceNotFoundException'))) throw error;
      result = 'already-done';
    }
    await this.options.onCall?.(requestId, { service: 'sso-admin', operation, input: { ...input }, outcome: result === 'already-done' ? 'already-done' : 'done' });
    return result;
  }
}
