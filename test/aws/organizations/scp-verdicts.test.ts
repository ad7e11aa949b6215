/**
 * What an approver sees when the SCPs come from AWS Organizations: the gate over the live source,
 * and the approval card of a request that went through the real workflows.
 */
import { DescribePolicyCommand, ListParentsCommand } from '@aws-sdk/client-organizations';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PermissionDraft } from '../../../src/access/types.js';
import { presentDraftResult } from '../../../src/access/workflows/converse.js';
import { submitDraft } from '../../../src/access/workflows/submit.js';
import { organizationsScpSource } from '../../../src/aws/organizations/index.js';
import { renderBlocks } from '../../../src/chat/slack/blocks.js';
import { parseOrg } from '../../../src/config/load-policy-files.js';
import { IamCatalog } from '../../../src/policy/catalog.js';
import { loadGuardrails } from '../../../src/policy/guardrails/index.js';
import { loadPolicyGate } from '../../../src/policy/load-policy-gate.js';
import { RequestPolicyGate } from '../../../src/policy/request-policy-gate.js';
import { makeAccessDeps, type TestDeps } from '../../support/access-deps.js';
import { ManualClock } from '../../support/manual-clock.js';
import { awsError, fakeOrganization, organizations, PAYMENTS, POLICY_IDS } from './fake-organizations.js';

const org = parseOrg(readFileSync('examples/org.yaml', 'utf8'), 'examples/org.yaml');
const payments = org.accounts.find((a) => a.id === PAYMENTS)!;
const ana = org.users.find((u) => u.id === 'ana')!;
const catalog = new IamCatalog();
const NOW = new Date('2026-11-23T10:00:00Z');

function source(clock = new ManualClock(NOW)) {
  return organizationsScpSource(
    { source: 'organizations', region: 'us-east-1', stsRegion: 'eu-west-1', roleArn: undefined, cacheTtlSeconds: 900 },
    { clock, accountName: (id) => org.accounts.find((a) => a.id === id)?.name, retry: { runtime: { sleep: async () => undefined, random: () => 0 } } },
  );
}

