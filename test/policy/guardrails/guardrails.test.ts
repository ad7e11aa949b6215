import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PermissionDraft } from '../../../src/access/types.js';
import { ConfigError } from '../../../src/config/config-error.js';
import { parseOrg } from '../../../src/config/load-policy-files.js';
import type { Account } from '../../../src/config/schemas.js';
import { IamCatalog } from '../../../src/policy/catalog.js';
import {
  applyGuardrails,
  defaultGuardrails,
  loadGuardrails,
  namesEveryResource,
  parseGuardrails,
  withInjectedConditions,
  type GuardedStatement,
  type Guardrails,
} from '../../../src/policy/guardrails/index.js';
import { expandActionPattern, isActionPattern } from '../../../src/policy/lint/index.js';

const catalog = new IamCatalog();
const org = parseOrg(readFileSync('examples/org.yaml', 'utf8'), 'examples/org.yaml');
const PROD: Account = { id: '111111111111', name: 'payments-prod', environment: 'prod', region: 'eu-west-1' };
const SANDBOX: Account = { id: '222222222222', name: 'sandbox', environment: 'dev', region: 'us-east-1' };
const EXPIRES = new Date('2025-01-06T11:00:00Z');
const OBJECTS = 'arn:aws:s3:::billing-reports/*';

function configError(text: string): ConfigError {
  try {
    parseGuardrails(text, 'guardrails.yaml', org);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`expected a ConfigError for:\n${text}`);
}

describe('guardrails file', () => {
  it('loads the example, checked against the example org', async () => {
    const guardrails = await loadGuardrails('examples/guardrails.yaml', org);
    expect(guardrails.deniedActions[0]?.actions).toContain('iam:*');
    expect(guardrails.durations).toEqual({ defaultMinutes: 120, maxMinutes: 480, byAccessLevel: { Write: 240, 'Permissions management': 60 }, byEnvironment: { prod: 240 } });
    expect(guardrails.requiredConditions).toEqual({ expiry: true, regionRestriction: true, mfa: ['prod'] });
  });

  it('an empty object means the built-in defaults', () => {
    expect(parseGuardrails('{}', 'guardrails.json')).toEqual(defaultGuardrails());
    expect(defaultGuardrails().durations.maxMinutes).toBe(480);
  });

  it.each([
    ['a typo in a field, with the line and a suggestion', 'durations:\n  maxMinute: 60\n', { path: 'durations.maxMinute', line: 2, message: expect.stringContaining('did you mean "maxMinutes"?') }],
    ['an unknown access level', 'durations:\n  byAccessLevel:\n    Writ: 30\n', { path: 'durations.byAccessLevel.Writ', line: 3, message: expect.stringContaining('did you mean "Write"?') }],
    ['a duration that is not a number', 'durations:\n  maxMinutes: two hours\n', { path: 'durations.maxMinutes', line: 2, message: expect.stringContaining('expected a number') }],
    ['turning the expiry off', 'requiredConditions:\n  expiry: false\n', { path: 'requiredConditions.expiry', message: expect.stringContaining('cannot be turned off') }],
    ['a default longer than the maximum', 'durations:\n  defaultMinutes: 600\n  maxMinutes: 480\n', { path: 'durations.defaultMinutes', line: 2, message: expect.stringContaining('longer than durations.maxMinutes') }],
    ['a per-level ceiling above the maximum', 'durations:\n  maxMinutes: 60\n  defaultMinutes: 30\n  byEnvironment:\n    prod: 120\n', { path: 'durations.byEnvironment.prod', line: 5, message: expect.stringContaining('changes nothing') }],
    ['an account the org does not have', 'allowedAccounts: [paymnts-prod]\n', { path: 'allowedAccounts[0]', message: expect.stringContaining('did you mean "payments-prod"?') }],
    ['an action pattern IAM cannot read', 'deniedActions:\n  - actions: [iam]\n    reason: no\n    wayOut: ask\n', { path: 'deniedActions[0].actions[0]', line: 2, message: expect.stringContaining('"iam:*"') }],
    ['a denied action without its way out', 'deniedActions:\n  - actions: ["iam:*"]\n    reason: no\n', { path: 'deniedActions[0].wayOut', message: expect.stringContaining('required') }],
    ['a region that is not one', 'allowedRegions: [europe]\n', { path: 'allowedRegions[0]', message: expect.stringContaining('"eu-west-1"') }],
    [
      'a resource rule that is not an ARN',
      'resources:\n  rules:\n    - name: logs\n      resources: [audit-logs]\n      reason: r\n      wayOut: w\n',
      { path: 'resources.rules[0].resources[0]', line: 4, message: expect.stringContaining('not an ARN pattern') },
    ],
  ])('refuses %s, naming the field', (_name, text, issue) => {
    expect(configError(text).issues).toContainEqual(expect.objectContaining(issue));
  });

  it('says so for an empty file', () => {
    expect(configError('').issues[0]?.message).toContain('the file is empty');
  });
});

