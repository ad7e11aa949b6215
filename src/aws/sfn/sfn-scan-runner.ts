import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import type { Tool } from '../../scans/finding.js';
import { ScanOutputSchema, type ExecutionStatus, type ScanExecutionInput, type ScanRunner } from '../../scans/runner.js';
import type { ToolState } from '../../scans/scan.js';
import { toolProgress } from './tool-progress.js';

export interface SfnScanRunnerOptions {
  stateMachineArn: string;
  client: SFNClient;
  /** History pages read per poll at most (1000 events each): a scan has a few dozen. */
  maxHistoryPages?: number;
}

/** The execution ARN for an execution name: the state machine's ARN with "stateMachine" → "execution". */
export function executionArnFor(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

/** Tools named in the input, read back from DescribeExecution (so status needs no stored scan). */
function inputTools(input: string | undefined): Tool[] {
  try {
    const parsed = JSON.parse(input ?? '{}') as { tools?: unknown };
    return Array.isArray(parsed.tools) ? parsed.tools.filter((t): t is Tool => t === 'prowler' || t === 'custodian' || t === 'cloudsploit') : [];
  } catch {
    return [];
  }
}

/**
 * The ScanRunner over AWS Step Functions: StartExecution named by the scan id (so a retried start
 * finds the same execution instead of starting a second one), DescribeExecution for the state and
 * output, GetExecutionHistory for each tool's progress. Polling and its backoff are the caller's.
 */
export class SfnScanRunner implements ScanRunner {
  constructor(private readonly options: SfnScanRunnerOptions) {}

  async start(input: ScanExecutionInput): Promise<{ executionArn: string }> {
    const { client, stateMachineArn } = this.options;
    try {
      const started = await client.send(new StartExecutionCommand({ stateMachineArn, name: input.scanId, input: JSON.stringify(input) }));
      if (!started.executionArn) throw new Error('Step Functions did not return an execution ARN.');
      return { executionArn: started.executionArn };
    } catch (error) {
      // Same name, different input: an execution for this scan exists already (a retried start).
      if (error instanceof ExecutionAlreadyExists) return { executionArn: executionArnFor(stateMachineArn, input.scanId) };
      throw error;
    }
  }

  async status(executionArn: string): Promise<ExecutionStatus> {
    const { client } = this.options;
    const execution = await client.send(new DescribeExecutionCommand({ executionArn }));
    const tools = toolProgress(await this.history(executionArn), inputTools(execution.input));
    switch (execution.status) {
      case 'SUCCEEDED': {
        const parsed = ScanOutputSchema.safeParse(safeJson(execution.output));
        if (!parsed.success) {
          return { state: 'failed', tools, error: `The scan finished, but its output does not say where the results are (expected {"location": "s3://…"}): ${parsed.error.issues[0]?.message ?? ''}` };
        }
        const finalTools = { ...tools };
        for (const [tool, result] of Object.entries(parsed.data.tools ?? {})) finalTools[tool as Tool] = result.status as ToolState;
        return { state: 'succeeded', tools: finalTools, output: parsed.data };
      }
      case 'RUNNING':
      case 'PENDING_REDRIVE':
        return { state: 'running', tools };
      default: {
        const reason = [execution.error, execution.cause].filter(Boolean).join(': ');
        return { state: 'failed', tools, error: `The scan's execution ended ${String(execution.status).toLowerCase().replace('_', ' ')}${reason ? ` (${reason})` : ''}.` };
      }
    }
  }

  private async history(executionArn: string): Promise<HistoryEvent[]> {
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    const maxPages = this.options.maxHistoryPages ?? 5;
    for (let page = 0; page < maxPages; page++) {
      const result = await this.options.client.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false, maxResults: 1000, nextToken }));
      events.push(...(result.events ?? []));
      nextToken = result.nextToken;
      if (!nextToken) break;
    }
    return events;
  }
}

function safeJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? 'null');
  } catch {
    return null;
  }
}
