import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ENDED_STATUSES, MAX_RECEIVE_COUNT, VISIBILITY_TIMEOUT_SECONDS } from '../../infra/scan-events.js';
import { ScanEventsStack } from '../../infra/scan-events-stack.js';
import { readScanEventsSettings, SettingsError, type BotRoleRef } from '../../infra/settings.js';
import { ENDED_STATUSES as READER_ENDED_STATUSES, readScanEvent } from '../../src/scans/events/execution-event.js';

const STATE_MACHINE = 'arn:aws:states:eu-west-1:111111111111:stateMachine:warden-scan';

function synth(botRole: BotRoleRef = { name: 'warden-bot' }, scanStateMachineArn = STATE_MACHINE) {
  const stack = new ScanEventsStack(new App(), 'WardenScanEvents', { scanStateMachineArn, botRole });
  return { stack, template: Template.fromStack(stack) };
}

const { stack, template } = synth();
/** The CloudFormation logical id of an L2 construct's resource. */
const logicalId = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const queueId = logicalId(stack.queue);
const deadLetterId = logicalId(stack.deadLetterQueue);
const ruleId = logicalId(stack.rule);
const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

/** EventBridge's matching for the pattern forms the rule uses: each field is a list of exact values, objects nest. */
function matches(pattern: unknown, event: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.includes(event);
  if (!pattern || typeof pattern !== 'object' || !event || typeof event !== 'object') return false;
  return Object.entries(pattern).every(([key, sub]) => matches(sub, (event as Record<string, unknown>)[key]));
}