/** The statements as the pipeline hands them to applyGuardrails: each action with its catalog facts. */
async function statements(...specs: { actions: string[]; resources: string[] }[]): Promise<GuardedStatement[]> {
  return Promise.all(
    specs.map(async (spec, i) => ({
      sid: `WardenGrant${i + 1}`,
      resources: spec.resources,
      actions: await Promise.all(
        spec.actions.map(async (written) => {
          const expansion = isActionPattern(written) ? await expandActionPattern(written, catalog) : { actions: [written], everyService: false };
          const facts = await Promise.all(expansion.actions.map((id) => catalog.action(id)));
          return {
            written,
            everyService: expansion.everyService,
            expanded: facts.flatMap((a) => (a ? [{ id: a.id, levels: a.accessLevels, level: a.level, wildcardOnly: a.isWildcardOnly }] : [])),
          };
        }),
      ),
    })),
  );
}

function draft(overrides: Partial<PermissionDraft> = {}): Pick<PermissionDraft, 'accessLevel' | 'durationMinutes' | 'justification'> {
  return { accessLevel: 'Read', durationMinutes: 60, justification: 'debug the export job, INC-1234', ...overrides };
}

const example = (): Promise<Guardrails> => loadGuardrails('examples/guardrails.yaml', org);

describe('applyGuardrails: hard refusals come with the rule and the way out', () => {
  it('refuses iam:* in the words of the rule', async () => {
    const result = applyGuardrails({ draft: draft(), account: SANDBOX, statements: await statements({ actions: ['iam:*'], resources: ['*'] }), expiresAt: EXPIRES }, await example());
    expect(result.refusals.find((r) => r.code === 'denied-action')).toEqual({
      code: 'denied-action',
      rule: 'deniedActions[0]',
      action: 'iam:*',
      message: "`iam:*` is never granted through chat: identity and organization changes go through the platform team's reviewed pipeline. Ask the platform team in #platform.",
      wayOut: 'ask the platform team in #platform',
    });
  });

  it('catches denied actions by any spelling, and patterns that could reach them', async () => {
    const guardrails = await example();
    const run = async (action: string, resource = '*') =>
      applyGuardrails({ draft: draft({ accessLevel: 'Permissions management' }), account: SANDBOX, statements: await statements({ actions: [action], resources: [resource] }), expiresAt: EXPIRES }, guardrails).refusals.filter((r) => r.code === 'denied-action');
    expect(await run('IAM:CreateAccessKey', 'arn:aws:iam::222222222222:user/ana')).toHaveLength(1);
    expect((await run('s3:Put*', 'arn:aws:s3:::billing-reports')).map((r) => r.rule)).toEqual(['deniedActions[2]']);
    expect((await run('*')).map((r) => r.rule)).toEqual(['deniedActions[0]', 'deniedActions[1]', 'deniedActions[2]']);
    expect(await run('s3:GetObject', OBJECTS)).toEqual([]);
  });

  it('refuses accounts and regions outside the allowed ones', async () => {
    const guardrails = { ...(await example()), allowedAccounts: ['sandbox'] };
    const result = applyGuardrails(
      { draft: draft(), account: PROD, statements: await statements({ actions: ['dynamodb:GetItem'], resources: ['arn:aws:dynamodb:ap-south-1:111111111111:table/orders'] }), expiresAt: EXPIRES },
      guardrails,
    );
    expect(result.refusals.map((r) => [r.code, r.rule])).toEqual([
      ['account-not-allowed', 'allowedAccounts'],
      ['region-not-allowed', 'allowedRegions'],
    ]);
    expect(result.refusals[1]?.message).toContain('access is granted in eu-west-1, eu-central-1 or us-east-1 only');
  });

  it('caps the duration by the lowest ceiling that applies, and refuses impossible ones', async () => {
    const guardrails = await example();
    const run = async (durationMinutes: number, accessLevel: PermissionDraft['accessLevel'], account: Account, actions = ['s3:GetObject']) =>
      applyGuardrails({ draft: draft({ durationMinutes, accessLevel }), account, statements: await statements({ actions, resources: [OBJECTS] }), expiresAt: EXPIRES }, guardrails);
    expect((await run(300, 'Read', PROD)).refusals).toEqual([expect.objectContaining({ code: 'duration-over-limit', rule: 'durations.byEnvironment.prod' })]);
    expect((await run(300, 'Read', SANDBOX)).refusals).toEqual([]);
    // The level is the highest actually granted, whatever the draft claims.
    expect((await run(300, 'Read', SANDBOX, ['s3:PutObject'])).refusals).toEqual([expect.objectContaining({ rule: 'durations.byAccessLevel.Write' })]);
    expect((await run(10_000_000, 'Read', SANDBOX)).refusals[0]?.message).toBe(
      '166666 hours 40 min is longer than the 8 hours allowed for Read access to sandbox. Ask for 8 hours or less, and extend later if you need to.',
    );
    expect((await run(-5, 'Read', SANDBOX)).refusals[0]?.code).toBe('invalid-duration');
    expect((await run(Number.NaN, 'Read', SANDBOX)).refusals[0]?.code).toBe('invalid-duration');
    expect((await run(180, 'Read', SANDBOX)).soft.map((s) => s.code)).toEqual(['stronger-justification']);
  });

  it('refuses "*" for actions that can name resources, and protected resources', async () => {
    const guardrails = await example();
    const wildcard = applyGuardrails({ draft: draft(), account: SANDBOX, statements: await statements({ actions: ['s3:GetObject', 's3:ListAllMyBuckets'], resources: ['*'] }), expiresAt: EXPIRES }, guardrails);
    expect(wildcard.refusals.map((r) => r.code)).toEqual(['wildcard-resource']);
    const onlyWildcardOnly = applyGuardrails({ draft: draft(), account: SANDBOX, statements: await statements({ actions: ['s3:ListAllMyBuckets'], resources: ['*'] }), expiresAt: EXPIRES }, guardrails);
    expect(onlyWildcardOnly.refusals).toEqual([]);
    const audit = applyGuardrails({ draft: draft({ accessLevel: 'Write' }), account: SANDBOX, statements: await statements({ actions: ['s3:DeleteObject'], resources: ['arn:aws:s3:::payments-audit-logs/2025/*'] }), expiresAt: EXPIRES }, guardrails);
    expect(audit.refusals).toEqual([expect.objectContaining({ code: 'protected-resource', rule: 'resources.rules[0] (audit-logs)', message: expect.stringContaining('Ask the security team in #security') })]);
    const elsewhere = applyGuardrails({ draft: draft({ accessLevel: 'Write' }), account: SANDBOX, statements: await statements({ actions: ['s3:DeleteObject'], resources: [OBJECTS] }), expiresAt: EXPIRES }, guardrails);
    expect(elsewhere.refusals).toEqual([]);
    const anyBucket = applyGuardrails({ draft: draft({ accessLevel: 'Write' }), account: SANDBOX, statements: await statements({ actions: ['s3:DeleteObject'], resources: ['arn:aws:s3:::*/2025/*'] }), expiresAt: EXPIRES }, guardrails);
    expect(anyBucket.refusals.map((r) => r.code)).toEqual(['wildcard-resource', 'protected-resource']);
  });

  it('counts an ARN whose name is only wildcards as "*"', () => {
    for (const broad of ['*', 'arn:aws:s3:::*/*', 'arn:aws:s3:::*', 'arn:aws:dynamodb:eu-west-1:111111111111:table/*', 'arn:aws:lambda:eu-west-1:111111111111:function:*']) {
      expect(namesEveryResource(broad), broad).toBe(true);
    }
    for (const named of [OBJECTS, 'arn:aws:dynamodb:eu-west-1:111111111111:table/orders', 'arn:aws:dynamodb:eu-west-1:111111111111:table/orders-*', 'arn:aws:iam::111111111111:role/ana']) {
      expect(namesEveryResource(named), named).toBe(false);
    }
  });

  it('refuses wildcard actions, or lets a second approver decide when configured so', async () => {
    const base = await example();
    const input = { draft: draft(), account: SANDBOX, statements: await statements({ actions: ['s3:GetObjectT*'], resources: [OBJECTS] }), expiresAt: EXPIRES };
    expect(applyGuardrails(input, base).refusals.map((r) => r.code)).toEqual(['wildcard-action']);
    const lenient = applyGuardrails(input, { ...base, actions: { wildcards: 'second-approver' } });
    expect(lenient).toMatchObject({ refusals: [], needsSecondApprover: true });
  });
});

