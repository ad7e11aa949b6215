import type { Tool } from '../finding.js';
import { REGION_NAME } from '../parsers/common.js';
import { baseName, dirName, type ResultFile, type ResultFolder } from './files.js';

/** Which parser reads a file (or, for Custodian, a folder of policy outputs). */
export type ResultFormat = 'prowler-ocsf' | 'prowler-asff' | 'prowler-csv' | 'cloudsploit-json' | 'cloudsploit-csv' | 'custodian';

export const FORMAT_TOOL: Record<ResultFormat, Tool> = {
  'prowler-ocsf': 'prowler',
  'prowler-asff': 'prowler',
  'prowler-csv': 'prowler',
  'cloudsploit-json': 'cloudsploit',
  'cloudsploit-csv': 'cloudsploit',
  custodian: 'custodian',
};

export type ResultSource = { format: Exclude<ResultFormat, 'custodian'>; file: ResultFile } | { format: 'custodian'; folder: ResultFolder };

const SNIFF_CHARS = 64 * 1024;

/** The first characters of a file, to tell formats apart. */
async function head(file: ResultFile): Promise<string> {
  let text = '';
  const stream = await file.open();
  for await (const chunk of stream) {
    text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (text.length >= SNIFF_CHARS) break;
  }
  // Leaving the loop early ends the stream's iterator, which closes the file.
  return text.slice(0, SNIFF_CHARS);
}

/** Tells a result file's format from its name and its first characters; undefined when it is none of ours. */
export async function detectFileFormat(file: ResultFile): Promise<ResultFormat | undefined> {
  const name = baseName(file.name).toLowerCase();
  if (name === 'resources.json') return 'custodian';
  if (name.endsWith('.csv')) {
    const firstLine = (await head(file)).split(/\r?\n/, 1)[0] ?? '';
    if (firstLine.includes('CHECK_ID')) return 'prowler-csv';
    if (firstLine.includes('statusWord') || /^category,title,/.test(firstLine)) return 'cloudsploit-csv';
    return undefined;
  }
  if (!name.endsWith('.json')) return undefined;
  if (name === 'metadata.json') return undefined;
  const text = await head(file);
  if (/"event_code"\s*:|"class_uid"\s*:\s*200[14]/.test(text)) return 'prowler-ocsf';
  if (/"GeneratorId"\s*:\s*"prowler-/.test(text) || name.includes('asff')) return 'prowler-asff';
  if (/"plugin"\s*:/.test(text) && /"category"\s*:/.test(text)) return 'cloudsploit-json';
  return undefined;
}

/**
 * The result sources in a folder. Step Functions runs write `prowler/`, `custodian/` and
 * `cloudsploit/` under the results prefix; an imported folder may be any one tool's output. Prowler's
 * `compliance/` reports and HTML are not findings and are skipped.
 */
export async function detectFolder(folder: ResultFolder, subFolder: (name: string) => ResultFolder): Promise<{ sources: ResultSource[]; skipped: string[] }> {
  const sources: ResultSource[] = [];
  const skipped: string[] = [];
  const custodianRoots = new Set<string>();
  for await (const file of folder.files()) {
    const parts = file.name.split('/');
    if (parts.includes('compliance')) continue;
    const format = await detectFileFormat(file);
    if (format === 'custodian') {
      // The Custodian root is the folder above the policy folders, and above the region folders if any.
      const parent = dirName(dirName(file.name));
      custodianRoots.add(REGION_NAME.test(baseName(parent)) ? dirName(parent) : parent);
      continue;
    }
    if (format) sources.push({ format, file });
    else if (!/\.(html|log)$/i.test(file.name) && baseName(file.name) !== 'metadata.json') skipped.push(file.name);
  }
  for (const root of [...custodianRoots].sort()) {
    // A deeper root is already covered by a shallower one: <root>/<region>/<policy>/ is one output.
    if ([...custodianRoots].some((other) => other !== root && (other === '' || root.startsWith(`${other}/`)))) continue;
    sources.push({ format: 'custodian', folder: root === '' ? folder : subFolder(root) });
  }
  return { sources, skipped };
}
