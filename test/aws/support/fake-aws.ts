import {
  CreateRoleCommand,
  DeleteConflictException,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  EntityAlreadyExistsException,
  GetRoleCommand,
  IAMClient,
  IAMServiceException,
  ListRolesCommand,
  ListRoleTagsCommand,
  NoSuchEntityException,
  PutRolePolicyCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  type Role,
  type Tag,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient, type AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';

/** One call as the fake saw it (failed attempts included), in order across STS and IAM. */
export interface SeenCall {
  service: 'sts' | 'iam';
  operation: string;
  input: Record<string, unknown>;
  /** The account whose credentials signed it (IAM), or the account assumed into (STS). */
  accountId: string;
  outcome: 'ok' | string;
}

interface FakeRole {
  role: Role;
  policies: Map<string, string>;
}

type Fault = { operation: string; error: () => Error; times: number; when?: (input: Record<string, unknown>) => boolean };

export function throttling(): Error {
  return new IAMServiceException({ name: 'Throttling', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'Rate exceeded' });
}

export function accessDenied(what: string): Error {
  return new IAMServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: `not authorized to perform: ${what}` });
}

const ACCESS_KEY_PREFIX = 'ASIAFAKE';

/**
 * A small stateful STS + IAM behind aws-sdk-client-mock: roles, inline policies and tags per
 * account (told apart by the assumed credentials), IAM's real error names, paging of ListRoles,
 * and injected faults. Stateful so a crash between steps and the repair run see the same account.
 */
export class FakeAws {
  readonly sts = mockClient(STSClient);
  readonly iam = mockClient(IAMClient);
  readonly seen: SeenCall[] = [];
  private readonly accounts = new Map<string, Map<string, FakeRole>>();
  private faults: Fault[] = [];
  private clock = () => new Date('2026-11-23T10:00:00Z');

