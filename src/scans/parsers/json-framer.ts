import type { IssueLog, TextPosition } from './issues.js';

/**
 * Finds where each record of a JSON array (or of a stream of concatenated / line-delimited JSON
 * objects) starts and ends, without parsing it. Parsing is done per record by the caller (with
 * stream-json), so a record that does not parse costs only that record: the framer reports it and
 * looks for the next record, instead of the whole rest of the file being lost as it would be with
 * one parser over the file.
 *
 * It only tracks strings, escapes and bracket depth, so it is cheap next to the parse itself.
 * Records must be objects, which is true of every format we read (Prowler OCSF / ASFF, Custodian
 * resources.json, CloudSploit JSON).
 */

export interface FramedRecord {
  text: string;
  /** 0-based record number; only exact while no part of the file has been skipped. */
  index: number;
  /** Whether `index` is exact (no skipped part before this record). */
  indexExact: boolean;
  at: TextPosition;
}

/** What the record handler says: accepted (`undefined`), or "look for the next record from this offset in the text". */
export type RecordVerdict = undefined | { resyncFrom: number };

export interface FramerOptions {
  file: string;
  issues: IssueLog;
  onRecord: (record: FramedRecord) => RecordVerdict;
  /** A record longer than this is treated as damage (e.g. a lost closing bracket) rather than buffered. */
  maxRecordChars: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const BOM = 0xfeff;

type Phase = 'start' | 'between' | 'record' | 'after' | 'resync';

/** An indexOf result, with "not found" as `n` (past the end), so the nearest of several is their minimum. */
function found(index: number, n: number): number {
  return index < 0 ? n : index;
}

function isSpace(c: number): boolean {
  return c === SPACE || c === LF || c === CR || c === TAB;
}

function show(c: number): string {
  return JSON.stringify(String.fromCharCode(c));
}

export class JsonRecordFramer {
  private phase: Phase = 'start';
  /** Top level is an array (`[…]`) or a stream of objects (NDJSON / concatenated). */
  private container: 'array' | 'stream' = 'array';

  // Position of the next character to scan.
  private line = 1;
  private lineStart = 0;
  private offset = 0;

  // The record being framed.
  private depth = 0;
  private inString = false;
  private escape = false;
  private parts: string[] = [];
  private partsLength = 0;
  private recordStart: TextPosition & { offset: number } = { line: 1, column: 1, offset: 0 };
  private recordCount = 0;
  private skipped = false;

  // Where records start, learnt from the first one: used to find the next record after damage.
  private firstColumn: number | undefined;
  private pretty = false;
  private sawNonSpaceOnLine = false;
  private lastNonSpace = -1;

  constructor(private readonly opts: FramerOptions) {}

  push(chunk: string): void {
    this.scan(chunk);
    if (this.phase === 'record') {
      this.partsLength += chunk.length - this.pendingFrom;
      this.parts.push(this.pendingFrom === 0 ? chunk : chunk.slice(this.pendingFrom));
      if (this.partsLength > this.opts.maxRecordChars) this.oversized();
    }
  }

  end(): void {
    const { file, issues } = this.opts;
    switch (this.phase) {
      case 'start':
        issues.add({ file, message: 'the file is empty: no records.' });
        return;
      case 'record':
        issues.add({
          file,
          at: this.position(this.recordStart),
          ...this.recordNumber(),
          message: `the file ends inside this record (at line ${this.line}): it looks truncated. The records before it are kept.`,
        });
        return;
      case 'between':
        if (this.container === 'array') {
          issues.add({ file, at: this.here(), message: 'the file ends before the closing "]": it looks truncated. Every complete record is kept.' });
        }
        return;
      default:
        return;
    }
  }

  // Index into the current chunk from which the open record's text has not yet been saved.
  private pendingFrom = 0;

