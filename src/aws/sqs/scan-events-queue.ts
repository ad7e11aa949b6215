import { SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from '../../logger.js';
import type { ScanEventsConfig } from '../../scans/events/events-config.js';
import { scanEventHandler } from '../../scans/events/scan-event-handler.js';
import type { ScanEventSourceFactory } from '../../scans/events/scan-events.js';
import { SqsQueueConsumer } from './sqs-queue-consumer.js';

/**
 * The scan state machine's completion events, from the SQS queue the infra routes them to: each one
 * finishes its scan through the tracker at once. The client is created by the caller (main.ts, or a
 * test with a mocked client).
 */
export function sqsScanEvents(options: { config: ScanEventsConfig; logger: Logger; client?: SQSClient; waitTimeSeconds?: number }): ScanEventSourceFactory {
  const { config, logger } = options;
  return (tracker) =>
    new SqsQueueConsumer({
      client: options.client ?? new SQSClient({ region: config.region }),
      queueUrl: config.queueUrl,
      logger,
      handle: scanEventHandler({ tracker, stateMachineArn: config.stateMachineArn, logger }),
      ...(options.waitTimeSeconds === undefined ? {} : { waitTimeSeconds: options.waitTimeSeconds }),
    });
}
