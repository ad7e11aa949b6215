import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { ConfigError, type ConfigIssue } from './config-error.js';

/** A config file's parsed data, plus a way back from a field path to the line the admin has to edit. */
export interface ParsedSource {
  file: string;
  data: unknown;
  /** Line of the field, or of its closest existing parent when the field is missing. */
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

type Format = 'yaml' | 'json';

function formatOf(file: string): Format | undefined {
  const ext = extname(file).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  if (ext === '.json') return 'json';
  return undefined;
}

/**
 * Reads and parses a config file. `missingHint` says how to point Warden at the right file: the person
 * reading the error is usually setting Warden up and does not know the variable names yet.
 */
export async function readSource(file: string, missingHint: string): Promise<ParsedSource> {
  if (!formatOf(file)) throw unsupported(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? `file not found (looked for ${resolve(file)}). ${missingHint}`
        : `cannot read the file (${code ?? String(err)}). ${missingHint}`;
    throw new ConfigError(file, [{ path: '', message }]);
  }
  return parseSource(file, text);
}

/** Parses YAML or JSON text by the file's extension; syntax errors become a ConfigError with the line. */
export function parseSource(file: string, text: string): ParsedSource {
  const format = formatOf(file);
  if (!format) throw unsupported(file);
  // JSON is parsed by JSON.parse so a .json file is held to JSON; YAML (a superset) only maps paths to lines.
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });

  let data: unknown;
  if (format === 'json') {
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new ConfigError(file, [jsonSyntaxIssue(err, text, doc.errors[0]?.linePos?.[0].line)]);
    }
  } else {
    const first = doc.errors[0];
    // Only the first: one bad indent makes the parser report every following line as well.
    if (first) throw new ConfigError(file, [yamlSyntaxIssue(first.message, first.linePos?.[0], text)]);
    data = doc.toJS();
  }

  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    let node: unknown = doc.contents;
    let offset = rangeStart(node);
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(key));
        if (!pair) break;
        offset = rangeStart(pair.key) ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof key === 'number') {
        const item: unknown = node.items[key];
        if (item === undefined) break;
        node = item;
        offset = rangeStart(item) ?? offset;
      } else {
        break;
      }
    }
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  };

  return { file, data, lineOf };
}

function rangeStart(node: unknown): number | undefined {
  if (node && typeof node === 'object' && 'range' in node && Array.isArray(node.range)) {
    const start: unknown = node.range[0];
    return typeof start === 'number' ? start : undefined;
  }
  return undefined;
}

function unsupported(file: string): ConfigError {
  return new ConfigError(file, [
    { path: '', message: `unsupported file type "${extname(file)}"; use a .yaml, .yml or .json file` },
  ]);
}

function yamlSyntaxIssue(raw: string, pos: { line: number; col: number } | undefined, text: string): ConfigIssue {
  // The yaml library appends "at line L, column C:" and a code excerpt; we keep one line and say it ourselves.
  const first = (raw.split('\n')[0] ?? raw).replace(/ at line \d+, column \d+:?$/, '');
  const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
  const sourceLine = pos ? (text.split(/\r?\n/)[pos.line - 1] ?? '') : '';
  // An unquoted "*" (every account) is YAML alias syntax: the commonest way to break a rules file.
  const hint = /(^|[\s[,-])\*(\s*[\],]|\s*$)/.test(sourceLine) ? '; write "*" in quotes to mean every account' : '';
  const issue: ConfigIssue = { path: '', message: `YAML syntax error${where}: ${first}${hint}` };
  if (pos) issue.line = pos.line;
  return issue;
}

function jsonSyntaxIssue(err: unknown, text: string, yamlLine: number | undefined): ConfigIssue {
  // Node 20 echoes a slice of the input after the comma; the reader has the file, so we drop it.
  const first = (err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err)).replace(/, ".*$/, '');
  const position = /at position (\d+)/.exec(first)?.[1];
  const line = position !== undefined ? text.slice(0, Number(position)).split('\n').length : yamlLine;
  const issue: ConfigIssue = {
    path: '',
    message: `JSON syntax error${line !== undefined ? ` at line ${line}` : ''}: ${first}`,
  };
  if (line !== undefined) issue.line = line;
  return issue;
}
