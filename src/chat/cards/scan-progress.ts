import { TOOL_LABELS, type Tool } from '../../scans/finding.js';
import type { Scan, ToolState } from '../../scans/scan.js';
import { literal, type Card } from './model.js';

const TOOL_STATE: Record<ToolState, string> = { pending: '⏳', running: '🔄', succeeded: '✅', failed: '❌', skipped: '➖' };

export function toolLine(scan: Pick<Scan, 'tools' | 'toolStates'>): string {
  return scan.tools.map((tool: Tool) => `${TOOL_LABELS[tool]} ${TOOL_STATE[scan.toolStates[tool] ?? 'pending']}`).join('  ');
}

/** The one message a running scan updates: who started it, and each tool's progress. */
export function scanProgressCard(scan: Scan, requestedByName: string): Card {
  const what = scan.source === 'import' ? 'Import of results for' : 'Scan of';
  const head = `${what} **${literal(scan.accountName)}** started by ${literal(requestedByName)}`;
  const stage =
    scan.state === 'ingesting'
      ? 'Reading the results…'
      : scan.state === 'starting'
        ? 'Starting…'
        : scan.regions.length > 0
          ? `Regions: ${scan.regions.map(literal).join(', ')}`
          : 'All enabled regions';
  return {
    fallback: `${what} ${scan.accountName} started by ${requestedByName}: ${toolLine(scan)}`,
    blocks: [
      { type: 'text', text: `${head} — ${toolLine(scan)}` },
      { type: 'context', text: `${stage} · scan \`${scan.id}\`` },
    ],
  };
}

/** What the message says when a scan could not finish. */
export function scanFailedCard(scan: Scan, requestedByName: string): Card {
  const what = scan.source === 'import' ? 'Import' : 'Scan';
  return {
    fallback: `${what} of ${scan.accountName} failed: ${scan.error ?? 'unknown error'}`,
    blocks: [
      { type: 'text', text: `❌ ${what} of **${literal(scan.accountName)}** started by ${literal(requestedByName)} failed — ${toolLine(scan)}` },
      { type: 'text', text: literal(scan.error ?? 'No reason was given.') },
      { type: 'context', text: `scan \`${scan.id}\`` },
    ],
  };
}
