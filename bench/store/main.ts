/**
 * Store write path: request lifecycles (create → submit → approve → granting → active → revoke, six
 * compare-and-set writes with their audit events) against SQLite in memory, SQLite on a file and
 * DynamoDB Local, in one run. Prints transitions per second and latency percentiles per store, and
 * each store's ratio to SQLite in memory.
 *
 *   npm run bench -- store
 *   STORE_BENCH_LIFECYCLES=500 STORE_BENCH_SECONDS=30 STORE_BENCH_CONCURRENCY=4 npm run bench -- store
 *
 * DynamoDB Local is a Java process backed by SQLite: its numbers show the adapter's round trips and
 * transaction cost, not real DynamoDB, where a write takes a few milliseconds of network instead.
 * Without Java (or with WARDEN_SKIP_DYNAMODB=1) the DynamoDB row is left out with the reason.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AccessRequest } from '../../src/access/types.js';
import { DynamoStore } from '../../src/store/dynamodb/dynamo-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { BUILDER_TIME, makeEventFor, makeRequest, plusSeconds } from '../../test/support/builders.js';
import { SKIP_DYNAMODB, startDynamoLocal } from '../../test/support/dynamodb-local.js';

function envInt(name: string, fallback: number, max: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw.trim() === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`${name} must be a whole number from 1 to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** Bounded in count and in time, whichever comes first, so a slow store cannot stall the run. */
const LIFECYCLES = envInt('STORE_BENCH_LIFECYCLES', 200, 100_000);
const SECONDS = envInt('STORE_BENCH_SECONDS', 15, 600);
/**
 * 1 by default: SQLite calls are synchronous, so with more lifecycles in flight a measured latency
 * would include other lifecycles' writes queued in between, and DynamoDB Local runs transactions
 * one at a time anyway. Raise it to see how latency grows under load.
 */
const CONCURRENCY = envInt('STORE_BENCH_CONCURRENCY', 1, 64);
/** Lifecycles run first and not measured: JIT, SQLite page cache, Jetty threads. */
const WARMUP = Math.min(20, LIFECYCLES);

const STEPS = ['create', 'submit', 'approve', 'granting', 'active', 'revoke'] as const;
type Step = (typeof STEPS)[number];

interface Result {
  store: string;
  lifecycles: number;
  seconds: number;
  latencies: Record<Step, number[]>;
}

/** One request through its whole life; each write's latency is recorded under its step. */
async function lifecycle(store: Store, n: number, record: (step: Step, ms: number) => void): Promise<void> {
  const created = makeRequest({ id: `r-bench-${n}`, requesterId: `user-${n % 50}`, approverIds: ['bob', 'carol'] });
  let current: AccessRequest = created;
  let started = performance.now();
  await store.createRequest(created, makeEventFor(created, { type: 'request.created' }));
  record('create', performance.now() - started);

  const changes: Record<Exclude<Step, 'create'>, Partial<AccessRequest>> = {
    submit: { state: 'pending_approval' },
    approve: { state: 'approved', approvals: [{ userId: 'bob', at: plusSeconds(BUILDER_TIME, 60) }] },
    granting: { state: 'granting' },
    active: {
      state: 'active',
      grant: {
        grantedAt: plusSeconds(BUILDER_TIME, 90),
        expiresAt: plusSeconds(BUILDER_TIME, 7290),
        mode: 'iam-inline',
        handle: { roleName: 'warden-bench' },
      },
    },
    revoke: { state: 'revoked' },
  };
  for (const step of STEPS.slice(1) as Exclude<Step, 'create'>[]) {
    const next: AccessRequest = { ...current, ...changes[step], version: current.version + 1 };
    started = performance.now();
    const saved = await store.saveRequest(next, current.version, makeEventFor(next, { type: `request.${step}` }));
    record(step, performance.now() - started);
    if (!saved) throw new Error(`bench: ${step} of ${next.id} lost a race it cannot have`);
    current = next;
  }
}

