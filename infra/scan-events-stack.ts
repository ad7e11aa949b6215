/**
 * The scan state machine's completion events, routed to an SQS queue the bot long-polls: an
 * EventBridge rule for "Step Functions Execution Status Change" events of Warden's scan state machine
 * only (SUCCEEDED, FAILED, TIMED_OUT, ABORTED), the SSE-SQS queue it delivers to with a dead-letter
 * queue, a queue policy letting only that rule send, and the bot role's permission to receive and
 * delete. The numbers are in ./scan-events.ts; ./app.ts is the CDK app around this stack.
 */
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  BOT_QUEUE_ACTIONS,
  DEAD_LETTER_RETENTION_SECONDS,
  DELIVERY_MAX_EVENT_AGE_SECONDS,
  DELIVERY_RETRY_ATTEMPTS,
  ENDED_STATUSES,
  EVENT_DETAIL_TYPE,
  EVENT_SOURCE,
  MAX_RECEIVE_COUNT,
  QUEUE_RETENTION_SECONDS,
  RECEIVE_WAIT_SECONDS,
  VISIBILITY_TIMEOUT_SECONDS,
} from './scan-events.js';
import { STATE_MACHINE_ARN_PATTERN, type ScanEventsSettings } from './settings.js';

/** The stack's environment is the state machine's: Step Functions sends its events to the default bus of its own account and region. */
export type ScanEventsStackProps = Omit<StackProps, 'env'> & ScanEventsSettings;

export class ScanEventsStack extends Stack {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly rule: events.Rule;
  readonly botRole: iam.IRole;

  constructor(scope: Construct, id: string, props: ScanEventsStackProps) {
    const { scanStateMachineArn, botRole, ...stackProps } = props;
    if (!STATE_MACHINE_ARN_PATTERN.test(scanStateMachineArn)) {
      throw new Error(`scanStateMachineArn must be a Step Functions state machine ARN, got ${JSON.stringify(scanStateMachineArn)}`);
    }
    const [, , , region, account] = scanStateMachineArn.split(':');
    super(scope, id, {
      description: "Warden: the scan state machine's completion events, routed to an SQS queue the bot long-polls.",
      ...stackProps,
      env: { account: account!, region: region! },
    });

    this.deadLetterQueue = new sqs.Queue(this, 'ScanEventsDeadLetterQueue', {
      retentionPeriod: Duration.seconds(DEAD_LETTER_RETENTION_SECONDS),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });

    this.queue = new sqs.Queue(this, 'ScanEventsQueue', {
      retentionPeriod: Duration.seconds(QUEUE_RETENTION_SECONDS),
      visibilityTimeout: Duration.seconds(VISIBILITY_TIMEOUT_SECONDS),
      receiveMessageWaitTime: Duration.seconds(RECEIVE_WAIT_SECONDS),
      // SSE-SQS: EventBridge can deliver to it without a KMS key policy.
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });

    this.rule = new events.Rule(this, 'ScanEventsRule', {
      description: "Warden's scan executions ending: SUCCEEDED, FAILED, TIMED_OUT, ABORTED.",
      eventPattern: {
        source: [EVENT_SOURCE],
        detailType: [EVENT_DETAIL_TYPE],
        detail: { stateMachineArn: [scanStateMachineArn], status: [...ENDED_STATUSES] },
      },
    });
    // The target adds the queue policy: events.amazonaws.com may send, on condition that the source is this
    // rule (another rule in the account cannot feed the bot events); the same for the dead-letter queue.
    this.rule.addTarget(
      new targets.SqsQueue(this.queue, {
        // Delivery failures (the queue policy, throttling) land in the dead-letter queue too, not nowhere.
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: DELIVERY_RETRY_ATTEMPTS,
        maxEventAge: Duration.seconds(DELIVERY_MAX_EVENT_AGE_SECONDS),
      }),
    );

    // Imported, not created: the role belongs to wherever the bot runs. A role of this account gets an
    // IAM policy attached; a role of another account is named in the queue policy instead (its own
    // account must still allow the same actions).
    this.botRole =
      'arn' in botRole
        ? iam.Role.fromRoleArn(this, 'BotRole', botRole.arn, { mutable: true })
        : iam.Role.fromRoleName(this, 'BotRole', botRole.name);
    // Not grantConsumeMessages: it adds ChangeMessageVisibility, GetQueueUrl and GetQueueAttributes, which the bot never calls.
    this.queue.grant(this.botRole, ...BOT_QUEUE_ACTIONS);

    new CfnOutput(this, 'ScanEventsQueueUrl', {
      description: "Set the bot's WARDEN_SCAN_EVENTS_QUEUE_URL to this.",
      value: this.queue.queueUrl,
    });
    new CfnOutput(this, 'ScanEventsDeadLetterQueueUrl', {
      description: 'Events the bot could not handle after retries (or EventBridge could not deliver).',
      value: this.deadLetterQueue.queueUrl,
    });
  }
}
