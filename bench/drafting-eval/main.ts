/**
 * Drafting quality on a labelled set (bench/data/drafting-eval.json): action precision and recall,
 * resource accuracy, account and duration accuracy, for the offline drafter always and for Claude on
 * Bedrock when BEDROCK_MODEL_ID is set and AWS credentials resolve.
 *
 *   npm run bench -- drafting-eval
 *   DRAFTING_EVAL_VERBOSE=1 npm run bench -- drafting-eval   # also list every miss
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { Drafter } from '../../src/access/drafter.js';
import { BedrockLlm, createBedrockRuntimeClient } from '../../src/ai/bedrock-client.js';
import { BedrockDrafter } from '../../src/ai/bedrock-drafter.js';
import { CircuitBreaker } from '../../src/ai/circuit-breaker.js';
import { parseAiEnv } from '../../src/ai/config.js';
import { systemClock } from '../../src/clock.js';
import { loadPolicyConfig } from '../../src/config/load-policy-files.js';
import { memoryLogger } from '../../src/logger.js';
import { createOfflinePolicy } from '../../src/policy/offline-policy.js';
import { loadEvalSet, type EvalSet } from './dataset.js';
import { scoreCase, summarize, type CaseScore, type Summary } from './metrics.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const verbose = process.env['DRAFTING_EVAL_VERBOSE'] === '1';

async function evaluate(name: string, drafter: Drafter, set: EvalSet): Promise<CaseScore[]> {
  const scores: CaseScore[] = [];
  for (const testCase of set.requests) {
    const started = performance.now();
    const result = await drafter.fromText({ messages: testCase.messages, requesterId: set.requester });
    scores.push(scoreCase(testCase, result, performance.now() - started));
  }
  if (verbose) printMisses(name, scores);
  return scores;
}

function printMisses(name: string, scores: readonly CaseScore[]): void {
  for (const s of scores) {
    const problems = [
      s.outcome !== 'draft' ? `no draft (${s.outcome})` : '',
      s.actions.extra.length ? `extra actions ${s.actions.extra.join(', ')}` : '',
      s.actions.missed.length ? `missed actions ${s.actions.missed.join(', ')}` : '',
      s.outcome === 'draft' && !s.resourcesExact ? `resources +[${s.resources.extra.join(', ')}] -[${s.resources.missed.join(', ')}]` : '',
      s.outcome === 'draft' && !s.duration ? 'duration differs' : '',
      s.outcome === 'draft' && !s.account ? 'account differs' : '',
    ].filter(Boolean);
    if (problems.length > 0) console.log(`  ${name} ${s.id}: ${problems.join('; ')}`);
  }
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(7);

function printTable(rows: ReadonlyArray<readonly [string, Summary]>): void {
  console.log('drafter   drafted  act.prec  act.recall  res.exact  res.prec  res.recall  account  duration  mean ms');
  for (const [name, s] of rows) {
    console.log(
      [
        name.padEnd(8),
        `${s.drafted}/${s.cases}`.padStart(8),
        pct(s.actionPrecision).padStart(9),
        pct(s.actionRecall).padStart(11),
        pct(s.resourceAccuracy).padStart(10),
        pct(s.resourcePrecision).padStart(9),
        pct(s.resourceRecall).padStart(11),
        pct(s.accountAccuracy).padStart(8),
        pct(s.durationAccuracy).padStart(9),
        s.meanLatencyMs.toFixed(0).padStart(8),
      ].join(' '),
    );
  }
}

/** Bedrock, when configured and credentials resolve; otherwise why not. */
async function bedrockDrafter(offline: Drafter, deps: Omit<ConstructorParameters<typeof BedrockDrafter>[0], 'llm' | 'offline' | 'logger' | 'clock'>) {
  const ai = parseAiEnv(process.env);
  if (!ai.enabled) return { skipped: 'BEDROCK_MODEL_ID is not set' } as const;
  const client = createBedrockRuntimeClient(ai.bedrock);
  try {
    await client.config.credentials();
  } catch (error) {
    return { skipped: `no AWS credentials (${error instanceof Error ? error.name : 'unknown'})` } as const;
  }
  const logger = memoryLogger();
  const llm = new BedrockLlm({ config: ai.bedrock, logger, client });
  // A breaker that never opens: the evaluation measures the model, not the fallback.
  const breaker = new CircuitBreaker({ clock: systemClock, failureThreshold: Number.MAX_SAFE_INTEGER });
  const drafter = new BedrockDrafter({ ...deps, llm, offline, logger, clock: systemClock, breaker });
  return { drafter, logger, modelId: ai.bedrock.modelId } as const;
}

const set = await loadEvalSet(join(root, 'bench', 'data', 'drafting-eval.json'));
const { org, rules } = await loadPolicyConfig(join(root, 'examples'));
const policy = await createOfflinePolicy(org, rules);
console.log(`${set.requests.length} labelled requests, drafted as "${set.requester}" against examples/`);

const rows: Array<readonly [string, Summary]> = [['offline', summarize(await evaluate('offline', policy.drafter, set))]];
const bedrock = await bedrockDrafter(policy.drafter, { catalog: policy.catalog, org, rules });
if ('skipped' in bedrock) {
  console.log(`bedrock: skipped: ${bedrock.skipped}`);
} else {
  rows.push(['bedrock', summarize(await evaluate('bedrock', bedrock.drafter, set))]);
  const calls = bedrock.logger.lines.filter((l) => l.message === 'bedrock converse');
  const tokens = (field: string) => calls.reduce((total, l) => total + Number(l.fields?.[field] ?? 0), 0);
  const fallbacks = bedrock.logger.lines.filter((l) => l.message === 'ai draft' && l.fields?.['outcome'] === 'fallback').length;
  console.log(`bedrock: ${bedrock.modelId}, ${calls.length} calls, ${tokens('inputTokens')} input + ${tokens('outputTokens')} output tokens, ${fallbacks} fallback(s) to offline`);
}
printTable(rows);