  private scan(s: string): void {
    const n = s.length;
    this.pendingFrom = 0;
    let i = 0;
    if (this.offset === 0 && n > 0 && s.charCodeAt(0) === BOM) i = 1;
    const base = this.offset;
    // Where the next character of each kind that matters inside a record is (n: none in this chunk).
    // Kept for the whole chunk and looked up again with indexOf only once passed, so the hot loop
    // jumps from one to the next instead of visiting every character (indentation, numbers, literals).
    let nextQuote = -1;
    let nextOpenBrace = -1;
    let nextCloseBrace = -1;
    let nextOpenBracket = -1;
    let nextCloseBracket = -1;
    let nextLf = -1;
    for (; i < n; i++) {
      if (this.phase === 'record') {
        // The hot loop: everything inside a record. State lives in locals while it runs.
        let depth = this.depth;
        let inString = this.inString;
        let escape = this.escape;
        let closedAt = -1;
        let brokenAt = -1;
        for (; i < n; i++) {
          if (inString) {
            // Only at the start of a chunk, when a string began in the previous one: go character by character.
            const d = s.charCodeAt(i);
            if (escape) escape = false;
            else if (d === BACKSLASH) escape = true;
            else if (d === QUOTE) inString = false;
            else if (d === LF) {
              brokenAt = i;
              break;
            }
            continue;
          }
          if (nextQuote < i) nextQuote = found(s.indexOf('"', i), n);
          if (nextOpenBrace < i) nextOpenBrace = found(s.indexOf('{', i), n);
          if (nextCloseBrace < i) nextCloseBrace = found(s.indexOf('}', i), n);
          if (nextOpenBracket < i) nextOpenBracket = found(s.indexOf('[', i), n);
          if (nextCloseBracket < i) nextCloseBracket = found(s.indexOf(']', i), n);
          if (nextLf < i) nextLf = found(s.indexOf('\n', i), n);
          i = Math.min(nextQuote, nextOpenBrace, nextCloseBrace, nextOpenBracket, nextCloseBracket, nextLf);
          if (i >= n) break;
          const d = s.charCodeAt(i);
          if (d === QUOTE) {
            // Strings are most of the text: find the closing quote with indexOf, skipping escaped ones.
            let from = i + 1;
            let end = -1;
            for (;;) {
              const q = s.indexOf('"', from);
              if (q < 0) break;
              let backslashes = 0;
              for (let b = q - 1; b > i && s.charCodeAt(b) === BACKSLASH; b--) backslashes++;
              if (backslashes % 2 === 0) {
                end = q;
                break;
              }
              from = q + 1;
            }
            // JSON strings cannot hold a raw line break: a quote was lost, and every quote after it
            // would be read the wrong way round. Give up this record at the line break instead.
            if (nextLf < n && (end < 0 || nextLf < end)) {
              brokenAt = nextLf;
              break;
            }
            if (end < 0) {
              // The string goes on in the next chunk.
              inString = true;
              let trailing = 0;
              for (let b = n - 1; b > i && s.charCodeAt(b) === BACKSLASH; b--) trailing++;
              escape = trailing % 2 === 1;
              i = n;
              break;
            }
            i = end;
          } else if (d === OPEN_BRACE || d === OPEN_BRACKET) depth++;
          else if (d === CLOSE_BRACE || d === CLOSE_BRACKET) {
            if (--depth === 0) {
              closedAt = i;
              break;
            }
          } else if (d === LF) this.newline(base + i);
        }
        this.depth = depth;
        this.inString = inString;
        this.escape = escape;
        if (brokenAt >= 0) {
          this.breakRecord(s, brokenAt, base);
          // Go on after the line break (breakRecord counted it).
          i = brokenAt;
          continue;
        }
        if (closedAt < 0) break;
        this.finishRecord(s, closedAt, base);
        continue;
      }
      const c = s.charCodeAt(i);
      if (c === LF) {
        this.newline(base + i);
        continue;
      }
      if (isSpace(c)) continue;
      switch (this.phase) {
        case 'start':
          if (c === OPEN_BRACKET) {
            this.container = 'array';
            this.phase = 'between';
          } else if (c === OPEN_BRACE) {
            this.container = 'stream';
            this.startRecord(i, base);
            continue;
          } else {
            this.damage(base + i, `the file does not start with "[" or "{" but with ${show(c)}; looking for records further on.`);
          }
          break;
        case 'between':
          if (c === OPEN_BRACE) {
            this.startRecord(i, base);
            continue;
          }
          if (c === CLOSE_BRACKET && this.container === 'array') this.phase = 'after';
          else if (c !== COMMA) this.damage(base + i, `unexpected ${show(c)} between records; skipping to the next record.`);
          break;
        case 'after':
          if (c === OPEN_BRACKET) this.phase = 'between';
          else this.damage(base + i, `unexpected ${show(c)} after the end of the array; looking for more records.`);
          break;
        case 'resync':
          if (c === OPEN_BRACE && this.isRecordStart(base + i)) {
            this.startRecord(i, base);
            continue;
          }
          break;
        default:
          break;
      }
      this.sawNonSpaceOnLine = true;
      this.lastNonSpace = c;
    }
    this.offset = base + n;
  }

  private newline(at: number): void {
    this.line += 1;
    this.lineStart = at + 1;
    this.sawNonSpaceOnLine = false;
  }

  private here(): TextPosition {
    return { line: this.line, column: this.offset - this.lineStart + 1 };
  }

  private position(p: TextPosition): TextPosition {
    return { line: p.line, column: p.column };
  }

  private recordNumber(): { record?: number } {
    return this.skipped ? {} : { record: this.recordCount };
  }

