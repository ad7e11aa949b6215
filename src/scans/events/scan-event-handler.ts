import { errorText } from '../../access/audit.js';
import type { Logger } from '../../logger.js';
import type { FinishOutcome, ScanTracker } from '../tracker.js';
import { readScanEvent } from './execution-event.js';

/**
 * What to do with a queue message once handled: `delete` it, or `keep` it so the queue delivers it
 * again after its visibility timeout (and moves it to the dead-letter queue after a few tries).
 */
export type EventVerdict = 'delete' | 'keep';

export interface ScanEventHandlerDeps {
  tracker: Pick<ScanTracker, 'finishFromEvent'>;
  /** Warden's scan state machine: events of any other one are dropped. */
  stateMachineArn: string;
  logger: Logger;
}

/**
 * Handles one completion event. A message that can never be handled (not JSON, not a status change,
 * another state machine, an execution Warden does not know) is deleted with a log line: delivering
 * it again would fail the same way, and the log says what it was. A message that failed for a
 * reason that may pass (AWS or the store unreachable) is kept, to be tried again.
 */
export function scanEventHandler(deps: ScanEventHandlerDeps): (body: string | undefined, messageId: string) => Promise<EventVerdict> {
  const { tracker, stateMachineArn, logger } = deps;
  return async (body, messageId) => {
    const event = readScanEvent(body, stateMachineArn);
    switch (event.kind) {
      case 'malformed':
        logger.error('scan event dropped: unreadable', { messageId, problem: event.problem });
        return 'delete';
      case 'other-state-machine':
        logger.info('scan event dropped: another state machine', { messageId, stateMachineArn: event.stateMachineArn });
        return 'delete';
      case 'not-ended':
        return 'delete';
      case 'ended':
        break;
    }
    let outcome: FinishOutcome;
    try {
      outcome = await tracker.finishFromEvent(event.executionArn);
    } catch (error) {
      logger.error('scan event not handled; it will be delivered again', { messageId, executionArn: event.executionArn, error: errorText(error) });
      return 'keep';
    }
    switch (outcome.kind) {
      case 'unknown-execution':
        logger.info('scan event dropped: no running scan has this execution', { messageId, executionArn: event.executionArn, status: event.status });
        return 'delete';
      case 'already-finished':
        logger.info('scan event dropped: the scan has already finished', { messageId, scanId: outcome.scanId, state: outcome.state });
        return 'delete';
      case 'still-running':
        // The event can run ahead of DescribeExecution; the next delivery (or a poll) will see the end.
        logger.info('scan event early: the execution still shows running', { messageId, scanId: outcome.scanId });
        return 'keep';
      case 'finished':
        logger.info('scan finished by its completion event', { messageId, scanId: outcome.scanId, state: outcome.state, status: event.status });
        return 'delete';
    }
  };
}
