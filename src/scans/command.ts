import { TOOLS, type Tool } from './finding.js';
import { REGION_NAME } from './parsers/common.js';

/** `/scan …` as typed, parsed. Pure: what it means for whom is the workflow's business. */
export type ScanCommand =
  | { kind: 'start'; account?: string; tools?: Tool[]; regions: string[] }
  | { kind: 'status' }
  | { kind: 'last'; account?: string }
  | { kind: 'import'; account?: string; path: string }
  | { kind: 'help' }
  | { kind: 'invalid'; message: string };

function splitList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((v) => v.trim()).filter(Boolean);
}

function options(words: string[]): { rest: string[]; flags: Map<string, string>; error?: string } {
  const rest: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (!word.startsWith('--')) {
      rest.push(word);
      continue;
    }
    const [name, inline] = word.slice(2).split('=', 2) as [string, string | undefined];
    const value = inline ?? words[++i];
    if (value === undefined || value.startsWith('--')) return { rest, flags, error: `\`--${name}\` needs a value.` };
    flags.set(name.toLowerCase(), value);
  }
  return { rest, flags };
}

export function parseScanCommand(text: string): ScanCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const first = words[0]?.toLowerCase();
  if (first === 'help') return { kind: 'help' };
  if (first === 'status') return { kind: 'status' };
  if (first === 'last') return words.length > 2 ? { kind: 'invalid', message: 'Use `/scan last [account]`.' } : { kind: 'last', ...(words[1] ? { account: words[1] } : {}) };
  if (first === 'import') {
    const rest = words.slice(1);
    if (rest.length === 0 || rest.length > 2) return { kind: 'invalid', message: 'Use `/scan import [account] <path>` for a Prowler, Custodian or CloudSploit output file or folder in the import folder. To import a file from your computer, upload it to me in a DM (or in a channel I am in) with the message `scan import [account]`.' };
    return rest.length === 2 ? { kind: 'import', account: rest[0]!, path: rest[1]! } : { kind: 'import', path: rest[0]! };
  }
  const parsed = options(words);
  if (parsed.error) return { kind: 'invalid', message: parsed.error };
  const unknown = [...parsed.flags.keys()].filter((f) => !['tools', 'tool', 'region', 'regions'].includes(f));
  if (unknown.length > 0) return { kind: 'invalid', message: `I don't know \`--${unknown[0]}\`. Options: \`--tools prowler,custodian,cloudsploit\`, \`--region eu-west-1\`.` };
  if (parsed.rest.length > 1) return { kind: 'invalid', message: `Name one account: \`/scan ${parsed.rest[0]}\`.` };
  const toolWords = splitList(parsed.flags.get('tools') ?? parsed.flags.get('tool')).map((t) => t.toLowerCase());
  const badTool = toolWords.find((t) => !(TOOLS as readonly string[]).includes(t));
  if (badTool) return { kind: 'invalid', message: `\`${badTool}\` is not a scanner I run. Choose from ${TOOLS.join(', ')}.` };
  const regions = splitList(parsed.flags.get('region') ?? parsed.flags.get('regions'));
  const badRegion = regions.find((r) => !REGION_NAME.test(r));
  if (badRegion) return { kind: 'invalid', message: `\`${badRegion}\` is not a region name like \`eu-west-1\`.` };
  return {
    kind: 'start',
    ...(parsed.rest[0] ? { account: parsed.rest[0] } : {}),
    ...(toolWords.length > 0 ? { tools: [...new Set(toolWords)] as Tool[] } : {}),
    regions: [...new Set(regions)],
  };
}