  /** A `{` found while resynchronising: does it look like the start of a top-level record? */
  private isRecordStart(offset: number): boolean {
    const column = offset - this.lineStart + 1;
    if (this.pretty && this.firstColumn !== undefined) return !this.sawNonSpaceOnLine && column === this.firstColumn;
    return this.lastNonSpace === COMMA || this.lastNonSpace === OPEN_BRACKET || (this.container === 'stream' && !this.sawNonSpaceOnLine);
  }

  private startRecord(i: number, base: number): void {
    const offset = base + i;
    const column = offset - this.lineStart + 1;
    if (this.firstColumn === undefined) {
      this.firstColumn = column;
      // One record per line (pretty-printed or NDJSON): after damage, a record starts at this column.
      this.pretty = !this.sawNonSpaceOnLine;
    }
    this.phase = 'record';
    this.depth = 1;
    this.inString = false;
    this.escape = false;
    this.parts = [];
    this.partsLength = 0;
    this.pendingFrom = i;
    this.recordStart = { line: this.line, column, offset };
  }

  private finishRecord(s: string, closedAt: number, base: number): void {
    const tail = s.slice(this.pendingFrom, closedAt + 1);
    const text = this.parts.length === 0 ? tail : this.parts.join('') + tail;
    this.parts = [];
    this.partsLength = 0;
    this.pendingFrom = closedAt + 1;
    this.offset = base + closedAt + 1;
    this.phase = 'between';
    this.sawNonSpaceOnLine = true;
    this.lastNonSpace = CLOSE_BRACE;
    const start = this.recordStart;
    const verdict = this.opts.onRecord({ text, index: this.recordCount, indexExact: !this.skipped, at: this.position(start) });
    this.recordCount += 1;
    if (verdict) this.rewind(text, start, verdict.resyncFrom);
  }

  /** A string in the open record runs into a line break (at `s[i]`): report, then look for the next record from there. */
  private breakRecord(s: string, i: number, base: number): void {
    const tail = s.slice(this.pendingFrom, i);
    const text = this.parts.length === 0 ? tail : this.parts.join('') + tail;
    const start = this.recordStart;
    this.opts.issues.add({
      file: this.opts.file,
      at: { line: this.line, column: base + i - this.lineStart + 1 },
      ...this.recordNumber(),
      message: `a string is not closed before the end of the line (a lost quote?); the record that starts at line ${start.line} is skipped.`,
    });
    this.recordCount += 1;
    this.parts = [];
    this.partsLength = 0;
    this.rewind(text, start, text.length);
    this.pendingFrom = i;
    this.newline(base + i);
  }

  /** Something that is not a record: report it and look for the next record start. */
  private damage(offset: number, message: string): void {
    const column = offset - this.lineStart + 1;
    this.opts.issues.add({ file: this.opts.file, at: { line: this.line, column }, message });
    this.phase = 'resync';
    this.skipped = true;
  }

  private oversized(): void {
    const text = this.parts.join('');
    const start = this.recordStart;
    this.opts.issues.add({
      file: this.opts.file,
      at: this.position(start),
      ...this.recordNumber(),
      message: `this record is longer than ${this.opts.maxRecordChars} characters, so it is taken as damage (a lost closing bracket?) and skipped.`,
    });
    this.parts = [];
    this.partsLength = 0;
    this.rewind(text, start, 1);
  }

  /**
   * Scans `text` again from `from` in resync mode, with the position set back to that point. The
   * text ends where the outer scan is, so the position is right again when this returns.
   */
  private rewind(text: string, start: TextPosition & { offset: number }, from: number): void {
    const before = text.slice(0, from);
    const lastLf = before.lastIndexOf('\n');
    let newlines = 0;
    for (let k = before.indexOf('\n'); k >= 0; k = before.indexOf('\n', k + 1)) newlines++;
    const lineText = lastLf >= 0 ? before.slice(lastLf + 1) : null;
    this.line = start.line + newlines;
    this.lineStart = lastLf >= 0 ? start.offset + lastLf + 1 : start.offset - start.column + 1;
    this.offset = start.offset + from;
    this.phase = 'resync';
    this.skipped = true;
    this.sawNonSpaceOnLine = lineText === null ? true : lineText.trim() !== '';
    const trimmed = before.trimEnd();
    this.lastNonSpace = trimmed.length > 0 ? trimmed.charCodeAt(trimmed.length - 1) : -1;
    const saved = this.pendingFrom;
    this.scan(text.slice(from));
    this.pendingFrom = saved;
    // (The rescan changes the phase; TypeScript still narrows it to 'resync' from above.)
    if ((this.phase as Phase) === 'record') {
      // The rescan ended inside a record that continues in the next chunk: keep its text so far.
      const rest = text.slice(from);
      const startInRest = this.recordStart.offset - (start.offset + from);
      this.parts = [rest.slice(startInRest)];
      this.partsLength = this.parts[0]!.length;
    }
  }
}
