/** Words of a Teams message as the person typed them. */

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&nbsp;': ' ', '&amp;': '&' };

/**
 * Teams writes mentions as `<at>Name</at>` and may send rich text as HTML; the drafter and the
 * command parser should see only the words.
 */
export function messageWords(text: string): string {
  return text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/<\/?[a-z][^>]*>/gi, ' ')
    .replace(/&(lt|gt|quot|#39|nbsp|amp);/g, (entity) => ENTITIES[entity] ?? entity)
    .replace(/\s+/g, ' ')
    .trim();
}

export const COMMANDS = ['request', 'list', 'status', 'cancel', 'release', 'help', 'scan', 'ssh', 'run'] as const;
export type CommandName = (typeof COMMANDS)[number];

export interface Command {
  name: CommandName;
  /** The request id of status, cancel and release. */
  id?: string;
  /** `access help <question>`: a question for the help assistant. */
  question?: string;
  /** `scan`, `ssh`, `run`: the words after the command, read as Slack's slash command text. */
  args?: string;
}

/**
 * `access <command> [id]` from the bot's command menu (a leading slash is forgiven), `access help
 * <question>`, or a bare `help`. Anything else is a request in plain words: "access to the billing
 * bucket for 2 hours" must reach the drafter, so only the exact command shapes count.
 */
export function parseCommand(words: string): Command | null {
  if (/^help$/i.test(words)) return { name: 'help' };
  // `scan …` as on Slack's `/scan` (Teams bots have no slash commands of their own).
  const scan = /^\/?scan(?:\s+(.*))?$/i.exec(words);
  if (scan) return { name: 'scan', args: scan[1]?.trim() ?? '' };
  // `run … -- <command>` as on Slack's `/run`. Without `--` (or an instance id first) "run …" stays plain words for the drafter.
  const run = /^\/?run(?:\s+(.*))?$/i.exec(words);
  if (run && (run[1] === undefined || /^help$/i.test(run[1].trim()) || /(?:^|\s)(?:--|—)(?:\s|$)/.test(run[1]) || /^i-[0-9a-f]{8}/.test(run[1]))) {
    return { name: 'run', args: run[1]?.trim() ?? '' };
  }
  const match = /^\/?access(?:\s+(\S+))?(?:\s+(.+))?$/i.exec(words);
  if (!match) return null;
  const name = COMMANDS.find((c) => c === (match[1] ?? 'help').toLowerCase());
  if (!name) return null;
  const rest = match[2]?.trim();
  if (name === 'scan') return { name, args: rest ?? '' };
  if (name === 'ssh' || name === 'run') return { name, args: rest ?? '' };
  if (!rest) return { name };
  if (name === 'help') return { name, question: rest };
  const takesId = name === 'status' || name === 'cancel' || name === 'release';
  return takesId && !/\s/.test(rest) ? { name, id: rest } : null;
}