  constructor(options: { now?: () => Date; pageSize?: number } = {}) {
    if (options.now) this.clock = options.now;
    const pageSize = options.pageSize ?? 100;
    this.sts.on(AssumeRoleCommand).callsFake((input: AssumeRoleCommandInput) => this.handle('sts', 'AssumeRole', { ...input }, accountOfArn(input.RoleArn ?? ''), () => {
      const accountId = accountOfArn(input.RoleArn ?? '');
      return {
        Credentials: { AccessKeyId: `${ACCESS_KEY_PREFIX}${accountId}`, SecretAccessKey: 'secret', SessionToken: `token-${input.RoleSessionName}`, Expiration: new Date(this.clock().getTime() + 900_000) },
        AssumedRoleUser: { Arn: `arn:aws:sts::${accountId}:assumed-role/warden-grant/${input.RoleSessionName}`, AssumedRoleId: 'AROAFAKE:x' },
      };
    }));
    const iamOp = <I extends Record<string, unknown>>(operation: string, run: (account: Map<string, FakeRole>, input: I, accountId: string) => unknown) =>
      async (input: I, getClient: () => IAMClient) => {
        const accountId = await accountOfClient(getClient());
        return this.handle('iam', operation, { ...input }, accountId, () => run(this.account(accountId), input, accountId));
      };
    this.iam.on(CreateRoleCommand).callsFake(iamOp('CreateRole', (account, input: { RoleName: string; Path?: string; AssumeRolePolicyDocument: string; MaxSessionDuration?: number; PermissionsBoundary?: string; Description?: string; Tags?: Tag[] }, accountId) => {
      if (account.has(input.RoleName)) throw new EntityAlreadyExistsException({ message: `Role with name ${input.RoleName} already exists.`, $metadata: {} });
      const role: Role = {
        RoleName: input.RoleName,
        Path: input.Path ?? '/',
        RoleId: `AROA${input.RoleName.toUpperCase()}`,
        Arn: `arn:aws:iam::${accountId}:role${input.Path ?? '/'}${input.RoleName}`,
        CreateDate: this.clock(),
        AssumeRolePolicyDocument: encodeURIComponent(input.AssumeRolePolicyDocument),
        MaxSessionDuration: input.MaxSessionDuration ?? 3600,
        Description: input.Description,
        Tags: input.Tags ?? [],
        ...(input.PermissionsBoundary ? { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy' as const, PermissionsBoundaryArn: input.PermissionsBoundary } } : {}),
      };
      account.set(input.RoleName, { role, policies: new Map() });
      return { Role: role };
    }));
    this.iam.on(GetRoleCommand).callsFake(iamOp('GetRole', (account, input: { RoleName: string }) => ({ Role: this.role(account, input.RoleName).role })));
    this.iam.on(PutRolePolicyCommand).callsFake(iamOp('PutRolePolicy', (account, input: { RoleName: string; PolicyName: string; PolicyDocument: string }) => {
      this.role(account, input.RoleName).policies.set(input.PolicyName, input.PolicyDocument);
      return {};
    }));
    this.iam.on(DeleteRolePolicyCommand).callsFake(iamOp('DeleteRolePolicy', (account, input: { RoleName: string; PolicyName: string }) => {
      if (!this.role(account, input.RoleName).policies.delete(input.PolicyName)) {
        throw new NoSuchEntityException({ message: `The role policy with name ${input.PolicyName} cannot be found.`, $metadata: {} });
      }
      return {};
    }));
    this.iam.on(DeleteRoleCommand).callsFake(iamOp('DeleteRole', (account, input: { RoleName: string }) => {
      const found = this.role(account, input.RoleName);
      if (found.policies.size > 0) throw new DeleteConflictException({ message: 'Cannot delete entity, must delete policies first.', $metadata: {} });
      account.delete(input.RoleName);
      return {};
    }));
    this.iam.on(UpdateAssumeRolePolicyCommand).callsFake(iamOp('UpdateAssumeRolePolicy', (account, input: { RoleName: string; PolicyDocument: string }) => {
      this.role(account, input.RoleName).role.AssumeRolePolicyDocument = encodeURIComponent(input.PolicyDocument);
      return {};
    }));
    this.iam.on(UpdateRoleCommand).callsFake(iamOp('UpdateRole', (account, input: { RoleName: string; MaxSessionDuration?: number; Description?: string }) => {
      const { role } = this.role(account, input.RoleName);
      if (input.MaxSessionDuration !== undefined) role.MaxSessionDuration = input.MaxSessionDuration;
      if (input.Description !== undefined) role.Description = input.Description;
      return {};
    }));
    this.iam.on(TagRoleCommand).callsFake(iamOp('TagRole', (account, input: { RoleName: string; Tags: Tag[] }) => {
      const { role } = this.role(account, input.RoleName);
      const tags = new Map((role.Tags ?? []).map((t) => [t.Key, t.Value]));
      for (const t of input.Tags) tags.set(t.Key, t.Value);
      role.Tags = [...tags].map(([Key, Value]) => ({ Key, Value }));
      return {};
    }));
    this.iam.on(ListRolesCommand).callsFake(iamOp('ListRoles', (account, input: { PathPrefix?: string; Marker?: string; MaxItems?: number }) => {
      // Like IAM, the listing leaves tags out: callers must ask ListRoleTags.
      const all = [...account.values()].map((r) => r.role).filter((r) => (r.Path ?? '/').startsWith(input.PathPrefix ?? '/')).sort((a, b) => a.RoleName!.localeCompare(b.RoleName!));
      const start = input.Marker ? Number(input.Marker) : 0;
      const size = Math.min(pageSize, input.MaxItems ?? pageSize);
      const page = all.slice(start, start + size).map(({ Tags: _tags, PermissionsBoundary: _pb, ...rest }) => rest);
      const more = start + size < all.length;
      return { Roles: page, IsTruncated: more, ...(more ? { Marker: String(start + size) } : {}) };
    }));
    this.iam.on(ListRoleTagsCommand).callsFake(iamOp('ListRoleTags', (account, input: { RoleName: string }) => ({ Tags: this.role(account, input.RoleName).role.Tags ?? [], IsTruncated: false })));
  }

  /** The next `times` calls of `operation` (optionally only those matching `when`) fail with `error()`. */
  fail(operation: string, error: () => Error, times = 1, when?: Fault['when']): void {
    this.faults.push({ operation, error, times, ...(when ? { when } : {}) });
  }

  /** Puts a role straight into an account, as someone (or an earlier Warden) left it. */
  seedRole(accountId: string, role: Partial<Role> & { RoleName: string }, policies: Record<string, string> = {}): void {
    const path = role.Path ?? '/';
    const full: Role = { ...role, Path: path, RoleId: role.RoleId ?? `AROA${role.RoleName.toUpperCase()}`, Arn: role.Arn ?? `arn:aws:iam::${accountId}:role${path}${role.RoleName}`, CreateDate: role.CreateDate ?? this.clock() };
    this.account(accountId).set(role.RoleName, { role: full, policies: new Map(Object.entries(policies)) });
  }

  /** Deletes a role behind Warden's back, as a person in the console would. */
  removeRole(accountId: string, roleName: string): void {
    this.account(accountId).delete(roleName);
  }

  roleIn(accountId: string, roleName: string): { role: Role; policies: Record<string, unknown> } | undefined {
    const found = this.account(accountId).get(roleName);
    if (!found) return undefined;
    return { role: found.role, policies: Object.fromEntries([...found.policies].map(([k, v]) => [k, JSON.parse(v) as unknown])) };
  }

  roleNames(accountId: string): string[] {
    return [...this.account(accountId).keys()].sort();
  }

  /** Successful calls only, without the account: what a granter's "exact calls" are compared with. */
  madeCalls(): { service: string; operation: string; input: Record<string, unknown> }[] {
    return this.seen.filter((c) => c.outcome === 'ok').map(({ service, operation, input }) => ({ service, operation, input }));
  }

  reset(): void {
    this.seen.length = 0;
    this.faults = [];
  }

  restore(): void {
    this.sts.restore();
    this.iam.restore();
  }

  private account(accountId: string): Map<string, FakeRole> {
    let account = this.accounts.get(accountId);
    if (!account) this.accounts.set(accountId, (account = new Map()));
    return account;
  }

  private role(account: Map<string, FakeRole>, roleName: string): FakeRole {
    const found = account.get(roleName);
    if (!found) throw new NoSuchEntityException({ message: `The role with name ${roleName} cannot be found.`, $metadata: {} });
    return found;
  }

  private handle(service: SeenCall['service'], operation: string, input: Record<string, unknown>, accountId: string, run: () => unknown): unknown {
    const fault = this.faults.find((f) => f.operation === operation && f.times > 0 && (!f.when || f.when(input)));
    try {
      if (fault) {
        fault.times--;
        throw fault.error();
      }
      const out = run();
      this.seen.push({ service, operation, input, accountId, outcome: 'ok' });
      return out;
    } catch (error) {
      this.seen.push({ service, operation, input, accountId, outcome: error instanceof Error ? error.name : 'error' });
      throw error;
    }
  }
}

function accountOfArn(arn: string): string {
  return /^arn:[^:]+:iam::(\d{12}):/.exec(arn)?.[1] ?? 'unknown';
}

/** The fake's STS hands out access keys that name the account, so IAM calls know where they run. */
async function accountOfClient(client: IAMClient): Promise<string> {
  const provider = client.config.credentials;
  const credentials = typeof provider === 'function' ? await provider() : provider;
  const key = credentials.accessKeyId;
  if (!key.startsWith(ACCESS_KEY_PREFIX)) throw new Error(`IAM called with credentials that did not come from AssumeRole: ${key}`);
  return key.slice(ACCESS_KEY_PREFIX.length);
}