async function measure(name: string, store: Store): Promise<Result> {
  const latencies = Object.fromEntries(STEPS.map((s) => [s, [] as number[]])) as Record<Step, number[]>;
  let next = 0;
  const run = async (count: number, deadline: number, record: (step: Step, ms: number) => void) => {
    const limit = next + count;
    const worker = async () => {
      while (next < limit && performance.now() < deadline) await lifecycle(store, next++, record);
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  };
  await run(WARMUP, Infinity, () => undefined);
  const started = performance.now();
  const before = next;
  await run(LIFECYCLES, started + SECONDS * 1000, (step, ms) => latencies[step].push(ms));
  return { store: name, lifecycles: next - before, seconds: (performance.now() - started) / 1000, latencies };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

interface Summary {
  store: string;
  transitions: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  p99ByStep: Record<Step, number>;
}

function summarize(result: Result): Summary {
  const all = STEPS.flatMap((s) => result.latencies[s]).sort((a, b) => a - b);
  const p99ByStep = Object.fromEntries(
    STEPS.map((s) => [s, percentile([...result.latencies[s]].sort((a, b) => a - b), 99)]),
  ) as Record<Step, number>;
  return {
    store: result.store,
    transitions: all.length,
    perSecond: all.length / result.seconds,
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    max: all.at(-1) ?? Number.NaN,
    p99ByStep,
  };
}

const ms = (x: number) => (Number.isNaN(x) ? '-' : x < 10 ? x.toFixed(2) : x.toFixed(1)).padStart(8);
const ratio = (x: number) => (x >= 10 ? x.toFixed(0) : x.toFixed(1)) + '×';

function print(summaries: readonly Summary[], skipped: readonly string[]): void {
  console.log(
    `${LIFECYCLES} lifecycles per store at most (${STEPS.length} writes each, after ${WARMUP} unmeasured), ` +
      `${SECONDS} s at most per store, concurrency ${CONCURRENCY}\n`,
  );
  const row = (cells: readonly string[]) => console.log([cells[0]?.padEnd(16), ...cells.slice(1).map((c) => c.padStart(9))].join(' '));
  row(['store', 'writes', 'writes/s', 'p50 ms', 'p99 ms', 'max ms']);
  for (const s of summaries) {
    row([s.store, String(s.transitions), s.perSecond.toFixed(0), ms(s.p50), ms(s.p99), ms(s.max)]);
  }
  console.log(`\np99 ms by step`);
  console.log(`${'store'.padEnd(16)} ${STEPS.map((s) => s.padStart(8)).join(' ')}`);
  for (const s of summaries) console.log(`${s.store.padEnd(16)} ${STEPS.map((step) => ms(s.p99ByStep[step])).join(' ')}`);

  const base = summaries[0];
  if (base && summaries.length > 1) {
    console.log(`\nagainst ${base.store}`);
    for (const s of summaries.slice(1)) {
      console.log(
        `${s.store.padEnd(16)} ${ratio(base.perSecond / s.perSecond)} fewer writes/s, p99 ${ratio(s.p99 / base.p99)} higher`,
      );
    }
  }
  for (const reason of skipped) console.log(`\nskipped: ${reason}`);
}

async function main(): Promise<void> {
  const summaries: Summary[] = [];
  const skipped: string[] = [];

  const memory = SqliteStore.open(':memory:');
  try {
    summaries.push(summarize(await measure('sqlite :memory:', memory)));
  } finally {
    await memory.close();
  }

  const dir = mkdtempSync(join(tmpdir(), 'warden-bench-'));
  const file = SqliteStore.open(join(dir, 'warden.db'));
  try {
    summaries.push(summarize(await measure('sqlite file', file)));
  } finally {
    await file.close();
    rmSync(dir, { recursive: true, force: true });
  }

  if (SKIP_DYNAMODB) {
    skipped.push('DynamoDB Local (WARDEN_SKIP_DYNAMODB=1)');
  } else {
    const local = await startDynamoLocal().catch((error: unknown) => {
      skipped.push(`DynamoDB Local: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      return undefined;
    });
    if (local) {
      const dynamo = DynamoStore.create({ tableName: 'warden-bench', client: local.client });
      try {
        await dynamo.ensureTable();
        summaries.push(summarize(await measure('dynamodb local', dynamo)));
      } finally {
        await dynamo.close();
        await local.stop();
      }
    }
  }
  print(summaries, skipped);
}

await main();
