import { Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import type { IssueLog } from './issues.js';

export interface CsvRecord {
  value: Record<string, string>;
  /** 0-based data row number (the header is not counted). */
  index: number;
  /** 1-based line where the row ends (a row with quoted line breaks spans several). */
  line: number;
}

export interface ReadCsvOptions {
  file: string;
  issues: IssueLog;
  delimiter: string;
}

function errorLine(error: CsvError | undefined): number | undefined {
  const lines = error?.['lines'];
  return typeof lines === 'number' ? lines : undefined;
}

/**
 * Streams the rows of a CSV file with a header row, as column → value. A row that does not parse (a
 * wrong number of columns, a quote never closed) is recorded in `issues` with its line, and the rows
 * after it are still read; a file cut in the middle of a row loses only that row.
 */
export async function* readCsvRecords(source: AsyncIterable<Buffer | string>, options: ReadCsvOptions): AsyncGenerator<CsvRecord> {
  const { file, issues } = options;
  const parser = Readable.from(source).pipe(
    parse({
      delimiter: options.delimiter,
      columns: true,
      bom: true,
      info: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (error: CsvError | undefined) => {
        const line = errorLine(error);
        issues.add({
          file,
          ...(line === undefined ? {} : { at: { line, column: 1 } }),
          message: `a row that does not parse (${error?.message ?? 'unknown error'}) is skipped; the rows after it are read.`,
        });
        return undefined;
      },
    }),
  );
  let index = 0;
  try {
    for await (const item of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      yield { value: item.record, index, line: item.info.lines };
      index += 1;
    }
  } catch (error) {
    // Errors skip_records_with_error does not cover, e.g. a quote opened in the last row and never closed.
    const csvError = error as CsvError;
    const line = errorLine(csvError);
    issues.add({
      file,
      ...(line === undefined ? {} : { at: { line, column: 1 } }),
      message: `the file stops parsing here (${csvError.message}); it looks truncated or damaged. The rows before it are kept.`,
    });
  }
}
