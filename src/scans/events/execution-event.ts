import { z } from 'zod';

/**
 * The EventBridge event Step Functions sends when an execution changes status, as the infra routes
 * it to Warden's queue (the SQS message body is the whole event). Only the fields Warden uses are
 * checked; the rest, including the execution's input and output, is ignored: the output is read
 * with DescribeExecution, as polling reads it, so the event is a hint and never the source of truth.
 */
const ExecutionStatusChangeSchema = z.object({
  source: z.literal('aws.states'),
  'detail-type': z.literal('Step Functions Execution Status Change'),
  detail: z.object({
    executionArn: z.string().regex(/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[^:\s]+:[^:\s]+$/, 'a Step Functions execution ARN'),
    stateMachineArn: z.string().min(1),
    // A string, not an enum: a status Step Functions adds later is "not ended", not a malformed event.
    status: z.string().min(1),
  }),
});

/** The statuses an execution ends with; RUNNING (and PENDING_REDRIVE) mean there is nothing to do yet. */
export const ENDED_STATUSES = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;
export type EndedStatus = (typeof ENDED_STATUSES)[number];

export type ScanEvent =
  | { kind: 'ended'; executionArn: string; status: EndedStatus }
  | { kind: 'not-ended'; executionArn: string; status: string }
  | { kind: 'other-state-machine'; stateMachineArn: string }
  | { kind: 'malformed'; problem: string };

function isEnded(status: string): status is EndedStatus {
  return (ENDED_STATUSES as readonly string[]).includes(status);
}

/**
 * Reads one queue message body. Untrusted input: anything that is not a status change of
 * `stateMachineArn`'s executions comes back as what it is, with the reason, never as an exception.
 */
export function readScanEvent(body: string | undefined, stateMachineArn: string): ScanEvent {
  let value: unknown;
  try {
    value = JSON.parse(body ?? '');
  } catch {
    return { kind: 'malformed', problem: body ? 'the body is not JSON' : 'the body is empty' };
  }
  const parsed = ExecutionStatusChangeSchema.safeParse(value);
  if (!parsed.success) {
    const problem = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`)
      .join('; ');
    return { kind: 'malformed', problem: `not a Step Functions execution status change (${problem})` };
  }
  const { executionArn, stateMachineArn: source, status } = parsed.data.detail;
  // The execution must belong to the state machine too: "…:execution:<state machine name>:<name>".
  const stateMachineName = stateMachineArn.slice(stateMachineArn.lastIndexOf(':') + 1);
  const prefix = `${stateMachineArn.slice(0, stateMachineArn.lastIndexOf(':stateMachine:'))}:execution:${stateMachineName}:`;
  if (source !== stateMachineArn || !executionArn.startsWith(prefix)) return { kind: 'other-state-machine', stateMachineArn: source };
  return isEnded(status) ? { kind: 'ended', executionArn, status } : { kind: 'not-ended', executionArn, status };
}
