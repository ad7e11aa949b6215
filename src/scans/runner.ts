import { z } from 'zod';
import { TOOLS, type Tool } from './finding.js';
import type { ChatMessageRef, ToolState } from './scan.js';

/** What the scan state machine is started with (its input document). */
export interface ScanExecutionInput {
  scanId: string;
  account: { id: string; name: string };
  /** The role the tasks assume in the scanned account; null for the account the scanners run in. */
  roleArn: string | null;
  /** Empty: every enabled region. */
  regions: string[];
  tools: Tool[];
  /** Org user id. */
  requestedBy: string;
  channel: string;
  /** The progress message, so a completion event routed to the bot can find the scan without a lookup. */
  message: ChatMessageRef | null;
}

/**
 * The execution's output, as the scan state machine must write it: where the results are (an
 * s3://bucket/prefix or a local folder) and, optionally, how each tool ended. Under `location`,
 * each tool writes to `prowler/`, `custodian/` and `cloudsploit/` unless `tools.<tool>.location` says
 * otherwise.
 */
export const ScanOutputSchema = z.object({
  location: z.string().min(1),
  tools: z
    .partialRecord(
      z.enum(TOOLS),
      z.object({ status: z.enum(['succeeded', 'failed', 'skipped']), location: z.string().min(1).optional(), error: z.string().optional() }),
    )
    .optional(),
});
export type ScanOutput = z.infer<typeof ScanOutputSchema>;

export type ExecutionState = 'running' | 'succeeded' | 'failed';

export interface ExecutionStatus {
  state: ExecutionState;
  /** Each tool's progress as far as the execution shows it. */
  tools: Partial<Record<Tool, ToolState>>;
  /** When succeeded. */
  output?: ScanOutput;
  /** When failed: the error and cause the execution ended with, for people. */
  error?: string;
}

/** Runs scans somewhere else (Step Functions and ECS); the bot only starts and watches them. */
export interface ScanRunner {
  /** Starts the scan. Starting the same scan id twice starts one execution (the id names it). */
  start(input: ScanExecutionInput): Promise<{ executionArn: string }>;
  status(executionArn: string): Promise<ExecutionStatus>;
}
