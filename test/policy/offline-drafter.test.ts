import { describe, expect, it } from 'vitest';
import type { DraftResult } from '../../src/access/drafter.js';
import type { AccessLevel, DraftStatement, PermissionDraft } from '../../src/access/types.js';
import type { Org } from '../../src/config/schemas.js';
import { fitsCeiling } from '../../src/policy/access-levels.js';
import { IamCatalog } from '../../src/policy/catalog.js';
import { OfflineDrafter } from '../../src/policy/offline-drafter.js';
import { validateDraft } from '../../src/policy/validate.js';
import { sampleOrg } from '../support/org.js';

const catalog = new IamCatalog();
const defaults = { defaultDurationMinutes: 60, maxDurationMinutes: 480 };
const drafter = new OfflineDrafter({ catalog, org: sampleOrg, defaults });
const oneAccountOrg: Org = { ...sampleOrg, accounts: [sampleOrg.accounts[0]!] };
const oneAccountDrafter = new OfflineDrafter({ catalog, org: oneAccountOrg, defaults });

const PROD = 'arn:aws:{service}:eu-west-1:111111111111';
const SANDBOX = 'arn:aws:{service}:us-east-1:222222222222';
const prod = (service: string, rest: string) => `${PROD.replace('{service}', service)}:${rest}`;
const sandbox = (service: string, rest: string) => `${SANDBOX.replace('{service}', service)}:${rest}`;

function expectDraft(result: DraftResult): PermissionDraft {
  if (result.kind !== 'draft') throw new Error(`expected a draft, got ${JSON.stringify(result)}`);
  return result.draft;
}

function expectQuestions(result: DraftResult): string[] {
  if (result.kind !== 'questions') throw new Error(`expected questions, got ${JSON.stringify(result)}`);
  return result.questions;
}

