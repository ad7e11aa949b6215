import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config-error.js';
import { parseScanEventsEnv } from '../../../src/scans/events/events-config.js';
import { readScanEvent } from '../../../src/scans/events/execution-event.js';

const STATE_MACHINE = 'arn:aws:states:eu-west-1:111111111111:stateMachine:warden-scan';
const EXECUTION = 'arn:aws:states:eu-west-1:111111111111:execution:warden-scan:s-abc';

function event(detail: Record<string, unknown>): string {
  return JSON.stringify({ version: '0', source: 'aws.states', 'detail-type': 'Step Functions Execution Status Change', detail });
}

describe('readScanEvent', () => {
  it('reads an ended execution of the scan state machine', () => {
    for (const status of ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']) {
      expect(readScanEvent(event({ executionArn: EXECUTION, stateMachineArn: STATE_MACHINE, status }), STATE_MACHINE)).toEqual({ kind: 'ended', executionArn: EXECUTION, status });
    }
  });

  it('tells a running execution, or a status it does not know, from an ended one', () => {
    expect(readScanEvent(event({ executionArn: EXECUTION, stateMachineArn: STATE_MACHINE, status: 'RUNNING' }), STATE_MACHINE)).toMatchObject({ kind: 'not-ended' });
    expect(readScanEvent(event({ executionArn: EXECUTION, stateMachineArn: STATE_MACHINE, status: 'PENDING_REDRIVE' }), STATE_MACHINE)).toMatchObject({ kind: 'not-ended' });
  });

  it('sets apart another state machine, also one whose execution ARN claims to be ours', () => {
    const other = 'arn:aws:states:eu-west-1:111111111111:stateMachine:warden-scan-old';
    expect(readScanEvent(event({ executionArn: `${other.replace(':stateMachine:', ':execution:')}:s-abc`, stateMachineArn: other, status: 'SUCCEEDED' }), STATE_MACHINE)).toEqual({
      kind: 'other-state-machine',
      stateMachineArn: other,
    });
    // The detail names our state machine, but the execution is another one's.
    expect(readScanEvent(event({ executionArn: 'arn:aws:states:eu-west-1:111111111111:execution:warden-scan-old:s-abc', stateMachineArn: STATE_MACHINE, status: 'SUCCEEDED' }), STATE_MACHINE)).toMatchObject({
      kind: 'other-state-machine',
    });
  });

  it('says why a body is not a status change', () => {
    expect(readScanEvent(undefined, STATE_MACHINE)).toEqual({ kind: 'malformed', problem: 'the body is empty' });
    expect(readScanEvent('{"source": "aws.states"', STATE_MACHINE)).toEqual({ kind: 'malformed', problem: 'the body is not JSON' });
    const s3 = readScanEvent(JSON.stringify({ source: 'aws.s3', 'detail-type': 'Object Created', detail: {} }), STATE_MACHINE);
    expect(s3).toMatchObject({ kind: 'malformed' });
    expect(s3.kind === 'malformed' && s3.problem).toMatch(/source/);
    const noArn = readScanEvent(event({ executionArn: 'not-an-arn', stateMachineArn: STATE_MACHINE, status: 'SUCCEEDED' }), STATE_MACHINE);
    expect(noArn.kind === 'malformed' && noArn.problem).toMatch(/detail\.executionArn: a Step Functions execution ARN/);
  });
});

describe('parseScanEventsEnv', () => {
  it('is off without WARDEN_SCAN_EVENTS_QUEUE_URL', () => {
    expect(parseScanEventsEnv({}, STATE_MACHINE)).toBeNull();
    expect(parseScanEventsEnv({ WARDEN_SCAN_EVENTS_QUEUE_URL: '  ' }, STATE_MACHINE)).toBeNull();
  });

  it('takes the region from the queue URL, else from the state machine (a local emulator)', () => {
    expect(parseScanEventsEnv({ WARDEN_SCAN_EVENTS_QUEUE_URL: 'https://sqs.us-east-2.amazonaws.com/111111111111/warden-scan-events' }, STATE_MACHINE)).toEqual({
      queueUrl: 'https://sqs.us-east-2.amazonaws.com/111111111111/warden-scan-events',
      stateMachineArn: STATE_MACHINE,
      region: 'us-east-2',
    });
    expect(parseScanEventsEnv({ WARDEN_SCAN_EVENTS_QUEUE_URL: 'http://127.0.0.1:9324/000000000000/scan-events' }, STATE_MACHINE)?.region).toBe('eu-west-1');
  });

  it('stops start-up on a value that is not a queue URL, or without a state machine', () => {
    expect(() => parseScanEventsEnv({ WARDEN_SCAN_EVENTS_QUEUE_URL: 'warden-scan-events' }, STATE_MACHINE)).toThrow(ConfigError);
    expect(() => parseScanEventsEnv({ WARDEN_SCAN_EVENTS_QUEUE_URL: 'warden-scan-events' }, STATE_MACHINE)).toThrow(/WARDEN_SCAN_EVENTS_QUEUE_URL: an SQS queue URL like/);
    expect(() => parseScanEventsEnv({ WARDEN_SCAN_EVENTS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111111111111/q' }, null)).toThrow(/set WARDEN_SCAN_STATE_MACHINE_ARN too/);
  });
});
