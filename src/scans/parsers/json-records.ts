import { StringDecoder } from 'node:string_decoder';
import { jsonVerifier } from 'stream-json/core/utils/verifier.js';
import { JsonRecordFramer, type FramedRecord, type RecordVerdict } from './json-framer.js';
import type { IssueLog, TextPosition } from './issues.js';

/** One record of a JSON file, parsed, with where it came from. */
export interface JsonRecord {
  value: unknown;
  index: number;
  indexExact: boolean;
  at: TextPosition;
}

export interface ReadJsonOptions {
  file: string;
  issues: IssueLog;
  /** Default 8 MiB of text: Prowler writes 2–4 KB per finding, Custodian a few KB per resource. */
  maxRecordChars?: number;
}

const DEFAULT_MAX_RECORD_CHARS = 8 * 1024 * 1024;

/**
 * Where in `text` JSON stops being valid, as stream-json's verifier sees it. Only run on a record that
 * failed to parse, since the parser itself does not say where.
 */
function locateError(text: string): { offset: number; line: number; pos: number; message: string } | undefined {
  try {
    jsonVerifier()(text);
  } catch (error) {
    const e = error as Partial<{ offset: number; line: number; pos: number; message: string }>;
    if (typeof e.offset === 'number' && typeof e.line === 'number' && typeof e.pos === 'number') {
      return { offset: e.offset, line: e.line, pos: e.pos, message: String(e.message).replace(/^ERROR at \d+ \(\d+, \d+\): /, '') };
    }
  }
  return undefined;
}

/** Position inside the file of a point inside a record, from the record's own start. */
function within(start: TextPosition, line: number, pos: number): TextPosition {
  return line === 1 ? { line: start.line, column: start.column + pos - 1 } : { line: start.line + line - 1, column: pos };
}

/**
 * Streams the records of a JSON array (or NDJSON) file, a batch per chunk read: each complete,
 * parseable record is yielded; each damaged part is recorded in `issues` with its position, and
 * reading goes on after it. Memory stays bounded by the chunk and the largest record, whatever the
 * file's size. Batches, not single records, so a file of 100k records costs a few thousand awaits.
 */
export async function* readJsonRecordBatches(source: AsyncIterable<Buffer | string>, options: ReadJsonOptions): AsyncGenerator<JsonRecord[]> {
  const { file, issues } = options;
  let ready: JsonRecord[] = [];

  const onRecord = (record: FramedRecord): RecordVerdict => {
    let value: unknown;
    try {
      // The framer has cut out exactly one record, so the native parser can take it whole: several
      // times faster than a streaming tokenizer, and it never sets a prototype from a "__proto__" key.
      value = JSON.parse(record.text);
    } catch (error) {
      // Only a damaged record pays for the verifier, which says where the JSON breaks.
      const located = locateError(record.text);
      const at = located ? within(record.at, located.line, located.pos) : record.at;
      const reason = located?.message ?? (error instanceof Error ? error.message : String(error));
      issues.add({
        file,
        at,
        ...(record.indexExact ? { record: record.index } : {}),
        message: `invalid JSON (${reason}); this record is skipped and reading goes on with the next one.`,
      });
      return { resyncFrom: Math.max(1, located?.offset ?? record.text.length) };
    }
    ready.push({ value, index: record.index, indexExact: record.indexExact, at: record.at });
    return undefined;
  };

  const framer = new JsonRecordFramer({ file, issues, onRecord, maxRecordChars: options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS });
  const decoder = new StringDecoder('utf8');
  for await (const chunk of source) {
    framer.push(typeof chunk === 'string' ? chunk : decoder.write(chunk));
    if (ready.length > 0) {
      yield ready;
      ready = [];
    }
  }
  const rest = decoder.end();
  if (rest) framer.push(rest);
  framer.end();
  if (ready.length > 0) yield ready;
}

/** One record at a time, for small files (metadata.json) and tests. */
export async function* readJsonRecords(source: AsyncIterable<Buffer | string>, options: ReadJsonOptions): AsyncGenerator<JsonRecord> {
  for await (const batch of readJsonRecordBatches(source, options)) yield* batch;
}
