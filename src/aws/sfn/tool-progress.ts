import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { TOOLS, type Tool } from '../../scans/finding.js';
import type { ToolState } from '../../scans/scan.js';

/**
 * Each tool's progress, read from the execution's history. The scan state machine names the state
 * that runs a tool after the tool ("Prowler", "RunCustodian", "CloudSploit scan"…, matched without
 * case) and, if it catches a tool's failure, routes it to a state whose name also says "failed"
 * ("ProwlerFailed"). Entering a tool's state means running, leaving it succeeded.
 */
export function toolOf(stateName: string): Tool | undefined {
  const name = stateName.toLowerCase();
  return TOOLS.find((tool) => name.includes(tool));
}

export function toolProgress(events: readonly HistoryEvent[], tools: readonly Tool[]): Partial<Record<Tool, ToolState>> {
  const progress: Partial<Record<Tool, ToolState>> = {};
  for (const tool of tools) progress[tool] = 'pending';
  for (const event of events) {
    const entered = event.stateEnteredEventDetails?.name;
    const exited = event.stateExitedEventDetails?.name;
    const name = entered ?? exited;
    if (!name) continue;
    const tool = toolOf(name);
    if (!tool || !(tool in progress)) continue;
    if (/fail/i.test(name)) progress[tool] = 'failed';
    else if (progress[tool] === 'failed') continue;
    else progress[tool] = entered ? 'running' : 'succeeded';
  }
  return progress;
}