describe('applyGuardrails: soft findings', () => {
  it('asks for a second approver for prod writes, deletes and permissions management', async () => {
    const guardrails = await example();
    const prodWrite = applyGuardrails({ draft: draft({ accessLevel: 'Write' }), account: PROD, statements: await statements({ actions: ['s3:PutObject'], resources: [OBJECTS] }), expiresAt: EXPIRES }, guardrails);
    expect(prodWrite.soft).toEqual([{ code: 'second-approver', rule: 'secondApprover', message: 'A second approver must agree: s3:PutObject changes prod resources.' }]);
    const devDelete = applyGuardrails({ draft: draft({ accessLevel: 'Write' }), account: SANDBOX, statements: await statements({ actions: ['s3:DeleteObject'], resources: [OBJECTS] }), expiresAt: EXPIRES }, guardrails);
    expect(devDelete.soft[0]?.message).toContain('`s3:DeleteObject` matches "*:Delete*"');
    const devRead = applyGuardrails({ draft: draft(), account: SANDBOX, statements: await statements({ actions: ['s3:GetObject'], resources: [OBJECTS] }), expiresAt: EXPIRES }, guardrails);
    expect(devRead).toMatchObject({ soft: [], needsSecondApprover: false });
  });

  it('asks for a stronger justification, and points out actions the justification names but the policy does not grant', async () => {
    const result = applyGuardrails(
      { draft: draft({ justification: 'pls also add iam:CreateUser + s3:*' }), account: SANDBOX, statements: await statements({ actions: ['s3:GetObject'], resources: [OBJECTS] }), expiresAt: EXPIRES },
      await example(),
    );
    expect(result.soft.map((s) => s.code)).toEqual(['justification-mentions-actions']);
    expect(result.soft[0]?.message).toContain('names iam:CreateUser or s3:*, which this request does not grant');
    const short = applyGuardrails({ draft: draft({ justification: 'need it' }), account: SANDBOX, statements: await statements({ actions: ['s3:GetObject'], resources: [OBJECTS] }), expiresAt: EXPIRES }, await example());
    expect(short).toMatchObject({ needsStrongerJustification: true, soft: [{ rule: 'justification.minLength' }] });
  });
});

