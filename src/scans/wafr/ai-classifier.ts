/**
 * The Bedrock classification of findings the deterministic mapping (mapper.ts) does not cover. Only
 * ids that exist in the catalog come out of it; everything else the model says is dropped. Answers
 * are cached by check, so one check costs one classification however many scans report it.
 */
import { z } from 'zod';
import { BedrockLlm } from '../../ai/bedrock-client.js';
import { CircuitBreaker } from '../../ai/circuit-breaker.js';
import type { AiConfig } from '../../ai/config.js';
import { toolInputSchema } from '../../ai/draft-schema.js';
import { describeLlmError, LlmError, type Llm, type LlmMessage, type LlmReply } from '../../ai/llm.js';
import type { Logger } from '../../logger.js';
import type { Clock } from '../../clock.js';
import type { ParsedFinding } from '../finding.js';
import type { ScanStore } from '../store.js';
import { wafrCatalog, type WafrCatalog } from './catalog.js';
import { classificationVersion, StoredClassificationCache } from './classification-cache.js';
import { CLASSIFY_PROMPT_VERSION, CLASSIFY_TOOL_NAME, classifySystemPrompt, classifyUserMessage } from './prompts/classify-v1.js';

/** Findings per model call: enough to amortize the catalog prefix, few enough for a short, checkable answer. */
export const CLASSIFY_BATCH_SIZE = 10;
/** Longest text of a finding sent to the model: titles and remediations are short; a long one is noise. */
const FIELD_LIMIT = 300;

export const ClassificationAnswerSchema = z.object({
  classifications: z
    .array(
      z.object({
        ref: z.string().describe('The "ref" of the finding, exactly as given.'),
        practices: z.array(z.string()).max(3).describe('Best-practice ids from the catalog, most relevant first; empty if none fits.'),
      }),
    )
    .describe('One entry per finding.'),
});
export type ClassificationAnswer = z.infer<typeof ClassificationAnswerSchema>;

/** Where answers are kept by check key ("tool:checkId"). An empty list is an answer: "no practice fits". */
export interface ClassificationCache {
  get(checkKey: string): Promise<readonly string[] | undefined>;
  set(checkKey: string, practices: readonly string[]): Promise<void>;
}

/** The cache for one process (tests, no scan store); main.ts uses the scan store's (classification-cache.ts). */
export class MemoryClassificationCache implements ClassificationCache {
  private readonly entries = new Map<string, readonly string[]>();
  async get(checkKey: string): Promise<readonly string[] | undefined> {
    return this.entries.get(checkKey);
  }
  async set(checkKey: string, practices: readonly string[]): Promise<void> {
    this.entries.set(checkKey, [...practices]);
  }
}

export interface Classification {
  /** Check key → catalog best-practice ids (non-empty only). Checks with no usable answer are absent. */
  practices: Map<string, string[]>;
  /** Model calls made (cache hits make none). */
  calls: number;
  /** Why some checks stayed unclassified (model failed, circuit open), for the summary; absent when all went well. */
  note?: string;
}

/** What the ingestion asks of a classifier. */
export interface FindingClassifier {
  readonly modelId: string;
  /** Never throws for a model failure: those findings simply stay unmapped, with a note. */
  classify(findings: readonly ParsedFinding[]): Promise<Classification>;
}

export function checkKey(finding: Pick<ParsedFinding, 'tool' | 'checkId'>): string {
  return `${finding.tool}:${finding.checkId}`;
}

export interface BedrockFindingClassifierOptions {
  llm: Llm;
  catalog: WafrCatalog;
  logger: Logger;
  /** Shared with the drafter so one failing Bedrock path stops every caller. */
  breaker?: CircuitBreaker;
  cache?: ClassificationCache;
  batchSize?: number;
}

type BatchOutcome =
  | { kind: 'answer'; practices: Map<string, string[]>; calls: number }
  /** modelDown: the call itself failed (not a bad answer), so the next batch would fail the same way. */
  | { kind: 'failed'; reason: string; modelDown: boolean; calls: number };

export class BedrockFindingClassifier implements FindingClassifier {
  readonly modelId: string;
  private readonly cache: ClassificationCache;
  private readonly batchSize: number;
  /** Built once: the catalog does not change while the process runs, and a stable prefix is what caching needs. */
  private readonly system: string;

