/**
 * The parts of a `/run` request people read: the exact command on the request's cards, and the
 * command's output (or why there is none) in the request's thread.
 */
import type { Directory } from '../../access/directory.js';
import type { CommandRunOutcome } from '../../access/command-runner.js';
import { formatTime } from '../../access/duration.js';
import type { AccessRequest, RunCommandSpec } from '../../access/types.js';
import { code, codeBlock, literal, type Card, type CardBlock } from './model.js';

/** Each of stdout and stderr; two of them and the headings stay under Slack's 3,000-character section. */
export const OUTPUT_SHOWN_CHARS = 1200;

export function instanceLabel(run: RunCommandSpec): string {
  return run.instanceName ? `${code(run.instanceId)} (${literal(run.instanceName)})` : code(run.instanceId);
}

/** The command exactly as it will run, for the preview, status and approval cards. */
export function runCommandBlock(run: RunCommandSpec): CardBlock {
  return { type: 'text', text: `**Command** (${code(run.document)} on ${instanceLabel(run)}, run once by Warden)\n${codeBlock(run.command)}` };
}

/** The card line for a run request once it has moved past approval; null for the usual grant lines. */
export function runOutcomeLine(request: AccessRequest, directory: Directory, approvals: string): string | null {
  if (!request.run) return null;
  switch (request.state) {
    case 'approved':
    case 'granting':
      return `✅ Approved by ${approvals}. Running the command…`;
    case 'expired': {
      if (!request.grant) return null;
      const { handle } = request.grant;
      if (request.grant.mode === 'dry-run') return `✅ Approved by ${approvals}. Dry run at ${formatTime(request.grant.grantedAt)}: nothing was run.`;
      const exit = handle['exitCode'] !== undefined && handle['exitCode'] !== '' ? `, exit code ${handle['exitCode']}` : '';
      return `✅ Approved by ${approvals}. Ran at ${formatTime(request.grant.grantedAt)}: ${literal(handle['status'] ?? 'finished')}${exit}. Nothing stays granted.`;
    }
    case 'failed':
      return `❗ The command did not complete: ${literal(request.failure ?? 'unknown error')}`;
    default:
      return null;
  }
}

/** Characters as chat markup writes them (`&amp;`, `\\*`): what counts against a block's limit. */
function markupLength(c: string): number {
  return c === '&' ? 5 : c === '<' || c === '>' ? 4 : '*_`[]\\'.includes(c) ? 2 : 1;
}

/** Long output keeps its end, where errors and results usually are, and says what was cut. */
function tail(text: string, max: number): { shown: string; cut: number } {
  // Slack caps a section at 3,000 characters of markup; cutting here keeps the closing fence.
  const budget = max * 2;
  let start = text.length;
  let used = 0;
  while (start > 0 && text.length - start < max) {
    const next = used + markupLength(text[start - 1]!);
    if (next > budget) break;
    used = next;
    start--;
  }
  return { shown: text.slice(start), cut: start };
}

/** Output can hold anything; a run of backticks must not end the fence early. */
function fenceSafe(text: string): string {
  return text.replace(/```/g, '`\u200b`\u200b`');
}

function outputSection(label: string, text: string): string {
  const { shown, cut } = tail(text.replace(/\s+$/, ''), OUTPUT_SHOWN_CHARS);
  const note = cut > 0 ? `\n_Truncated: the first ${cut.toLocaleString('en-US')} characters are not shown._` : '';
  return `**${label}**${note}\n${codeBlock(fenceSafe(shown))}`;
}

/** Posted in the request's thread once the command has run (or, in dry-run mode, would have). */
export function runResultCard(request: AccessRequest, outcome: CommandRunOutcome): Card {
  const run = request.run!;
  const where = `${instanceLabel(run)} in ${literal(request.draft.accountName)}`;
  if (outcome.kind === 'dry-run') {
    const text = `🧪 Dry run of \`${request.id}\`: Warden would run this on ${where}; nothing was run.\n${codeBlock(run.command)}`;
    return {
      fallback: `Dry run of ${request.id}: nothing was run.`,
      blocks: [{ type: 'text', text }, { type: 'context', text: outcome.calls.map(literal).join('\n') }],
    };
  }
  const ok = outcome.status === 'Success' && (outcome.exitCode ?? 0) === 0;
  const exit = outcome.exitCode === null ? '' : `, exit code ${outcome.exitCode}`;
  const heading = `${ok ? '✅' : '❗'} \`${request.id}\` ran on ${where}: **${literal(outcome.status)}**${exit}.`;
  const blocks: CardBlock[] = [{ type: 'text', text: heading }];
  const stdout = outcome.stdout.trim() === '' ? '' : outcome.stdout;
  const stderr = outcome.stderr.trim() === '' ? '' : outcome.stderr;
  if (stdout) blocks.push({ type: 'text', text: outputSection('Output', stdout) });
  if (stderr) blocks.push({ type: 'text', text: outputSection('Errors (stderr)', stderr) });
  if (!stdout && !stderr) blocks.push({ type: 'context', text: 'The command printed nothing.' });
  blocks.push({ type: 'context', text: `SSM command ${code(outcome.commandId)} · SSM keeps at most 24,000 characters of output inline. Nothing stays granted.` });
  return { fallback: `${request.id} ran on ${run.instanceId}: ${outcome.status}${exit}.`, blocks };
}

/** Posted in the thread when the command could not be run or did not finish in time. */
export function runFailedText(request: AccessRequest, failure: string): string {
  return `❗ The command of \`${request.id}\` did not complete: ${literal(failure)}. Nothing stays granted; the audit log has the details.`;
}

/** `/run help` (and `run help` on Teams). */
export function runHelpCard(): Card {
  const text = [
    '**Run one command on one instance, after approval**',
    '`/run <instance-id or Name> [account] <why> -- <command>`',
    'Everything after `--` is the command, exactly as typed (AWS-RunShellScript, as root). Before it: the instance (an id, or its EC2 `Name` tag), the account when you may use several, and why.',
    'Example: `/run web-1 payments-prod INC-42 the export worker is stuck -- systemctl status export-worker`',
    'The approvers see the exact command. Once approved, Warden runs it once through SSM Run Command and posts the output in the request’s thread; nothing stays granted to you.',
  ].join('\n');
  return { fallback: 'How to use /run', blocks: [{ type: 'text', text }] };
}
