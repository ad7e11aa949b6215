import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SqsQueueConsumer } from '../../../src/aws/sqs/sqs-queue-consumer.js';
import { memoryLogger } from '../../../src/logger.js';

const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/111111111111/warden-scan-events';
const sqs = mockClient(SQSClient);
const client = () => new SQSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });

/** Receives after the given answers come back empty, a few milliseconds apart, as an idle long poll would. */
function idleAfterwards() {
  return new Promise<{ Messages: [] }>((resolve) => setTimeout(() => resolve({ Messages: [] }), 5));
}

let consumer: SqsQueueConsumer | undefined;
beforeEach(() => sqs.reset());
afterEach(async () => {
  await consumer?.stop();
  consumer = undefined;
  sqs.reset();
});

describe('SqsQueueConsumer', () => {
  it('backs off, doubling, while the queue cannot be read, and goes on once it can', async () => {
    const logger = memoryLogger();
    const waits: number[] = [];
    sqs
      .on(ReceiveMessageCommand)
      .rejectsOnce(new Error('AccessDenied'))
      .rejectsOnce(new Error('AccessDenied'))
      .rejectsOnce(new Error('AccessDenied'))
      .resolvesOnce({ Messages: [{ MessageId: 'm-1', ReceiptHandle: 'rh-1', Body: 'hello' }] })
      .callsFake(idleAfterwards);
    sqs.on(DeleteMessageCommand).resolves({});
    const handled: string[] = [];
    consumer = new SqsQueueConsumer({
      client: client(),
      queueUrl: QUEUE_URL,
      logger,
      backoffMs: 100,
      maxBackoffMs: 250,
      sleep: async (ms) => void waits.push(ms),
      handle: async (body) => {
        handled.push(String(body));
        return 'delete';
      },
    });
    consumer.start();
    await vi.waitFor(() => expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(1));
    expect(waits).toEqual([100, 200, 250]);
    expect(logger.lines.filter((l) => l.message === 'could not receive scan events').map((l) => l.fields?.['attempt'])).toEqual([1, 2, 3]);
    expect(handled).toEqual(['hello']);
    expect(sqs.commandCalls(DeleteMessageCommand)[0]!.args[0].input).toEqual({ QueueUrl: QUEUE_URL, ReceiptHandle: 'rh-1' });
  });

  it('does not delete a message whose handler threw or asked to keep it', async () => {
    const logger = memoryLogger();
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({
        Messages: [
          { MessageId: 'm-throws', ReceiptHandle: 'rh-1', Body: 'a' },
          { MessageId: 'm-keep', ReceiptHandle: 'rh-2', Body: 'b' },
          { MessageId: 'm-done', ReceiptHandle: 'rh-3', Body: 'c' },
        ],
      })
      .callsFake(idleAfterwards);
    sqs.on(DeleteMessageCommand).resolves({});
    consumer = new SqsQueueConsumer({
      client: client(),
      queueUrl: QUEUE_URL,
      logger,
      handle: async (body) => {
        if (body === 'a') throw new Error('store unavailable');
        return body === 'b' ? 'keep' : 'delete';
      },
    });
    consumer.start();
    await vi.waitFor(() => expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(1));
    await consumer.stop();
    expect(sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input.ReceiptHandle)).toEqual(['rh-3']);
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'error', message: 'scan event handler failed; the message will be delivered again', fields: expect.objectContaining({ messageId: 'm-throws' }) }));
  });
});