function statusChange(stateMachineArn: string, status: string) {
  const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:s-1`;
  return { version: '0', source: 'aws.states', 'detail-type': 'Step Functions Execution Status Change', detail: { executionArn, stateMachineArn, status, name: 's-1' } };
}

describe('the scan events stack', () => {
  it('is deployed where the state machine sends its events: its account and region', () => {
    expect(stack.account).toBe('111111111111');
    expect(stack.region).toBe('eu-west-1');
    template.resourceCountIs('AWS::SQS::Queue', 2);
    template.resourceCountIs('AWS::Events::Rule', 1);
    template.resourceCountIs('AWS::IAM::Role', 0);
  });

  it('routes the ends of the scan state machine’s executions, and nothing else, to the queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      State: 'ENABLED',
      EventPattern: Match.exact({
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { stateMachineArn: [STATE_MACHINE], status: ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] },
      }),
      Targets: [
        Match.objectLike({
          Arn: arnOf(queueId),
          // Delivery failures land in the dead-letter queue too, not nowhere.
          DeadLetterConfig: { Arn: arnOf(deadLetterId) },
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
        }),
      ],
    });
    template.hasOutput('ScanEventsQueueUrl', { Value: { Ref: queueId } });
  });

  it('lets through what the bot reads as an ended execution of its state machine, and nothing else', () => {
    const pattern = template.findResources('AWS::Events::Rule')[ruleId]!['Properties'].EventPattern as unknown;
    for (const status of ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']) {
      const event = statusChange(STATE_MACHINE, status);
      expect(matches(pattern, event)).toBe(true);
      expect(readScanEvent(JSON.stringify(event), STATE_MACHINE)).toMatchObject({ kind: 'ended', status });
    }
    for (const status of ['RUNNING', 'PENDING_REDRIVE']) {
      expect(matches(pattern, statusChange(STATE_MACHINE, status))).toBe(false);
      expect(readScanEvent(JSON.stringify(statusChange(STATE_MACHINE, status)), STATE_MACHINE)).toMatchObject({ kind: 'not-ended' });
    }
    expect(matches(pattern, statusChange('arn:aws:states:eu-west-1:111111111111:stateMachine:billing-export', 'SUCCEEDED'))).toBe(false);
    expect([...ENDED_STATUSES]).toEqual([...READER_ENDED_STATUSES]);
  });

  it('keeps messages as the bot handles them, encrypted, and moves one handled unsuccessfully to the dead-letter queue', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      MessageRetentionPeriod: 2 * 86_400,
      VisibilityTimeout: VISIBILITY_TIMEOUT_SECONDS,
      ReceiveMessageWaitTimeSeconds: 20,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: arnOf(deadLetterId), maxReceiveCount: MAX_RECEIVE_COUNT },
    });
    expect(template.findResources('AWS::SQS::Queue')[deadLetterId]!['Properties']).toEqual({ MessageRetentionPeriod: 14 * 86_400, SqsManagedSseEnabled: true });
  });

  it('lets only the rule write to the queues', () => {
    const ruleOnly = { ArnEquals: { 'aws:SourceArn': arnOf(ruleId) } };
    for (const [queue, actions] of [
      [queueId, ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl']],
      [deadLetterId, 'sqs:SendMessage'],
    ] as const) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queue }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: actions, Resource: arnOf(queue), Condition: ruleOnly }),
          ]),
        },
      });
    }
    // Every Allow in the queue policies is for EventBridge, on condition of this rule; the Denys refuse plain HTTP.
    for (const policy of Object.values(template.findResources('AWS::SQS::QueuePolicy'))) {
      const statements = policy['Properties'].PolicyDocument.Statement as Record<string, unknown>[];
      for (const statement of statements) {
        if (statement['Effect'] === 'Allow') expect(statement).toMatchObject({ Principal: { Service: 'events.amazonaws.com' }, Condition: ruleOnly });
        else expect(statement).toMatchObject({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
      }
    }
  });

  it('gives the bot role receive and delete on the events queue only', () => {
    template.resourceCountIs('AWS::IAM::Policy', 1);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: ['warden-bot'],
      PolicyDocument: {
        Statement: [{ Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'], Resource: arnOf(queueId) }],
      },
    });
  });

  it('imports the bot role by ARN too, with a path', () => {
    const byArn = synth({ arn: 'arn:aws:iam::111111111111:role/service/warden-bot' }).template;
    byArn.hasResourceProperties('AWS::IAM::Policy', {
      Roles: ['warden-bot'],
      PolicyDocument: { Statement: [Match.objectLike({ Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'] })] },
    });
  });

  it('synthesizes to JSON CloudFormation accepts in size (51,200 bytes for a template in the request body)', () => {
    expect(JSON.stringify(template.toJSON()).length).toBeLessThan(51_200);
  });
});

describe('the CDK app’s settings', () => {
  const noContext = () => undefined;
  const problemsOf = (run: () => unknown): string[] => {
    try {
      run();
    } catch (error) {
      if (error instanceof SettingsError) return error.problems;
      throw error;
    }
    throw new Error('expected a SettingsError');
  };

  it('reads context first, then the environment', () => {
    const context = (key: string) => ({ scanStateMachineArn: STATE_MACHINE, botRoleName: 'from-context' })[key];
    expect(readScanEventsSettings(context, { WARDEN_BOT_ROLE_NAME: 'from-env' })).toEqual({ scanStateMachineArn: STATE_MACHINE, botRole: { name: 'from-context' } });
    expect(
      readScanEventsSettings(noContext, { WARDEN_SCAN_STATE_MACHINE_ARN: STATE_MACHINE, WARDEN_BOT_ROLE_ARN: 'arn:aws:iam::111111111111:role/warden-bot' }),
    ).toEqual({ scanStateMachineArn: STATE_MACHINE, botRole: { arn: 'arn:aws:iam::111111111111:role/warden-bot' } });
  });

  it('says what is missing and how to give it, all at once', () => {
    const problems = problemsOf(() => readScanEventsSettings(noContext, { WARDEN_SCAN_STATE_MACHINE_ARN: '  ' }));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/state machine's ARN is missing: .*-c scanStateMachineArn=.*WARDEN_SCAN_STATE_MACHINE_ARN/);
    expect(problems[1]).toMatch(/role the bot runs as is missing: .*-c botRoleName=.*WARDEN_BOT_ROLE_NAME.*botRoleArn/);
    expect(() => readScanEventsSettings(noContext, {})).toThrow(/cannot be synthesized:\n {2}- /);
  });

  it('refuses malformed values and a role given twice', () => {
    expect(problemsOf(() => readScanEventsSettings(noContext, { WARDEN_SCAN_STATE_MACHINE_ARN: 'warden-scan', WARDEN_BOT_ROLE_NAME: 'a/b' }))).toEqual([
      expect.stringMatching(/^scanStateMachineArn must be a Step Functions state machine ARN/),
      expect.stringMatching(/^botRoleName must be an IAM role name/),
    ]);
    expect(
      problemsOf(() =>
        readScanEventsSettings(noContext, { WARDEN_SCAN_STATE_MACHINE_ARN: STATE_MACHINE, WARDEN_BOT_ROLE_NAME: 'warden-bot', WARDEN_BOT_ROLE_ARN: 'arn:aws:iam::111111111111:role/warden-bot' }),
      ),
    ).toEqual([expect.stringMatching(/not both/)]);
    expect(problemsOf(() => readScanEventsSettings(noContext, { WARDEN_SCAN_STATE_MACHINE_ARN: STATE_MACHINE, WARDEN_BOT_ROLE_ARN: 'warden-bot' }))).toEqual([
      expect.stringMatching(/^botRoleArn must be an IAM role ARN/),
    ]);
  });
});

describe('the CDK app', () => {
  const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
  const app = fileURLToPath(new URL('../../infra/app.ts', import.meta.url));

  /** Runs infra/app.ts as the CDK CLI does: context in CDK_CONTEXT_JSON, the output directory in CDK_OUTDIR. */
  function run(context: Record<string, string>) {
    const outdir = mkdtempSync(join(tmpdir(), 'warden-cdk-'));
    const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], HOME: process.env['HOME'], CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(context) };
    const result = spawnSync(tsx, [app], { env, encoding: 'utf8', timeout: 60_000 });
    try {
      const file = join(outdir, 'WardenScanEvents.template.json');
      return { status: result.status, stderr: result.stderr, template: existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : undefined };
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }

  it('synthesizes the stack from context, without AWS', () => {
    const { status, template: synthesized } = run({ scanStateMachineArn: STATE_MACHINE, botRoleName: 'warden-bot' });
    expect(status).toBe(0);
    expect(synthesized).toMatchObject({ Outputs: { ScanEventsQueueUrl: { Value: { Ref: queueId } } } });
  }, 60_000);

  it('stops with what to give when a setting is missing', () => {
    const { status, stderr, template: synthesized } = run({ scanStateMachineArn: STATE_MACHINE });
    expect(status).toBe(1);
    expect(stderr).toContain('the role the bot runs as is missing');
    expect(synthesized).toBeUndefined();
  }, 60_000);
});