function expectError(result: DraftResult): string {
  if (result.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(result)}`);
  return result.message;
}

const text = (...messages: string[]) => drafter.fromText({ messages, requesterId: 'U0ANA' });

/** Statements compared without caring about order. */
function normalized(statements: readonly DraftStatement[]) {
  return statements
    .map((s) => ({ actions: [...s.actions].sort(), resources: [...s.resources].sort() }))
    .sort((a, b) => a.actions.join().localeCompare(b.actions.join()));
}

/** Every draft must pass the same checks an AI's draft would. */
async function expectSound(draft: PermissionDraft, level: AccessLevel, service: string) {
  expect(await validateDraft(draft, catalog)).toEqual([]);
  expect(draft.accessLevel).toBe(level);
  for (const statement of draft.statements) {
    for (const action of statement.actions) {
      expect(await catalog.actionExists(action)).toBe(action);
      expect(action.split(':')[0]).toBe(service);
      expect(fitsCeiling((await catalog.action(action))!.level, level)).toBe(true);
    }
  }
  expect(draft.broad).toBe(false);
  expect(draft.notes.length).toBeGreaterThan(0);
}

interface Case {
  request: string;
  service: string;
  level: AccessLevel;
  account?: string;
  minutes?: number;
  statements?: DraftStatement[];
  justification?: string;
}

const CASES: Case[] = [
  // S3
  {
    request: 'upload files to s3://billing-reports/exports/ in sandbox for 30 minutes to re-run the export',
    service: 's3',
    level: 'Write',
    minutes: 30,
    statements: [{ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::billing-reports/exports/*'] }],
    justification: 're-run the export',
  },
  {
    request: 'delete objects in the tmp-uploads bucket in sandbox for 1 hour because the cleanup job failed',
    service: 's3',
    level: 'Write',
    statements: [{ actions: ['s3:DeleteObject'], resources: ['arn:aws:s3:::tmp-uploads/*'] }],
    justification: 'the cleanup job failed',
  },
  {
    request: 'list the audit-logs bucket in payments-prod for 15 minutes',
    service: 's3',
    level: 'List',
    account: 'payments-prod',
    statements: [{ actions: ['s3:ListBucket'], resources: ['arn:aws:s3:::audit-logs'] }],
  },
  {
    request: 'I need to read objects in billing-reports in sandbox for 2 hours to debug the export job',
    service: 's3',
    level: 'Read',
    statements: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::billing-reports/*'] }],
    justification: 'debug the export job',
  },
  { request: 'tag objects in the billing-reports bucket, sandbox, 1h, to fix the lifecycle tags', service: 's3', level: 'Tagging' },
  {
    request: 'read arn:aws:s3:::billing-reports/2024/report.csv in payments-prod for 10 minutes',
    service: 's3',
    level: 'Read',
    statements: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::billing-reports/2024/report.csv'] }],
  },

  // DynamoDB
  {
    request: 'query the orders dynamodb table in sandbox for 30 minutes because a customer reports a missing order',
    service: 'dynamodb',
    level: 'Read',
    account: 'sandbox',
    minutes: 30,
    statements: [
      {
        actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan'],
        resources: [sandbox('dynamodb', 'table/orders')],
      },
    ],
    justification: 'a customer reports a missing order',
  },
  {
    request: 'I need write access to the user-profiles table in payments-prod for 1 hour to backfill missing emails',
    service: 'dynamodb',
    level: 'Write',
    statements: [
      {
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'],
        resources: [prod('dynamodb', 'table/user-profiles')],
      },
    ],
    justification: 'backfill missing emails',
  },
  {
    request: 'query the orders table and its gsi in sandbox for 1 hour',
    service: 'dynamodb',
    level: 'Read',
    statements: [
      { actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem'], resources: [sandbox('dynamodb', 'table/orders')] },
      {
        actions: ['dynamodb:Query', 'dynamodb:Scan'],
        resources: [sandbox('dynamodb', 'table/orders'), sandbox('dynamodb', 'table/orders/index/*')],
      },
    ],
  },
  { request: 'delete items from dynamodb table cart-items in sandbox for 20 minutes to clean test data', service: 'dynamodb', level: 'Write' },
  {
    request: 'list dynamodb tables in sandbox for 10 minutes',
    service: 'dynamodb',
    level: 'List',
    statements: [{ actions: ['dynamodb:ListTables'], resources: ['*'] }],
  },

  // EC2
  {
    request: 'start and stop instance i-0abc123def4567890 in sandbox for 1h to test failover',
    service: 'ec2',
    level: 'Write',
    statements: [
      { actions: ['ec2:StartInstances', 'ec2:StopInstances'], resources: [sandbox('ec2', 'instance/i-0abc123def4567890')] },
    ],
    justification: 'test failover',
  },
  {
    request: 'describe ec2 instances in payments-prod for 30m',
    service: 'ec2',
    level: 'List',
    statements: [{ actions: ['ec2:DescribeInstances', 'ec2:DescribeInstanceStatus'], resources: ['*'] }],
  },
  {
    request: 'read the console output of instance i-0123456789abcdef0 in payments-prod for 1 hour to see why it does not boot',
    service: 'ec2',
    level: 'Read',
    statements: [{ actions: ['ec2:GetConsoleOutput'], resources: [prod('ec2', 'instance/i-0123456789abcdef0')] }],
  },
  { request: 'reboot instance i-0abc123def4567890 in sandbox for 15 minutes, it is stuck', service: 'ec2', level: 'Write' },

  // RDS
  {
    request: 'read the orders-db database logs in payments-prod for 2 hours to investigate slow queries',
    service: 'rds',
    level: 'Read',
    statements: [
      { actions: ['rds:DescribeDBLogFiles', 'rds:DownloadDBLogFilePortion'], resources: [prod('rds', 'db:orders-db')] },
    ],
    justification: 'investigate slow queries',
  },
  { request: 'stop the rds instance reporting-replica in sandbox for 1 hour to save costs', service: 'rds', level: 'Write' },
  {
    request: 'describe database Analytics-DB in payments-prod for 20 minutes',
    service: 'rds',
    level: 'List',
    statements: [{ actions: ['rds:DescribeDBInstances'], resources: [prod('rds', 'db:analytics-db')] }],
  },

  // Lambda
  {
    request: 'invoke the resize-images lambda in sandbox for 30 minutes to test the new thumbnail size',
    service: 'lambda',
    level: 'Write',
    statements: [{ actions: ['lambda:InvokeFunction'], resources: [sandbox('lambda', 'function:resize-images')] }],
    justification: 'test the new thumbnail size',
  },
  { request: 'I need to see the configuration of the checkout-handler function in payments-prod for 1 hour', service: 'lambda', level: 'Read' },
  {
    request: 'deploy new code to the payments-webhook lambda function in sandbox for 45 minutes',
    service: 'lambda',
    level: 'Write',
    statements: [{ actions: ['lambda:UpdateFunctionCode'], resources: [sandbox('lambda', 'function:payments-webhook')] }],
  },
  { request: 'list lambda functions in sandbox for 10 minutes', service: 'lambda', level: 'List' },

  // CloudWatch Logs
  {
    request: 'read logs in /aws/lambda/checkout in payments-prod for 1 hour to debug the timeout',
    service: 'logs',
    level: 'Read',
    statements: [
      {
        actions: ['logs:DescribeLogStreams', 'logs:FilterLogEvents'],
        resources: [prod('logs', 'log-group:/aws/lambda/checkout')],
      },
      { actions: ['logs:GetLogEvents'], resources: [prod('logs', 'log-group:/aws/lambda/checkout:log-stream:*')] },
    ],
    justification: 'debug the timeout',
  },
  {
    request: 'run logs insights queries on log group /ecs/payments-api in payments-prod for 2h',
    service: 'logs',
    level: 'Read',
    statements: [
      { actions: ['logs:StartQuery', 'logs:GetQueryResults'], resources: [prod('logs', 'log-group:/ecs/payments-api')] },
      { actions: ['logs:StopQuery'], resources: ['*'] },
    ],
  },
  { request: 'tail the cloudwatch logs of log group api-gateway-access in sandbox for 30 minutes', service: 'logs', level: 'Read' },
  { request: 'write access to log group /app/audit in sandbox for 1 hour to replay lost events', service: 'logs', level: 'Write' },

  // SSM
  {
    request: 'read the ssm parameter /payments/db-url in payments-prod for 30 minutes to check the connection string',
    service: 'ssm',
    level: 'Read',
    statements: [{ actions: ['ssm:GetParameter', 'ssm:GetParameters'], resources: [prod('ssm', 'parameter/payments/db-url')] }],
    justification: 'check the connection string',
  },
  { request: 'update parameter /feature-flags/checkout-v2 in sandbox for 20 minutes to turn on the new checkout', service: 'ssm', level: 'Write' },
  {
    request: 'ssm session on i-0abc123def4567890 in payments-prod for 45 minutes to debug the app',
    service: 'ssm',
    level: 'Write',
    statements: [
      {
        actions: ['ssm:StartSession'],
        resources: [prod('ec2', 'instance/i-0abc123def4567890'), prod('ssm', 'document/SSM-SessionManagerRunShell')],
      },
      { actions: ['ssm:TerminateSession', 'ssm:ResumeSession'], resources: [prod('ssm', 'session/${aws:userid}-*')] },
    ],
  },
  { request: 'I need a shell on instance i-0fedcba9876543210 in sandbox for 1 hour', service: 'ssm', level: 'Write' },

  // SQS
  {
    request: 'read messages from the orders-dlq queue in payments-prod for 1 hour to find out why orders fail',
    service: 'sqs',
    level: 'Read',
    statements: [
      {
        actions: ['sqs:GetQueueUrl', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'],
        resources: [prod('sqs', 'orders-dlq')],
      },
    ],
    justification: 'find out why orders fail',
  },
  {
    request: 'send messages to sqs queue order-events.fifo in sandbox for 30 minutes to replay a stuck order',
    service: 'sqs',
    level: 'Write',
    statements: [{ actions: ['sqs:GetQueueUrl', 'sqs:SendMessage'], resources: [sandbox('sqs', 'order-events.fifo')] }],
  },
  { request: 'purge the test-queue queue in sandbox for 10 minutes', service: 'sqs', level: 'Write' },
  {
    request: 'list sqs queues in sandbox for 15 minutes',
    service: 'sqs',
    level: 'Read',
    statements: [{ actions: ['sqs:ListQueues'], resources: ['*'] }],
  },

  // SNS
  {
    request: 'publish to the order-events sns topic in sandbox for 30 minutes to test the subscribers',
    service: 'sns',
    level: 'Write',
    statements: [{ actions: ['sns:Publish'], resources: [sandbox('sns', 'order-events')] }],
  },
  { request: 'read the attributes of topic billing-alerts in payments-prod for 15 minutes', service: 'sns', level: 'Read' },

  // KMS
  {
    request: 'decrypt with kms key 1234abcd-12ab-34cd-56ef-1234567890ab in sandbox for 1 hour',
    service: 'kms',
    level: 'Write',
    statements: [{ actions: ['kms:Decrypt'], resources: [sandbox('kms', 'key/1234abcd-12ab-34cd-56ef-1234567890ab')] }],
  },
  {
    request: 'describe the kms key arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab for 10 minutes',
    service: 'kms',
    level: 'Read',
    account: 'payments-prod',
    statements: [{ actions: ['kms:DescribeKey'], resources: [prod('kms', 'key/1234abcd-12ab-34cd-56ef-1234567890ab')] }],
  },

  // Secrets Manager
  {
    request: 'read the secret payments/stripe-api-key in payments-prod for 15 minutes to verify the webhook signature',
    service: 'secretsmanager',
    level: 'Read',
    statements: [
      {
        actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
        resources: [prod('secretsmanager', 'secret:payments/stripe-api-key-??????')],
      },
    ],
  },
];

describe('OfflineDrafter.fromText: requests in plain words', () => {
  it('drafts the example from the brief exactly', async () => {
    const draft = expectDraft(
      await oneAccountDrafter.fromText({
        messages: ['I need read access to the billing-reports S3 bucket for 2 hours to debug the export'],
        requesterId: 'U0ANA',
      }),
    );
    expect(normalized(draft.statements)).toEqual(
      normalized([
        { actions: ['s3:GetObject'], resources: ['arn:aws:s3:::billing-reports/*'] },
        { actions: ['s3:ListBucket'], resources: ['arn:aws:s3:::billing-reports'] },
      ]),
    );
    expect(draft).toMatchObject({ accountId: '111111111111', accountName: 'payments-prod', accessLevel: 'Read', durationMinutes: 120 });
    expect(draft.justification).toContain('debug the export');
    expect(draft.notes).toContain('Account: payments-prod (111111111111), the only account.');
    await expectSound(draft, 'Read', 's3');
  });

  it(`covers ${CASES.length} more requests across ten services`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(CASES.map((c) => c.service)).size).toBeGreaterThanOrEqual(10);
  });

  for (const c of CASES) {
    it(c.request, async () => {
      const draft = expectDraft(await text(c.request));
      await expectSound(draft, c.level, c.service);
      if (c.statements) expect(normalized(draft.statements)).toEqual(normalized(c.statements));
      if (c.account) expect(draft.accountName).toBe(c.account);
      if (c.minutes) expect(draft.durationMinutes).toBe(c.minutes);
      if (c.justification) expect(draft.justification).toBe(c.justification);
    });
  }

  it('reads what a request names as a symptom without drafting a write for it', async () => {
    const draft = expectDraft(
      await oneAccountDrafter.fromText({
        messages: ['I need to read the configuration of the checkout-api lambda function for 1 hour, the env vars look wrong'],
        requesterId: 'U0ANA',
      }),
    );
    expect(draft.accessLevel).toBe('Read');
    expect(draft.statements.flatMap((s) => s.actions)).not.toContain('lambda:UpdateFunctionConfiguration');
    await expectSound(draft, 'Read', 'lambda');
    const change = expectDraft(
      await oneAccountDrafter.fromText({ messages: ['update the env vars of the checkout-api lambda function for 30 minutes to rotate a key'], requesterId: 'U0ANA' }),
    );
    expect(change.statements.flatMap((s) => s.actions)).toEqual(['lambda:UpdateFunctionConfiguration']);
  });

  it('adds the service’s caveat, and explains wildcard-only actions', async () => {
    const parameter = expectDraft(await text('read the ssm parameter /payments/db-url in sandbox for 30 minutes'));
    expect(parameter.notes.some((n) => n.includes('kms:Decrypt'))).toBe(true);
    const queues = expectDraft(await text('list sqs queues in sandbox for 15 minutes'));
    expect(queues.notes).toContain('sqs:ListQueues cannot be limited to a resource in IAM, so it applies to "*".');
  });

  it('uses the account and region of an ARN given inline', async () => {
    const draft = expectDraft(await text('send messages to arn:aws:sqs:us-west-2:222222222222:orders for 30 minutes'));
    expect(draft.accountName).toBe('sandbox');
    expect(draft.statements.flatMap((s) => s.resources)).toEqual(['arn:aws:sqs:us-west-2:222222222222:orders']);
  });

  it('ignores Slack mentions and links', async () => {
    const draft = expectDraft(
      await text('<@U0BEN> please give me read access to the `billing-reports` bucket in sandbox for 1h, see <https://wiki.example.com/x|the runbook>'),
    );
    expect(draft.statements.flatMap((s) => s.resources).sort()).toEqual(['arn:aws:s3:::billing-reports', 'arn:aws:s3:::billing-reports/*']);
  });

  it('falls back to every action of the level, marked broad, for a service without intents', async () => {
    const draft = expectDraft(await text('read access to arn:aws:ecr:us-east-1:222222222222:repository/app for 1h'));
    expect(draft.broad).toBe(true);
    expect(draft.accessLevel).toBe('Read');
    expect(draft.statements.flatMap((s) => s.resources)).toEqual(['arn:aws:ecr:us-east-1:222222222222:repository/app']);
    expect(await validateDraft(draft, catalog)).toEqual([]);
    expect(draft.notes.some((n) => n.includes('no intents for ecr'))).toBe(true);
  });

  it('falls back to a broad draft when the level asked for has no intent', async () => {
    const draft = expectDraft(await text('permissions management on the orders-dlq queue in sandbox for 30 minutes'));
    expect(draft.broad).toBe(true);
    expect(draft.accessLevel).toBe('Permissions management');
    expect(draft.statements.flatMap((s) => s.actions)).toContain('sqs:SetQueueAttributes');
    expect(await validateDraft(draft, catalog)).toEqual([]);
  });
});

describe('OfflineDrafter.fromText: several turns', () => {
  it('asks for the duration, then drafts with the answer', async () => {
    const first = expectQuestions(await text('I need to read the billing-reports bucket in sandbox'));
    expect(first).toEqual(['For how long do you need it? For example "2 hours"; the most is 8 hours.']);
    const draft = expectDraft(await text('I need to read the billing-reports bucket in sandbox', '2 hours'));
    expect(draft.durationMinutes).toBe(120);
    expect(draft.justification).toBe('I need to read the billing-reports bucket in sandbox');
  });

  it('asks which account, naming them, when there are several and none is named', async () => {
    const questions = expectQuestions(await text('read the billing-reports bucket for 1 hour'));
    expect(questions).toEqual(['Which account is this for: payments-prod or sandbox?']);
    expect(expectDraft(await text('read the billing-reports bucket for 1 hour', 'payments-prod')).accountId).toBe('111111111111');
  });

  it('asks everything missing at once', async () => {
    expect(expectQuestions(await text('I need to read the billing-reports bucket'))).toEqual([
      'Which account is this for: payments-prod or sandbox?',
      'For how long do you need it? For example "2 hours"; the most is 8 hours.',
    ]);
  });

  it('asks which service when two are named, then takes the answer', async () => {
    const questions = expectQuestions(await text('read the billing-reports bucket and the orders table in sandbox for 1 hour'));
    expect(questions).toEqual(['Which service is this for: S3 or DynamoDB? One request covers one service; ask for the other separately.']);
    const draft = expectDraft(await text('read the billing-reports bucket and the orders table in sandbox for 1 hour', 'the S3 one'));
    expect(draft.statements.flatMap((s) => s.resources).sort()).toEqual(['arn:aws:s3:::billing-reports', 'arn:aws:s3:::billing-reports/*']);
  });

  it('asks which resource, then takes a bare name as the answer', async () => {
    expect(expectQuestions(await text('read access to an s3 bucket in sandbox for 1 hour'))).toEqual([
      'Which bucket? Give its name (e.g. billing-reports), its ARN or an s3:// URI.',
    ]);
    const draft = expectDraft(await text('read access to an s3 bucket in sandbox for 1 hour', 'billing-reports'));
    expect(draft.statements.flatMap((s) => s.resources)).toContain('arn:aws:s3:::billing-reports/*');
  });

  it('asks what to do when no intent or level is named, then takes "read"', async () => {
    const [question] = expectQuestions(await text('I need access to the orders table in sandbox for 1 hour'));
    expect(question).toMatch(/^What do you need to do with orders: read items, describe the table, list tables, write items/);
    const draft = expectDraft(await text('I need access to the orders table in sandbox for 1 hour', 'read'));
    expect(draft.accessLevel).toBe('Read');
  });

  it('asks again when the duration is over the maximum, and the later answer wins', async () => {
    const [question] = expectQuestions(await text('read the billing-reports bucket in sandbox for 10 hours'));
    expect(question).toContain('10 hours is longer than the maximum of 8 hours (480 minutes)');
    const draft = expectDraft(await text('read the billing-reports bucket in sandbox for 10 hours', 'ok, 4 hours then'));
    expect(draft.durationMinutes).toBe(240);
  });

  it('does not guess "until end of day"', async () => {
    const [question] = expectQuestions(await text('read the billing-reports bucket in sandbox until end of day'));
    expect(question).toContain('"until end of day"');
    expect(question).toContain('For how long');
  });

  it('asks for an instance id when an instance is named by its Name tag', async () => {
    const [question] = expectQuestions(await text('stop the web-1 instance in sandbox for 1 hour'));
    expect(question).toContain('"web-1" is not a valid EC2 instance name');
    expect(question).toContain('instance id');
  });

  it('asks for a key id rather than following a KMS alias', async () => {
    const [question] = expectQuestions(await text('decrypt with kms key alias/payments in sandbox for 1 hour'));
    expect(question).toContain('KMS permissions do not follow aliases');
  });

  it('refuses wildcards in names', async () => {
    const [question] = expectQuestions(await text('read the "billing-*" bucket in sandbox for 1 hour'));
    expect(question).toContain('wildcard');
  });

  it('never widens a refused ARN into a broad draft', async () => {
    const [bucket] = expectQuestions(await text('read arn:aws:s3:::billing-*/x in sandbox for 10 minutes'));
    expect(bucket).toBe('arn:aws:s3:::billing-*/x has a wildcard in its BucketName: give the exact bucket.');
    const [alias] = expectQuestions(await text('invoke arn:aws:lambda:us-east-1:222222222222:function:resize:live in sandbox for 10 minutes'));
    expect(alias).toContain('(it is a function alias ARN)');
    const [generic] = expectQuestions(await text('read access to arn:aws:ecr:us-east-1:222222222222:repository/* for 1h'));
    expect(generic).toContain('has a wildcard');
  });

  it('asks about an account the org does not have', async () => {
    const [question] = expectQuestions(await text('read the billing-reports bucket in 333333333333 for 1 hour'));
    expect(question).toBe('Account 333333333333 is not one Warden manages. Which account is this for: payments-prod or sandbox?');
  });

  it('asks when an ARN is in another account than the one named', async () => {
    const [question] = expectQuestions(await text('send to arn:aws:sqs:us-east-1:222222222222:orders in payments-prod for 1 hour'));
    expect(question).toContain('you named payments-prod');
  });
});

describe('OfflineDrafter.fromText: the same access in several accounts', () => {
  it('drafts each named account with its own ARNs when they are named together', async () => {
    const draft = expectDraft(await text('write items to the user-profiles table in payments-prod and sandbox for 1 hour to backfill missing emails'));
    expect(draft.accountName).toBe('payments-prod');
    expect(draft.statements.flatMap((s) => s.resources)).toEqual([prod('dynamodb', 'table/user-profiles')]);
    expect(draft.alsoIn).toEqual([
      { accountId: '222222222222', accountName: 'sandbox', statements: [{ actions: draft.statements[0]!.actions, resources: [sandbox('dynamodb', 'table/user-profiles')] }] },
    ]);
    expect(draft.notes.join('\n')).toMatch(/Accounts: payments-prod \(111111111111\), sandbox \(222222222222\), named in the request: one request per account/);
  });

  it('asks which one when the accounts are named as a choice, or an ARN pins one', async () => {
    expect(expectQuestions(await text('read the billing-reports bucket in payments-prod or sandbox for 1 hour to debug the export'))).toEqual([
      'Which one account is this for: payments-prod or sandbox?',
    ]);
    expect(expectQuestions(await text(`read ${prod('dynamodb', 'table/orders')} in payments-prod and sandbox for 1 hour to debug`))).toEqual([
      'Which one account is this for: payments-prod or sandbox?',
    ]);
  });

  it('a single account draft has no further accounts', async () => {
    expect(expectDraft(await text('read the billing-reports bucket in sandbox for 1 hour to debug the export')).alsoIn).toBeUndefined();
  });
});

describe('OfflineDrafter.fromText: bad input', () => {
  it('refuses an empty request', async () => {
    for (const messages of [[], [''], ['   ', '\n']]) {
      const message = expectError(await drafter.fromText({ messages, requesterId: 'U0ANA' }));
      expect(message).toContain('The request is empty');
    }
  });

  it('refuses 20 KB of text, saying the limit', async () => {
    const message = expectError(await text('read the billing-reports bucket for 1 hour. '.repeat(500)));
    expect(message).toContain('the limit is 4,000');
  });

  it('counts the whole conversation against the limit', async () => {
    const message = expectError(await text('a'.repeat(3000), 'b'.repeat(3000)));
    expect(message).toContain('4,000');
  });

  it('says which services it understands when it knows none named', async () => {
    const [question] = expectQuestions(await text('I need access to the flux capacitor in sandbox for 1 hour'));
    expect(question).toContain('S3, DynamoDB, EC2, RDS, Lambda, CloudWatch Logs');
    expect(question).toContain('/access request');
  });
});

describe('OfflineDrafter.fromFields: the modal', () => {
  const fields = (over: Partial<Parameters<OfflineDrafter['fromFields']>[0]>) =>
    drafter.fromFields({
      requesterId: 'U0ANA',
      account: 'sandbox',
      service: 's3',
      accessLevel: 'Read',
      resources: ['billing-reports'],
      durationMinutes: 90,
      justification: 'debug the export',
      ...over,
    });

  it('drafts the default intent of the service and level', async () => {
    const draft = expectDraft(await fields({}));
    expect(normalized(draft.statements)).toEqual(
      normalized([
        { actions: ['s3:GetObject'], resources: ['arn:aws:s3:::billing-reports/*'] },
        { actions: ['s3:ListBucket'], resources: ['arn:aws:s3:::billing-reports'] },
      ]),
    );
    expect(draft).toMatchObject({ accountId: '222222222222', durationMinutes: 90, justification: 'debug the export', broad: false });
    expect(await validateDraft(draft, catalog)).toEqual([]);
  });

  it('drafts the same access in the "Also in" accounts, each with its own ARNs, and refuses an unknown one', async () => {
    const draft = expectDraft(
      await fields({
        account: 'payments-prod',
        alsoIn: ['sandbox', '222222222222', 'payments-prod'],
        service: 'dynamodb',
        accessLevel: 'Write',
        resources: ['arn:aws:dynamodb:eu-west-1:111111111111:table/user-profiles'],
      }),
    );
    expect(draft.statements.flatMap((st) => st.resources)).toEqual([prod('dynamodb', 'table/user-profiles')]);
    expect(draft.alsoIn).toEqual([
      { accountId: '222222222222', accountName: 'sandbox', statements: [{ actions: draft.statements[0]!.actions, resources: [sandbox('dynamodb', 'table/user-profiles')] }] },
    ]);
    expect(expectDraft(await fields({ alsoIn: ['sandbox'] })).alsoIn).toBeUndefined();
    expect(await fields({ alsoIn: ['staging'] })).toEqual({ kind: 'error', message: '"staging" is not an account Warden manages; choose payments-prod or sandbox.' });
  });

  it('takes ARNs and names, by account id too', async () => {
    const draft = expectDraft(
      await fields({
        account: '111111111111',
        service: 'dynamodb',
        accessLevel: 'Write',
        resources: ['orders', 'arn:aws:dynamodb:eu-west-1:111111111111:table/payments'],
      }),
    );
    expect(draft.statements).toEqual([
      {
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'],
        resources: [prod('dynamodb', 'table/orders'), prod('dynamodb', 'table/payments')],
      },
    ]);
  });

  it('picks the SSM subject each resource fits', async () => {
    const session = expectDraft(await fields({ service: 'ssm', accessLevel: 'Write', resources: ['i-0abc123def4567890'] }));
    expect(session.statements.flatMap((s) => s.actions)).toContain('ssm:StartSession');
    const parameter = expectDraft(await fields({ service: 'ssm', accessLevel: 'Read', resources: ['/payments/db-url'] }));
    expect(parameter.statements.flatMap((s) => s.actions)).toEqual(['ssm:GetParameter', 'ssm:GetParameters']);
  });

  it('falls back to the catalog, marked broad, where the level has no default intent', async () => {
    const draft = expectDraft(await fields({ accessLevel: 'Permissions management' }));
    expect(draft.broad).toBe(true);
    expect(draft.statements.flatMap((s) => s.actions)).toContain('s3:PutBucketPolicy');
    expect(await validateDraft(draft, catalog)).toEqual([]);
    const ecr = expectDraft(
      await fields({ service: 'ecr', accessLevel: 'Read', resources: ['arn:aws:ecr:us-east-1:222222222222:repository/app'] }),
    );
    expect(ecr.broad).toBe(true);
  });

  it('refuses what it cannot draft, saying why', async () => {
    expect(expectError(await fields({ durationMinutes: 600 }))).toBe('10 hours is longer than the maximum of 8 hours (480 minutes).');
    expect(expectError(await fields({ durationMinutes: 0 }))).toContain('at least 5 minutes');
    expect(expectError(await fields({ service: 'dynamo' }))).toContain('Did you mean dynamodb');
    expect(expectError(await fields({ account: 'staging' }))).toContain('payments-prod or sandbox');
    expect(expectError(await fields({ justification: '  ' }))).toBe('Say why you need this access.');
    expect(expectError(await fields({ resources: ['arn:aws:sqs:us-east-1:222222222222:orders'] }))).toContain('is not the ARN of a bucket in S3');
    expect(expectError(await fields({ service: 'sqs', accessLevel: 'List', resources: ['orders'] }))).toContain('no List actions');
    expect(expectError(await fields({ resources: [] }))).toContain('Give at least one bucket');
    expect(expectError(await fields({ service: 'ssm', resources: [] }))).toContain('Give at least one parameter');
    expect(
      expectError(await fields({ service: 'sqs', resources: ['arn:aws:sqs:us-east-1:111111111111:orders'] })),
    ).toContain('is not in account sandbox');
    expect(expectError(await fields({ service: 'ecr', resources: ['app'] }))).toContain('give full ARNs');
  });
});
