import { DeleteMessageCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { errorText } from '../../access/audit.js';
import type { Logger } from '../../logger.js';
import { abortableSleep } from '../../scans/poll.js';

export interface SqsQueueConsumerOptions {
  client: SQSClient;
  queueUrl: string;
  /** Handles one message body: `delete` removes it from the queue, `keep` lets it be delivered again. */
  handle: (body: string | undefined, messageId: string) => Promise<'delete' | 'keep'>;
  logger: Logger;
  /** Long polling: each receive waits up to this long for a message (SQS allows 0–20). */
  waitTimeSeconds?: number;
  /** After a failed receive the loop waits this long, doubling up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * Long-polls one SQS queue until stopped: ReceiveMessage (WaitTimeSeconds, so an idle queue costs a
 * request every 20 s), each message handled in turn, DeleteMessage after it was handled. A message
 * not deleted (handler said `keep`, or threw) comes back after the queue's visibility timeout and
 * goes to its dead-letter queue after the queue's maxReceiveCount.
 */
export class SqsQueueConsumer {
  private readonly controller = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(private readonly options: SqsQueueConsumerOptions) {}

  start(): void {
    if (this.controller.signal.aborted) return;
    this.loop ??= this.run();
  }

  /** Stops: a receive in progress is abandoned; the message being handled is finished first. */
  async stop(): Promise<void> {
    this.controller.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { client, queueUrl, logger } = this.options;
    const signal = this.controller.signal;
    const sleep = this.options.sleep ?? abortableSleep;
    const backoffMs = this.options.backoffMs ?? 1000;
    const maxBackoffMs = this.options.maxBackoffMs ?? 60_000;
    let failures = 0;
    while (!signal.aborted) {
      let messages: Message[];
      try {
        const received = await client.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: this.options.waitTimeSeconds ?? 20 }),
          { abortSignal: signal },
        );
        failures = 0;
        messages = received.Messages ?? [];
      } catch (error) {
        if (signal.aborted) return;
        failures += 1;
        const wait = Math.min(backoffMs * 2 ** (failures - 1), maxBackoffMs);
        logger.error('could not receive scan events', { queueUrl, attempt: failures, retryInMs: wait, error: errorText(error) });
        await sleep(wait, signal);
        continue;
      }
      for (const message of messages) {
        // Stopping: the messages not handled yet are not deleted, so the queue delivers them again.
        if (signal.aborted) return;
        const messageId = message.MessageId ?? '(no id)';
        let verdict: 'delete' | 'keep';
        try {
          verdict = await this.options.handle(message.Body, messageId);
        } catch (error) {
          logger.error('scan event handler failed; the message will be delivered again', { messageId, error: errorText(error) });
          verdict = 'keep';
        }
        if (verdict !== 'delete' || !message.ReceiptHandle) continue;
        try {
          await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
        } catch (error) {
          // Delivered again later; handling is idempotent, so that costs a log line, not a second summary.
          logger.error('could not delete a handled scan event', { messageId, error: errorText(error) });
        }
      }
    }
  }
}