  constructor(private readonly options: BedrockFindingClassifierOptions) {
    this.modelId = options.llm.modelId;
    this.cache = options.cache ?? new MemoryClassificationCache();
    this.batchSize = options.batchSize ?? CLASSIFY_BATCH_SIZE;
    this.system = classifySystemPrompt(options.catalog);
  }

  async classify(findings: readonly ParsedFinding[]): Promise<Classification> {
    const practices = new Map<string, string[]>();
    // One representative finding per check: the check, not the resource, decides the best practice.
    const todo = new Map<string, ParsedFinding>();
    let cacheHits = 0;
    for (const finding of findings) {
      const key = checkKey(finding);
      if (practices.has(key) || todo.has(key)) continue;
      const cached = await this.cache.get(key);
      if (cached === undefined) todo.set(key, finding);
      else {
        cacheHits += 1;
        // A stored answer is re-checked like a fresh one: only ids this catalog knows come out.
        const known = [...new Set(cached.flatMap((id) => this.options.catalog.practice(id)?.id ?? []))];
        if (known.length > 0) practices.set(key, known);
      }
    }
    const pending = [...todo.entries()];
    let calls = 0;
    let note: string | undefined;
    for (let i = 0; i < pending.length; i += this.batchSize) {
      const batch = pending.slice(i, i + this.batchSize);
      if (this.options.breaker && !this.options.breaker.tryAcquire()) {
        note = `AI classification skipped: ${this.modelId} failed repeatedly and is paused`;
        break;
      }
      const outcome = await this.classifyBatch(batch);
      calls += outcome.calls;
      if (outcome.kind === 'failed') {
        note = `AI classification incomplete: ${outcome.reason}`;
        // A model that is down now will be down for the next batch too; the rest stay unmapped.
        if (outcome.modelDown) break;
        continue;
      }
      for (const [key] of batch) {
        const ids = outcome.practices.get(key);
        // Only answered checks are cached: a check the model skipped gets another chance next scan.
        if (ids === undefined) continue;
        await this.cache.set(key, ids);
        if (ids.length > 0) practices.set(key, ids);
      }
    }
    this.options.logger.info('wafr ai classification', {
      promptVersion: CLASSIFY_PROMPT_VERSION,
      checks: todo.size + cacheHits,
      fromCache: cacheHits,
      calls,
      classified: practices.size,
      ...(note ? { note } : {}),
    });
    return { practices, calls, ...(note ? { note } : {}) };
  }

