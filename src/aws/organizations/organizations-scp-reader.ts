/**
 * The SCPs that apply to one account, read from AWS Organizations: ListParents from the account up to
 * the root (OU names from DescribeOrganizationalUnit, for the card's "attached to OU Prod"), then the
 * SERVICE_CONTROL_POLICY policies of each level (ListPoliciesForTarget) and their contents
 * (DescribePolicy). Contents are cached by policy id: most levels share FullAWSAccess and the org-wide
 * guardrails, so a new account costs a few List calls, not a DescribePolicy per SCP.
 */
import {
  DescribeOrganizationalUnitCommand,
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListParentsCommand,
  ListPoliciesForTargetCommand,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import type { ScpLevel, ScpTarget } from '../../policy/evaluate/evaluator.js';
import { parseAndCompilePolicy, type CompiledPolicy } from '../../policy/evaluate/policy.js';
import { ScpUnavailableError, type AccountScps, type ScpSource } from '../../policy/scp/index.js';
import { DEFAULT_RETRY_POLICY, isAwsError, realRuntime, withRetry, type RetryPolicy, type RetryRuntime } from '../retry.js';
import { unavailable } from './errors.js';

export interface OrganizationsScpReaderOptions {
  /** The Organizations client, through the role to assume when one is configured. */
  client: () => Promise<OrganizationsClient>;
  clock: Clock;
  /** How long a policy's contents are reused, in seconds. */
  policyTtlSeconds: number;
  /** The account's name for the card (org.yaml's); the id when it has none. */
  accountName?: (accountId: string) => string | undefined;
  retry?: { policy?: RetryPolicy; runtime?: RetryRuntime };
  /** For the start-up log; default "aws-organizations". */
  description?: string;
}

/** An organization is at most five OUs deep; a longer walk means a cycle in a fake, not a real tree. */
const MAX_DEPTH = 10;

const ParentsPage = z.object({
  Parents: z.array(z.object({ Id: z.string().min(1), Type: z.enum(['ROOT', 'ORGANIZATIONAL_UNIT']) })).default([]),
  NextToken: z.string().optional(),
});
const PoliciesPage = z.object({
  Policies: z.array(z.object({ Id: z.string().min(1), Name: z.string().min(1) })).default([]),
  NextToken: z.string().optional(),
});
const DescribedPolicy = z.object({ Policy: z.object({ PolicySummary: z.object({ Name: z.string().min(1) }).optional(), Content: z.string() }) });
const DescribedOu = z.object({ OrganizationalUnit: z.object({ Name: z.string().min(1) }) });
const DescribedOrganization = z.object({ Organization: z.object({ Id: z.string().min(1), MasterAccountId: z.string().optional() }) });

interface CachedPolicy {
  at: number;
  policy: Promise<CompiledPolicy>;
}

export class OrganizationsScpReader implements ScpSource {
  readonly description: string;
  private readonly policies = new Map<string, CachedPolicy>();
  private organization: Promise<{ id: string; managementAccountId: string | undefined }> | undefined;
  private readonly retry: { policy: RetryPolicy; runtime: RetryRuntime };

  constructor(private readonly options: OrganizationsScpReaderOptions) {
    this.description = options.description ?? 'aws-organizations';
    this.retry = { policy: options.retry?.policy ?? DEFAULT_RETRY_POLICY, runtime: options.retry?.runtime ?? realRuntime };
  }

  async forAccount(accountId: string): Promise<AccountScps> {
    try {
      return await this.read(accountId);
    } catch (error) {
      throw unavailable(error, accountId);
    }
  }

  private async read(accountId: string): Promise<AccountScps> {
    const client = await this.options.client();
    const organization = await this.describeOrganization(client);
    const parents = await this.parentsOf(client, accountId);
    if (!parents) return { organizationId: organization.id, path: { found: false, accountId } };
    const account: ScpTarget = { kind: 'account', id: accountId, name: this.options.accountName?.(accountId) ?? accountId };
    const targets = [...parents, account];
    const path = targets.map((t) => t.name);
    // SCPs never restrict the management account.
    if (organization.managementAccountId === accountId) return { organizationId: organization.id, path: { found: true, accountId, path, levels: [], exempt: true } };
    const levels: ScpLevel[] = [];
    for (const target of targets) levels.push({ target, policies: await this.policiesOf(client, target) });
    return { organizationId: organization.id, path: { found: true, accountId, path, levels, exempt: false } };
  }

  /** The organization's id (for aws:PrincipalOrgID) and its management account; neither ever changes. */
  private describeOrganization(client: OrganizationsClient): Promise<{ id: string; managementAccountId: string | undefined }> {
    this.organization ??= (async () => {
      const out = DescribedOrganization.parse(await this.call('DescribeOrganization', () => client.send(new DescribeOrganizationCommand({}))));
      return { id: out.Organization.Id, managementAccountId: out.Organization.MasterAccountId };
    })();
    const pending = this.organization;
    pending.catch(() => this.organization === pending && (this.organization = undefined));
    return pending;
  }

  /** Root first, down to the account's own OU; undefined when the account is not in the organization. */
  private async parentsOf(client: OrganizationsClient, accountId: string): Promise<ScpTarget[] | undefined> {
    const chain: ScpTarget[] = [];
    let child = accountId;
    for (let depth = 0; depth < MAX_DEPTH; depth++) {
      let parent: { Id: string; Type: 'ROOT' | 'ORGANIZATIONAL_UNIT' } | undefined;
      try {
        let token: string | undefined;
        do {
          const input = { ChildId: child, ...(token ? { NextToken: token } : {}) };
          const page = ParentsPage.parse(await this.call(`ListParents ${child}`, () => client.send(new ListParentsCommand(input))));
          parent ??= page.Parents[0];
          token = page.NextToken;
        } while (token && !parent);
      } catch (error) {
        if (child === accountId && isAwsError(error, 'ChildNotFoundException')) return undefined;
        throw error;
      }
      if (!parent) throw new ScpUnavailableError(`AWS Organizations listed no parent for ${child}; the organization tree could not be walked.`);
      if (parent.Type === 'ROOT') return [{ kind: 'root', id: parent.Id, name: 'Root' }, ...chain];
      chain.unshift({ kind: 'ou', id: parent.Id, name: await this.ouName(client, parent.Id) });
      child = parent.Id;
    }
    throw new ScpUnavailableError(`The organization tree above account ${accountId} is deeper than ${MAX_DEPTH} levels; AWS allows five OUs.`);
  }

  private async ouName(client: OrganizationsClient, id: string): Promise<string> {
    const out = await this.call(`DescribeOrganizationalUnit ${id}`, () => client.send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: id })));
    return DescribedOu.parse(out).OrganizationalUnit.Name;
  }

  private async policiesOf(client: OrganizationsClient, target: ScpTarget): Promise<CompiledPolicy[]> {
    const summaries: { Id: string; Name: string }[] = [];
    let token: string | undefined;
    do {
      const input = { TargetId: target.id, Filter: 'SERVICE_CONTROL_POLICY' as const, ...(token ? { NextToken: token } : {}) };
      const page = PoliciesPage.parse(await this.call(`ListPoliciesForTarget ${target.id}`, () => client.send(new ListPoliciesForTargetCommand(input))));
      summaries.push(...page.Policies);
      token = page.NextToken;
    } while (token);
    return Promise.all(summaries.map((s) => this.policy(client, s.Id, s.Name)));
  }

  /** A policy's contents by id, reused for the TTL; a failed or malformed read is not remembered. */
  private policy(client: OrganizationsClient, id: string, listedName: string): Promise<CompiledPolicy> {
    const now = this.options.clock.now().getTime();
    const cached = this.policies.get(id);
    if (cached && now - cached.at < this.options.policyTtlSeconds * 1000) return cached.policy;
    const policy = (async () => {
      const out = DescribedPolicy.parse(await this.call(`DescribePolicy ${id}`, () => client.send(new DescribePolicyCommand({ PolicyId: id }))));
      return compileScp(id, out.Policy.PolicySummary?.Name ?? listedName, out.Policy.Content);
    })();
    this.policies.set(id, { at: now, policy });
    policy.catch(() => this.policies.get(id)?.policy === policy && this.policies.delete(id));
    return policy;
  }

  private call<T>(what: string, send: () => Promise<T>): Promise<T> {
    return withRetry(`AWS Organizations ${what}`, send, this.retry);
  }
}

/** An SCP's JSON as Organizations stores it, checked like a playground file; a bad one names its id. */
export function compileScp(id: string, name: string, content: string): CompiledPolicy {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (error) {
    throw new ScpUnavailableError(`SCP ${id} (${name}) in AWS Organizations is not valid JSON (${error instanceof Error ? error.message : 'parse error'}); fix the policy in Organizations.`);
  }
  const compiled = parseAndCompilePolicy(name, json);
  if (!compiled.ok) throw new ScpUnavailableError(`SCP ${id} (${name}) in AWS Organizations is not a policy document Warden can read: ${compiled.problems.join('; ')}.`);
  return compiled.policy;
}
