import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import { TOOLS } from '../finding.js';
import type { ClassificationKey, ScanStore } from '../store.js';
import type { ClassificationCache } from './ai-classifier.js';
import type { WafrCatalog } from './catalog.js';
import { CLASSIFY_PROMPT_VERSION, classifySystemPrompt } from './prompts/classify-v1.js';

/** Stored best-practice ids of a classification: untrusted until they parse (and the classifier re-checks them against the catalog). */
export const StoredPracticesSchema = z.array(z.string().min(1).max(80)).max(10);

/**
 * What stored classifications are valid for: the prompt version and a digest of the system prompt,
 * which holds the whole catalog. A new catalog (or prompt) gives a new version, so its checks are
 * classified again rather than answered from what an older catalog allowed.
 */
export function classificationVersion(catalog: WafrCatalog): string {
  const digest = createHash('sha256').update(classifySystemPrompt(catalog)).digest('hex').slice(0, 16);
  return `${CLASSIFY_PROMPT_VERSION}:${digest}`;
}

/** "prowler:iam_root_mfa_enabled" → { tool, checkId }; undefined for a key of no known tool. */
export function parseCheckKey(checkKey: string): ClassificationKey | undefined {
  const at = checkKey.indexOf(':');
  const tool = z.enum(TOOLS).safeParse(checkKey.slice(0, at));
  return at > 0 && tool.success ? { tool: tool.data, checkId: checkKey.slice(at + 1) } : undefined;
}

/**
 * The classifier's cache in the scan store (SQLite table `wafr_classifications`, or items in the
 * DynamoDB table), so a check classified once is not paid for again after a restart or on another
 * replica. The classifier writes only answers that passed its checks.
 */
export class StoredClassificationCache implements ClassificationCache {
  constructor(
    private readonly store: Pick<ScanStore, 'getClassification' | 'saveClassification'>,
    private readonly version: string,
    private readonly clock: Clock,
  ) {}

  async get(checkKey: string): Promise<readonly string[] | undefined> {
    const key = parseCheckKey(checkKey);
    return key ? this.store.getClassification(this.version, key) : undefined;
  }

  async set(checkKey: string, practices: readonly string[]): Promise<void> {
    const key = parseCheckKey(checkKey);
    if (key) await this.store.saveClassification(this.version, key, practices, this.clock.now().toISOString());
  }
}