  /** One call, and one retry with the problems named when the answer is unusable. */
  private async classifyBatch(batch: readonly (readonly [string, ParsedFinding])[]): Promise<BatchOutcome> {
    const refs = new Map<string, string>(batch.map(([key], index) => [String(index + 1), key]));
    const data = batch.map(([, f], index) => ({
      ref: String(index + 1),
      tool: f.tool,
      check: f.checkId,
      service: f.service,
      title: clip(f.title),
      remediation: clip(f.remediation),
    }));
    const messages: LlmMessage[] = [{ role: 'user', content: [{ type: 'text', text: classifyUserMessage(JSON.stringify(data, null, 1)) }] }];
    const tools = [{ name: CLASSIFY_TOOL_NAME, description: 'Give the best practices of each finding.', inputSchema: toolInputSchema(ClassificationAnswerSchema) }];
    let calls = 0;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      let reply: LlmReply;
      try {
        calls += 1;
        reply = await this.options.llm.converse({
          purpose: attempt === 0 ? 'wafr-classify' : 'wafr-classify-repair',
          promptVersion: CLASSIFY_PROMPT_VERSION,
          system: this.system,
          // The catalog is the same on every call: cached, each batch pays only for its findings.
          cacheSystem: true,
          messages,
          tools,
          toolChoice: 'any',
        });
        this.options.breaker?.success();
      } catch (error) {
        this.options.breaker?.failure();
        const kind = error instanceof LlmError ? error.kind : 'unavailable';
        return { kind: 'failed', reason: `the model ${describeLlmError(kind)}`, modelDown: true, calls };
      }
      const checked = this.check(reply, refs);
      if (checked.ok) return { kind: 'answer', practices: checked.practices, calls };
      const toolUse = reply.content.find((c) => c.type === 'toolUse');
      if (attempt === 0 && toolUse?.type === 'toolUse') {
        // The repair turn: our answer to its tool call says what was wrong, so it can correct itself.
        messages.push({ role: 'assistant', content: reply.content });
        messages.push({ role: 'user', content: [{ type: 'toolResult', toolUseId: toolUse.toolUseId, status: 'error', text: checked.problem }] });
      } else if (attempt === 0) {
        messages.push({ role: 'assistant', content: reply.content.length > 0 ? reply.content : [{ type: 'text', text: '(no answer)' }] });
        messages.push({ role: 'user', content: [{ type: 'text', text: `${checked.problem} Call the ${CLASSIFY_TOOL_NAME} tool.` }] });
      }
      this.options.logger.info('wafr ai classification unusable', { promptVersion: CLASSIFY_PROMPT_VERSION, attempt, problem: checked.problem });
    }
    return { kind: 'failed', reason: 'an answer was unusable after a retry', modelDown: false, calls };
  }

  /**
   * Keeps the catalog's ids only. Unusable means no tool call, a shape that fails the schema, or ids
   * none of which exist (the model answered from memory, not from the catalog).
   */
  private check(reply: LlmReply, refs: Map<string, string>): { ok: true; practices: Map<string, string[]> } | { ok: false; problem: string } {
    const toolUse = reply.content.find((c) => c.type === 'toolUse' && c.name === CLASSIFY_TOOL_NAME);
    if (!toolUse || toolUse.type !== 'toolUse') return { ok: false, problem: `No ${CLASSIFY_TOOL_NAME} call in the answer.` };
    const parsed = ClassificationAnswerSchema.safeParse(toolUse.input);
    if (!parsed.success) return { ok: false, problem: `The input does not match the tool's schema: ${z.prettifyError(parsed.error)}` };
    const { catalog } = this.options;
    const practices = new Map<string, string[]>();
    const unknown: string[] = [];
    let cited = 0;
    for (const entry of parsed.data.classifications) {
      const key = refs.get(entry.ref);
      if (key === undefined) continue;
      cited += entry.practices.length;
      const ids: string[] = [];
      for (const id of entry.practices) {
        // By catalog id, so a Tool choice id the model used comes back as the canonical SECnn-BPnn.
        const practice = catalog.practice(id.trim());
        if (practice) {
          if (!ids.includes(practice.id)) ids.push(practice.id);
        } else unknown.push(id);
      }
      practices.set(key, ids);
    }
    if (practices.size === 0) return { ok: false, problem: 'No entry uses a "ref" of the findings given.' };
    if (cited > 0 && unknown.length === cited) {
      return { ok: false, problem: `None of these ids is in the catalog: ${unknown.slice(0, 10).join(', ')}. Use ids exactly as written in <catalog>.` };
    }
    return { ok: true, practices };
  }
}

function clip(text: string): string {
  return text.length > FIELD_LIMIT ? `${text.slice(0, FIELD_LIMIT)}…` : text;
}

/**
 * The classifier main.ts hands the scan ports: Bedrock when a model is configured (BEDROCK_MODEL_ID),
 * else undefined, and the summary then says AI classification is not configured. Its own breaker:
 * a scan's batch of calls failing should not by itself send requesters to the offline drafter.
 */
export function bedrockFindingClassifier(
  ai: AiConfig,
  deps: { logger: Logger; clock: Clock; store?: Pick<ScanStore, 'getClassification' | 'saveClassification'> | undefined },
): FindingClassifier | undefined {
  if (!ai.enabled) return undefined;
  return new BedrockFindingClassifier({
    llm: new BedrockLlm({ config: ai.bedrock, logger: deps.logger }),
    catalog: wafrCatalog,
    logger: deps.logger,
    breaker: new CircuitBreaker({ clock: deps.clock }),
    // In the scan store: a check classified once is not paid for again after a restart or on another replica.
    ...(deps.store ? { cache: new StoredClassificationCache(deps.store, classificationVersion(wafrCatalog), deps.clock) } : {}),
  });
}
