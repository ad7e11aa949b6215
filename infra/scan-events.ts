/**
 * The numbers and names the scan-events infrastructure (infra/scan-events-stack.ts, a CDK stack) is
 * built from, kept apart from it: this file imports nothing, so tests and any code in src/ can share
 * them without pulling in aws-cdk-lib (a devDependency, absent from the bot's runtime).
 *
 * The stack routes the scan state machine's completion events to Warden: an EventBridge rule for
 * "Step Functions Execution Status Change" events of Warden's scan state machine only, an SQS queue
 * it delivers to (with a dead-letter queue), and the bot's permission to receive and delete from that
 * queue. The bot reads the queue when WARDEN_SCAN_EVENTS_QUEUE_URL is set to the `ScanEventsQueueUrl`
 * output. Deploy it with `cd infra && npx aws-cdk@2 deploy -c scanStateMachineArn=… -c botRoleName=…`.
 */

/** Only ends are routed: RUNNING events would wake the bot for nothing (polling shows progress). */
export const ENDED_STATUSES = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;

/** The event Step Functions sends to EventBridge when an execution changes status. */
export const EVENT_SOURCE = 'aws.states';
export const EVENT_DETAIL_TYPE = 'Step Functions Execution Status Change';

/** How many deliveries a message gets before it moves to the dead-letter queue. */
export const MAX_RECEIVE_COUNT = 5;

/**
 * A message being handled stays hidden this long: handling a SUCCEEDED event reads and stores the
 * whole scan's results, which takes minutes for a large account, and must not be handed to a second
 * replica meanwhile (it would only find the scan already taken, but it costs a read of the results).
 */
export const VISIBILITY_TIMEOUT_SECONDS = 15 * 60;

/** Scans are tracked for at most 48 hours (WARDEN_SCAN_TIMEOUT_MINUTES); polling covers anything older. */
export const QUEUE_RETENTION_SECONDS = 2 * 86_400;

/** Two weeks, the most SQS keeps a message: time to look at what the bot could not handle. */
export const DEAD_LETTER_RETENTION_SECONDS = 14 * 86_400;

/** The bot long-polls: a receive waits this long for a message (the most SQS allows). */
export const RECEIVE_WAIT_SECONDS = 20;

/** EventBridge's retries of a failed delivery (the queue policy, throttling) before the dead-letter queue. */
export const DELIVERY_RETRY_ATTEMPTS = 185;
export const DELIVERY_MAX_EVENT_AGE_SECONDS = 86_400;

/**
 * What the bot does with the queue (src/aws/sqs/sqs-queue-consumer.ts): ReceiveMessage and
 * DeleteMessage, nothing else. It never changes a message's visibility (the queue's timeout covers
 * the handling) nor reads the queue's attributes or URL (WARDEN_SCAN_EVENTS_QUEUE_URL is the URL).
 */
export const BOT_QUEUE_ACTIONS = ['sqs:ReceiveMessage', 'sqs:DeleteMessage'] as const;
