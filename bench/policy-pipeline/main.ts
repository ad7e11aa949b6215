/**
 * bench/policy-pipeline: lint + guardrails + SCP evaluation for a 10-action draft against 20 SCPs
 * along a root → OU → OU → account path, per request, beside @cloud-copilot/iam-simulate (AGPL, a
 * dev-only oracle: imported here, never from src/) evaluating the same document, SCPs and context.
 *
 * `npm run bench -- policy-pipeline`; BENCH_ITERATIONS changes the sample size (default 300).
 * Target (issue 4): median under 5 ms, and faster than the oracle.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { PermissionDraft } from '../../src/access/types.js';
import type { Account } from '../../src/config/schemas.js';
import { IamCatalog } from '../../src/policy/catalog.js';
import { compilePolicy, createRequestContext, evaluateAccess, principalContext, type PolicyDocument, type ScpLevel } from '../../src/policy/evaluate/index.js';
import { loadGuardrails, requestedRegion } from '../../src/policy/guardrails/index.js';
import { evaluateRequestPolicy } from '../../src/policy/pipeline.js';
import { loadScpTree } from '../../src/policy/scp/load.js';
import type { OrgScpTree, ScpPolicy } from '../../src/policy/scp/tree.js';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 300);
const WARMUP = 30;
const ACCOUNT: Account = { id: '111111111111', name: 'payments-prod', environment: 'prod', region: 'eu-west-1' };
const NOW = new Date('2025-01-06T09:00:00Z');
const PRINCIPAL = { principalArn: 'arn:aws:iam::111111111111:role/ana', mfa: true, principalTags: { team: 'payments' } };

/** Ten actions over five services, as a Write request in prod would draft them. */
const DRAFT: PermissionDraft = {
  accountId: ACCOUNT.id,
  accountName: ACCOUNT.name,
  accessLevel: 'Write',
  durationMinutes: 120,
  justification: 'replay the failed billing export for January, INC-4711',
  broad: false,
  notes: [],
  statements: [
    { actions: ['s3:GetObject', 's3:PutObject'], resources: ['arn:aws:s3:::billing-reports/2025/*'] },
    { actions: ['s3:ListBucket'], resources: ['arn:aws:s3:::billing-reports'] },
    { actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'], resources: ['arn:aws:dynamodb:eu-west-1:111111111111:table/exports'] },
    { actions: ['lambda:InvokeFunction', 'lambda:GetFunctionConfiguration'], resources: ['arn:aws:lambda:eu-west-1:111111111111:function:billing-export'] },
    { actions: ['sqs:SendMessage'], resources: ['arn:aws:sqs:eu-west-1:111111111111:billing-export-jobs'] },
    { actions: ['logs:GetLogEvents'], resources: ['arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/billing-export:log-stream:*'] },
  ],
};

/** Thirteen more SCPs of the kinds organizations run: with the example's seven, 20 distinct SCPs on the path. */
function extraScps(): { name: string; level: number; document: PolicyDocument }[] {
  const deny = (sid: string, actions: string[], condition?: Record<string, Record<string, string | string[]>>): PolicyDocument => ({
    Version: '2012-10-17',
    Statement: [{ Sid: sid, Effect: 'Deny', Action: actions, Resource: '*', ...(condition ? { Condition: condition } : {}) }],
  });
  return [
    { name: 'deny-unencrypted-uploads', level: 1, document: deny('DenyUnencrypted', ['s3:PutObject'], { Null: { 's3:x-amz-server-side-encryption': 'true' }, StringNotEquals: { 'aws:PrincipalTag/team': 'platform' } }) },
    { name: 'deny-public-sharing', level: 1, document: deny('DenyPublicSharing', ['s3:PutBucketPublicAccessBlock', 's3:PutAccountPublicAccessBlock', 'ram:CreateResourceShare']) },
    { name: 'deny-ec2-large', level: 2, document: deny('DenyLargeInstances', ['ec2:RunInstances'], { 'ForAnyValue:StringNotLike': { 'ec2:InstanceType': ['t3.*', 'm6i.large'] } }) },
    { name: 'deny-vpc-changes', level: 2, document: deny('DenyNetworkChanges', ['ec2:CreateVpc', 'ec2:DeleteVpc', 'ec2:CreateInternetGateway', 'ec2:AttachInternetGateway', 'ec2:CreateVpcPeeringConnection']) },
    { name: 'require-tags', level: 2, document: deny('RequireOwnerTag', ['ec2:RunInstances', 'rds:CreateDBInstance', 'dynamodb:CreateTable'], { Null: { 'aws:RequestTag/owner': 'true' } }) },
    { name: 'deny-kms-deletion', level: 1, document: deny('DenyKeyDeletion', ['kms:ScheduleKeyDeletion', 'kms:DisableKey']) },
    { name: 'deny-outside-office-hours-deletes', level: 3, document: deny('DenyNightDeletes', ['dynamodb:DeleteTable', 's3:DeleteBucket'], { DateGreaterThan: { 'aws:CurrentTime': '2025-01-06T18:00:00Z' } }) },
    { name: 'deny-non-corporate-ip', level: 3, document: deny('DenyOffNetwork', ['dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'], { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.0.2.0/24'] }, Bool: { 'aws:ViaAWSService': 'false' } }) },
    { name: 'deny-lambda-public-urls', level: 3, document: deny('DenyFunctionUrls', ['lambda:CreateFunctionUrlConfig', 'lambda:UpdateFunctionUrlConfig']) },
    { name: 'protect-warden-role', level: 1, document: deny('ProtectWarden', ['iam:*'], { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/platform-*' } }) },
    { name: 'deny-marketplace', level: 0, document: deny('DenyMarketplace', ['aws-marketplace:*']) },
    { name: 'deny-billing-changes', level: 0, document: deny('DenyBillingChanges', ['account:CloseAccount', 'account:PutAlternateContact', 'budgets:ModifyBudget']) },
    { name: 'protect-object-lock', level: 2, document: deny('ProtectObjectLock', ['s3:BypassGovernanceRetention', 's3:PutObjectRetention', 's3:PutObjectLegalHold'], { ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/records-*'] } }) },
  ];
}

/** The example tree with the extra SCPs attached along payments-prod's path: 20 in all. */
async function treeWith20Scps(): Promise<OrgScpTree> {
  const tree = await loadScpTree('examples/scps');
  const policies = new Map<string, ScpPolicy>(tree.policies);
  const prodPath = [tree.root, tree.root.children[0], tree.root.children[0]?.children[0]];
  for (const extra of extraScps()) {
    policies.set(extra.name, { name: extra.name, source: 'bench', document: extra.document, compiled: compilePolicy(extra.name, extra.document) });
    const unit = extra.level < 3 ? prodPath[extra.level] : undefined;
    if (unit) unit.policies.push(extra.name);
    else prodPath[2]?.accounts.find((a) => a.id === ACCOUNT.id)?.policies.push(extra.name);
  }
  return { ...tree, policies };
}

function stats(samples: number[]): { median: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { median: at(0.5), p99: at(0.99) };
}

const ms = (n: number) => `${n.toFixed(2)} ms`;

const catalog = new IamCatalog();
const [guardrails, scps] = await Promise.all([loadGuardrails('examples/guardrails.yaml'), treeWith20Scps()]);
const input = { draft: DRAFT, account: ACCOUNT, principal: PRINCIPAL, now: NOW, scps, guardrails, catalog };

const first = await evaluateRequestPolicy(input);
const attached = [...new Set(scpsOnPath(scps).flatMap((l) => l.policies.map((p) => p.name)))];
console.log(`draft: ${DRAFT.statements.flatMap((s) => s.actions).length} actions, ${first.verdicts.length} action/resource pairs; SCPs on the path: ${attached.length} distinct, ${scpsOnPath(scps).reduce((n, l) => n + l.policies.length, 0)} attachments over ${scpsOnPath(scps).length} levels`);
console.log(`verdicts: ${first.summary.allowed} allowed, ${first.summary.explicitDeny} explicitly denied, ${first.summary.implicitDeny} implicitly denied; outcome ${first.outcome}`);

// Ours: the whole pipeline per request (lint + guardrails + evaluation + allowed-if).
const ours: number[] = [];
for (let i = 0; i < WARMUP + ITERATIONS; i++) {
  const start = performance.now();
  await evaluateRequestPolicy(input);
  if (i >= WARMUP) ours.push(performance.now() - start);
}

// The same pairs, document and context through evaluateAccess only, and through iam-simulate.
const levels = scpsOnPath(scps);
const identity = compilePolicy('warden-grant', first.document);
const base = principalContext({ ...PRINCIPAL, time: NOW });
const pairs = first.verdicts.map((v) => {
  const values: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(base)) if (value !== undefined) values[key] = value instanceof Date ? value.toISOString().replace(/\.\d{3}Z$/, 'Z') : Array.isArray(value) ? [...value] : String(value);
  values['aws:RequestedRegion'] = requestedRegion(v.action, v.resource, ACCOUNT.region);
  return { action: v.action, resource: v.resource, values };
});
const evaluationOnly: number[] = [];
for (let i = 0; i < WARMUP + ITERATIONS; i++) {
  const start = performance.now();
  for (const pair of pairs) evaluateAccess({ identity: [identity], scps: levels }, { action: pair.action, resource: pair.resource, context: createRequestContext(pair.values) });
  if (i >= WARMUP) evaluationOnly.push(performance.now() - start);
}
const oracle: number[] = [];
const oracleDecisions: string[] = [];
for (let i = 0; i < WARMUP + ITERATIONS; i++) {
  const start = performance.now();
  for (const pair of pairs) {
    const result = await runSimulation(
      {
        request: { principal: PRINCIPAL.principalArn, action: pair.action, resource: { resource: pair.resource, accountId: ACCOUNT.id }, contextVariables: pair.values },
        identityPolicies: [{ name: 'warden-grant', policy: first.document }],
        serviceControlPolicies: levels.map((l) => ({ orgIdentifier: l.target.id, policies: l.policies.map((p) => ({ name: p.name, policy: scps.policies.get(p.name)?.document })) })),
        resourceControlPolicies: [],
      },
      {},
    );
    if (i === 0) oracleDecisions.push(result.resultType === 'error' ? 'error' : result.overallResult);
  }
  if (i >= WARMUP) oracle.push(performance.now() - start);
}

const ourStats = stats(ours);
const evalStats = stats(evaluationOnly);
const oracleStats = stats(oracle);
const agree = first.verdicts.every((v, i) => ({ Allowed: 'allowed', ExplicitlyDenied: 'explicit-deny', ImplicitlyDenied: 'implicit-deny' } as Record<string, string>)[oracleDecisions[i] ?? ''] === v.decision);
console.log(`iterations: ${ITERATIONS} (after ${WARMUP} warm-up)`);
console.log(`warden pipeline (lint + guardrails + evaluation + allowed-if): median ${ms(ourStats.median)}, p99 ${ms(ourStats.p99)}`);
console.log(`warden evaluation only:                                     median ${ms(evalStats.median)}, p99 ${ms(evalStats.p99)}`);
console.log(`iam-simulate, same pairs and context:                        median ${ms(oracleStats.median)}, p99 ${ms(oracleStats.p99)}`);
console.log(`ratio iam-simulate / warden pipeline: ${(oracleStats.median / ourStats.median).toFixed(1)}x (median), ${(oracleStats.p99 / ourStats.p99).toFixed(1)}x (p99)`);
console.log(`ratio iam-simulate / warden evaluation: ${(oracleStats.median / evalStats.median).toFixed(1)}x (median)`);
console.log(`verdicts agree with iam-simulate: ${agree ? 'yes' : `NO (${oracleDecisions.join(', ')})`}`);
console.log(`target median < 5 ms: ${ourStats.median < 5 ? 'met' : 'MISSED'}; faster than the oracle: ${ourStats.median < oracleStats.median ? 'yes' : 'NO'}`);

function scpsOnPath(tree: OrgScpTree): ScpLevel[] {
  const root = tree.root;
  const workloads = root.children[0];
  const prod = workloads?.children[0];
  const account = prod?.accounts.find((a) => a.id === ACCOUNT.id);
  if (!workloads || !prod || !account) throw new Error('the example tree changed: payments-prod is not under Workloads/Prod');
  const level = (kind: 'root' | 'ou' | 'account', id: string, name: string, names: string[]): ScpLevel => ({
    target: { kind, id, name },
    policies: names.map((n) => {
      const policy = tree.policies.get(n);
      if (!policy) throw new Error(`missing SCP ${n}`);
      return policy.compiled;
    }),
  });
  return [
    level('root', root.id, root.name, root.policies),
    level('ou', workloads.id, workloads.name, workloads.policies),
    level('ou', prod.id, prod.name, prod.policies),
    level('account', account.id, account.name, account.policies),
  ];
}
