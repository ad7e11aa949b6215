/**
 * One measurement in its own process, so its peak RSS is its own: `worker.ts <mode> <file> <dir>`.
 * Prints one JSON line: { records, seconds, maxRssMb }.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { StringDecoder } from 'node:string_decoder';
import Assembler from 'stream-json/core/assembler.js';
import { jsonParser } from 'stream-json/core/parser.js';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import { ingestResults } from '../../src/scans/ingest.js';
import { normalize } from '../../src/scans/normalize/scan-finding.js';
import { IssueLog } from '../../src/scans/parsers/issues.js';
import { parseProwlerOcsf } from '../../src/scans/parsers/prowler-ocsf.js';
import { localFile } from '../../src/scans/results/local-files.js';
import { SqliteScanStore } from '../../src/scans/sqlite/sqlite-scan-store.js';
import { summarizeScan } from '../../src/scans/summarize.js';
import { wafrCatalog } from '../../src/scans/wafr/catalog.js';
import { memoizedMapper } from '../../src/scans/wafr/mapper.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const CHUNK = 256 * 1024;
const [mode, file, dir] = process.argv.slice(2) as [string, string, string];

/** Bytes only: what the disk and the stream machinery cost. */
async function read(): Promise<number> {
  let bytes = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) bytes += (chunk as Buffer).length;
  return bytes;
}

/** The floor: stream-json's tokenizer and assembler over the file, each record built and dropped. */
async function floor(): Promise<number> {
  const tokenizer = jsonParser({ packValues: true, streamValues: false });
  const assembler = new Assembler();
  const decoder = new StringDecoder('utf8');
  let records = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) {
    const tokens = tokenizer(decoder.write(chunk as Buffer));
    if (typeof tokens === 'symbol') continue;
    for (const token of tokens.values) {
      assembler.consume(token);
      // Depth 1 is the top-level array: a record just closed.
      if (token.name === 'endObject' && assembler.depth === 1) {
        (assembler.current as unknown[]).pop();
        records++;
      }
    }
  }
  return records;
}

/** stream-json's documented Node-stream pipeline (parser + streamArray as a Duplex), for reference. */
function pipeline(): Promise<number> {
  return new Promise((resolve, reject) => {
    let records = 0;
    const source = createReadStream(file, { highWaterMark: CHUNK });
    const records$ = source.pipe(streamArray.withParserAsStream());
    records$.on('data', () => void records++);
    records$.on('end', () => resolve(records));
    records$.on('error', reject);
    source.on('error', reject);
  });
}

/** Our Prowler parser alone: framing, parsing, schema checks, no storage. */
async function parse(): Promise<number> {
  let records = 0;
  for await (const batch of parseProwlerOcsf(localFile(file), new IssueLog())) records += batch.length;
  return records;
}

/** Parse, normalize and map, without storage: the ingestion's own work apart from SQLite. */
async function normalizeOnly(): Promise<number> {
  let records = 0;
  const map = memoizedMapper(wafrCatalog);
  for await (const batch of parseProwlerOcsf(localFile(file), new IssueLog())) {
    for (const parsed of batch) if (normalize(wafrCatalog, parsed, { account: '111111111111' }, map).finding.key) records++;
  }
  return records;
}

/** The whole ingestion: parse, normalize, map, de-duplicate into SQLite on disk (WAL, as Warden runs it), summarize. */
async function ingest(): Promise<number> {
  const store = SqliteStore.open(join(dir, `bench-${process.pid}.db`));
  const scans = new SqliteScanStore(store.connection);
  const now = new Date().toISOString();
  const scan = {
    id: 's-bench',
    accountId: '111111111111',
    accountName: 'bench',
    source: 'import' as const,
    state: 'ingesting' as const,
    version: 1,
    tools: ['prowler' as const],
    regions: [],
    toolStates: {},
    requestedBy: 'bench',
    channel: 'C0',
    message: null,
    executionArn: null,
    resultsLocation: file,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
    error: null,
    summary: null,
  };
  await scans.createScan(scan);
  const deps = { scans, catalog: wafrCatalog };
  const report = await ingestResults(deps, scan.id, [{ format: 'prowler-ocsf', file: localFile(file) }], { account: '111111111111' });
  await summarizeScan(deps, scan, report.tools, { total: 0, examples: [] });
  await store.close();
  return report.read;
}

const runs: Record<string, () => Promise<number>> = { read, floor, pipeline, parse, normalize: normalizeOnly, ingest };
const run = runs[mode];
if (!run) throw new Error(`unknown mode ${mode}`);
const started = performance.now();
const records = await run();
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ records, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
