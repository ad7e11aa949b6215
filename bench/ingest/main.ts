/**
 * Ingestion of a large Prowler OCSF file: findings per second and peak RSS of the whole ingestion
 * (parse, normalize, map, de-duplicate into SQLite on disk, summarize) beside a plain streaming read
 * of the same file (the floor), at two file sizes to show memory stays flat as the file grows.
 *
 *   npm run bench -- ingest
 *   BENCH_INGEST_FINDINGS=200000 BENCH_INGEST_ROUNDS=3 npm run bench -- ingest
 *
 * The file is written by the benchmark in a temporary folder (about 3.5 KB a finding) and removed
 * after. Each measurement runs in its own process, so its peak RSS is its own; rounds alternate the
 * modes and the median is reported, since a shared machine's load drifts.
 * Targets (issue 9): ingestion ≥ 50% of the floor's speed; peak RSS under 300 MB and flat as the file grows.
 * Measured (2 shared cores, Node 20): 65–72% of the floor at 100k and 200k findings on a quieter
 * machine (runs under heavy load swung to 89–163%), peak RSS 210–228 MB. It was about 46% before each
 * framed record went to JSON.parse instead of a streaming tokenizer and the framer jumped between
 * structural characters with indexOf. Parsing is now faster than the floor itself; about half of
 * ingestion's time is the SQLite writes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateOcsf } from './generate.js';

function envInt(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw.trim() === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return value;
}

/** 100k findings is about 350 MB; BENCH_INGEST_FINDINGS=200000 gives the 700 MB case. */
const FINDINGS = envInt('BENCH_INGEST_FINDINGS', 100_000, 1000, 1_000_000);
const ROUNDS = envInt('BENCH_INGEST_ROUNDS', 3, 1, 9);
const SMALL = Math.max(1000, Math.round(FINDINGS / 4));
const RSS_LIMIT_MB = 300;
const MODES = ['read', 'floor', 'pipeline', 'parse', 'normalize', 'ingest'] as const;
type Mode = (typeof MODES)[number];

interface Measurement {
  records: number;
  seconds: number;
  maxRssMb: number;
}

const worker = join(dirname(fileURLToPath(import.meta.url)), 'worker.ts');

function measure(mode: Mode, file: string, dir: string): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', worker, mode, file, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) return reject(new Error(`${mode} exited ${code}: ${out}`));
      resolve(JSON.parse(line) as Measurement);
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const dir = mkdtempSync(join(tmpdir(), 'warden-bench-ingest-'));
try {
  const results = new Map<string, Measurement>();
  const sizes: Record<number, number> = {};
  for (const findings of [SMALL, FINDINGS]) {
    const file = join(dir, `prowler-${findings}.ocsf.json`);
    const started = Date.now();
    sizes[findings] = await generateOcsf(file, findings);
    console.log(`generated ${findings} findings, ${(sizes[findings]! / 1e6).toFixed(0)} MB, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const runs = new Map<Mode, Measurement[]>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of MODES) {
        const m = await measure(mode, file, dir);
        if (mode !== 'read' && m.records !== findings) throw new Error(`${mode} read ${m.records} records, expected ${findings}`);
        runs.set(mode, [...(runs.get(mode) ?? []), m]);
      }
    }
    for (const mode of MODES) {
      const all = runs.get(mode)!;
      results.set(`${mode}@${findings}`, { records: findings, seconds: median(all.map((m) => m.seconds)), maxRssMb: Math.max(...all.map((m) => m.maxRssMb)) });
    }
    rmSync(file, { force: true });
  }

  const rows = [SMALL, FINDINGS].flatMap((findings) =>
    MODES.map((mode) => {
      const m = results.get(`${mode}@${findings}`)!;
      return {
        findings,
        mode,
        'findings/s': Math.round(findings / m.seconds),
        'MB/s': Number((sizes[findings]! / 1e6 / m.seconds).toFixed(1)),
        seconds: Number(m.seconds.toFixed(2)),
        'peak RSS MB': Math.round(m.maxRssMb),
      };
    }),
  );
  console.table(rows);

  const at = (mode: Mode) => results.get(`${mode}@${FINDINGS}`)!;
  const ratio = (mode: Mode) => at('floor').seconds / at(mode).seconds;
  const percent = (value: number) => `${(value * 100).toFixed(0)}%`;
  const ingest = ratio('ingest');
  console.log(`floor: stream-json's tokenizer + assembler over the file, each record built and dropped (a plain streaming read with a streaming JSON library; its documented stream pipeline is slower, see "pipeline").`);
  console.log(`ingestion / floor: ${percent(ingest)} (target ≥ 50%, measured back to back; on a shared machine look at the ratio, not the absolute numbers) ${ingest >= 0.5 ? 'PASS' : 'MISS'}`);
  console.log(`  parse only: ${percent(ratio('parse'))}; parse + normalize + map (no storage): ${percent(ratio('normalize'))}; the rest is SQLite.`);
  // Our parser frames each record and hands it to JSON.parse, so it outruns the floor's tokenizer: say
  // where ingestion's own time goes too, so the ratio above is not read as "parsing is free".
  const share = (mode: Mode) => percent(at(mode).seconds / at('ingest').seconds);
  console.log(`  of ingestion's time: parsing ${share('parse')}, with normalize + map ${share('normalize')}, the rest SQLite writes and the summary queries.`);
  const rssSmall = results.get(`ingest@${SMALL}`)!.maxRssMb;
  const rssLarge = at('ingest').maxRssMb;
  // "Flat": a 4× larger file may not cost a fifth more memory.
  const flat = rssLarge <= rssSmall * 1.2;
  console.log(`peak RSS of ingestion: ${Math.round(rssSmall)} MB at ${SMALL} findings, ${Math.round(rssLarge)} MB at ${FINDINGS} (target < ${RSS_LIMIT_MB} MB and flat) ${rssLarge < RSS_LIMIT_MB && flat ? 'PASS' : 'MISS'}`);
  console.log(`  (a process that only reads the file already has ${Math.round(at('read').maxRssMb)} MB: Node, tsx and the modules.)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