function draft(overrides: Partial<PermissionDraft> = {}): PermissionDraft {
  return {
    accountId: PAYMENTS,
    accountName: 'payments-prod',
    accessLevel: 'Write',
    statements: [{ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::billing-reports/*'] }],
    durationMinutes: 60,
    justification: 'Re-upload the corrupted billing export for INC-1234',
    broad: false,
    notes: [],
    ...overrides,
  };
}

async function gate() {
  return new RequestPolicyGate({ catalog, guardrails: await loadGuardrails('examples/guardrails.yaml', org), scps: source() });
}

beforeEach(() => fakeOrganization());
afterEach(() => organizations.reset());

describe('SCP verdicts from AWS Organizations', () => {
  it('an SCP attached to the parent OU denies the write, and the verdict names the policy, the statement and the OU', async () => {
    const result = await (await gate()).review({ draft: draft(), account: payments, requester: ana, now: NOW });
    expect(result.review.verdicts).toEqual([
      's3:PutObject on arn:aws:s3:::billing-reports/* — denied by SCP `deny-writes-in-prod`, statement `DenyWrites`, attached to OU Prod; would be allowed only for principals matching arn:aws:iam::*:role/deploy-*',
    ]);
    expect(result.review.scpNote).toBeUndefined();
    expect(result.scp).toEqual({ deniedPairs: 1, deniedWrites: ['s3:PutObject'] });
  });

  it('a read the SCPs allow is shown as allowed', async () => {
    const result = await (await gate()).review({
      draft: draft({ accessLevel: 'Read', statements: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::billing-reports/*'] }] }),
      account: payments,
      requester: ana,
      now: NOW,
    });
    expect(result.review.verdicts).toEqual(['s3:GetObject on arn:aws:s3:::billing-reports/* — allowed']);
  });

  it('AccessDenied from Organizations: the request still goes to approvers, with a note saying SCPs could not be read and why', async () => {
    organizations
      .on(ListParentsCommand)
      .rejects(awsError('AccessDeniedException', 'User: arn:aws:sts::123456789012:assumed-role/warden/i-0abc is not authorized to perform: organizations:ListParents'));
    const result = await (await gate()).review({ draft: draft(), account: payments, requester: ana, now: NOW });
    expect(result.blockers).toEqual([]);
    expect(result.review.scpNote).toMatch(/^SCPs could not be read, so they were not simulated: AWS Organizations denied access \(AccessDeniedException\)\..*WARDEN_ORG_ROLE_ARN/);
    expect(result.review.scpNote).not.toContain('123456789012');
    // Lines judged without SCPs would read as an all-clear under the card's SCP heading.
    expect(result.review.verdicts).toEqual([]);
    // AWS still enforces the SCPs at use: an unread SCP does not raise the risk (see RequestPolicyGate).
    expect(result.scp).toEqual({ deniedPairs: 0, deniedWrites: [] });
  });

  it('a malformed SCP in Organizations: the note names the policy id', async () => {
    organizations.on(ListParentsCommand, { ChildId: PAYMENTS }).resolves({ Parents: [{ Id: 'ou-a1b2-prod0001', Type: 'ORGANIZATIONAL_UNIT' }] });
    organizations.on(DescribePolicyCommand, { PolicyId: POLICY_IDS['deny-writes-in-prod'] }).resolves({ Policy: { Content: '{"Statement": "everything"}' } });
    const result = await (await gate()).review({ draft: draft(), account: payments, requester: ana, now: NOW });
    expect(result.review.scpNote).toMatch(/SCP p-denywrite1 \(deny-writes-in-prod\) in AWS Organizations is not a policy document/);
  });
});

describe('the approval card with SCPs from AWS Organizations', () => {
  let deps: TestDeps;

  beforeEach(async () => {
    deps = await makeAccessDeps();
    // The same gate main.ts builds in AWS mode: the example guardrails, SCPs from Organizations.
    const loaded = await loadPolicyGate({ configDir: 'examples', scpSource: source(deps.clock) }, org, catalog);
    deps.policyGate = loaded.gate;
    expect(loaded.sources).toContain('scps=aws-organizations,cache=900s');
  });

  afterEach(async () => {
    await deps.store.close();
  });

  async function approvalCardText(d: PermissionDraft): Promise<string> {
    const { requestId } = await presentDraftResult(deps, 'ana', { platform: 'slack', channel: 'D0ANA', threadTs: '1700000000.000001' }, { kind: 'draft', draft: d }, null);
    expect(requestId).toBeDefined();
    await submitDraft(deps, requestId!, 'ana');
    const card = deps.notifier.posts.find((p) => p.ref.purpose === 'approval');
    expect(card).toBeDefined();
    return JSON.stringify(renderBlocks(card!.card).blocks);
  }

  it('shows the Organizations-sourced verdict in the Slack blocks', async () => {
    const text = await approvalCardText(draft());
    expect(text).toContain('Organization SCPs (simulated)');
    expect(text).toMatch(/s3:PutObject on arn:aws:s3:::billing-reports\/\* — denied by SCP `deny-writes-in-prod`, statement `DenyWrites`, attached to OU Prod/);
  });

  it('shows why SCPs could not be read when Organizations refuses', async () => {
    organizations.on(ListParentsCommand).rejects(awsError('AccessDeniedException', 'not authorized'));
    const text = await approvalCardText(draft({ accessLevel: 'Read', statements: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::billing-reports/*'] }] }));
    expect(text).toMatch(/Organization SCPs:.*SCPs could not be read, so they were not simulated: AWS Organizations denied access \(AccessDeniedException\)/);
    expect(text).not.toContain('Organization SCPs (simulated)');
  });
});