describe('conditions to inject', () => {
  it('always the expiry; the region on regional statements only; MFA where the environment needs it', async () => {
    const guardrails = await example();
    const specs = await statements({ actions: ['s3:GetObject'], resources: [OBJECTS] }, { actions: ['sts:GetCallerIdentity'], resources: ['*'] });
    const prod = applyGuardrails({ draft: draft(), account: PROD, statements: specs, expiresAt: EXPIRES }, guardrails);
    expect(prod.inject).toEqual([
      { operator: 'DateLessThan', key: 'aws:CurrentTime', values: ['2025-01-06T11:00:00Z'], reason: 'the access stops at expiry even if revocation fails' },
      { operator: 'StringEquals', key: 'aws:RequestedRegion', values: ['eu-west-1', 'eu-central-1', 'us-east-1'], reason: 'only in eu-west-1, eu-central-1 or us-east-1', statements: ['WardenGrant1'] },
      { operator: 'Bool', key: 'aws:MultiFactorAuthPresent', values: ['true'], reason: 'prod access needs MFA' },
    ]);
    const dev = applyGuardrails({ draft: draft(), account: SANDBOX, statements: specs, expiresAt: EXPIRES }, { ...guardrails, requiredConditions: { ...guardrails.requiredConditions, sourceVpc: { environments: ['dev'], vpcs: ['vpc-0a1b2c3d'] } } });
    expect(dev.inject.map((c) => c.key)).toEqual(['aws:CurrentTime', 'aws:RequestedRegion', 'aws:SourceVpc']);
  });

  it('are written into the document, replacing a condition on the same key', () => {
    const document = withInjectedConditions(
      {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'WardenGrant1', Effect: 'Allow', Action: ['s3:GetObject'], Resource: [OBJECTS], Condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } } },
          { Sid: 'WardenGrant2', Effect: 'Allow', Action: ['sts:GetCallerIdentity'], Resource: ['*'] },
        ],
      },
      [
        { operator: 'DateLessThan', key: 'aws:CurrentTime', values: ['2025-01-06T11:00:00Z'], reason: 'expiry' },
        { operator: 'StringEquals', key: 'aws:RequestedRegion', values: ['eu-west-1', 'eu-central-1'], reason: 'region', statements: ['WardenGrant1'] },
      ],
    );
    expect(document.Statement.map((s) => s.Condition)).toEqual([
      { DateLessThan: { 'aws:CurrentTime': '2025-01-06T11:00:00Z' }, StringEquals: { 'aws:RequestedRegion': ['eu-west-1', 'eu-central-1'] } },
      { DateLessThan: { 'aws:CurrentTime': '2025-01-06T11:00:00Z' } },
    ]);
  });
});
