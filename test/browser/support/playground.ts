import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Clock } from '../../../src/clock.js';
import type { IdGenerator } from '../../../src/ids.js';
import { loadPolicyConfig } from '../../../src/config/load-policy-files.js';
import { memoryLogger } from '../../../src/logger.js';
import { startPlayground, type RunningPlayground } from '../../../src/playground/start-playground.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../../src/store/store.js';

export interface PlaygroundSession {
  playground: RunningPlayground;
  store: Store;
  logger: ReturnType<typeof memoryLogger>;
  context: BrowserContext;
  page: Page;
  /** A scratch folder for failure screenshots; removed on close unless asked to keep it. */
  dir: string;
  close(options?: { keepDir?: boolean }): Promise<void>;
}

/**
 * The playground as `npm start` runs it (sample org, real Warden on Bolt, fake Slack, page server)
 * on a free loopback port with an in-memory store, and a fresh browser page on it.
 */
export interface OpenOptions {
  viewport?: { width: number; height: number };
  /** For stable screenshots: a clock and ids that do not change between runs. */
  clock?: Clock;
  ids?: IdGenerator;
}

export async function openPlayground(browser: Browser, options: OpenOptions = {}): Promise<PlaygroundSession> {
  const dir = await mkdtemp(join(tmpdir(), 'warden-playground-'));
  const { org, rules } = await loadPolicyConfig('examples');
  const store = SqliteStore.open(':memory:');
  const logger = memoryLogger();
  const playground = await startPlayground({
    org,
    rules,
    store,
    logger,
    port: 0,
    ...(options.clock && { clock: options.clock }),
    ...(options.ids && { ids: options.ids }),
    // Expiry is not what these tests look at; a long interval keeps the scheduler out of the way.
    scheduler: { intervalMs: 60 * 60_000, owner: `browser-test-${process.pid}` },
  });
  const viewport = options.viewport ?? { width: 1440, height: 900 };
  const context = await browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'UTC', reducedMotion: 'reduce' });
  const page = await context.newPage();
  // The page must never reach the network: only the playground itself answers.
  await context.route(/^(?!http:\/\/(localhost|127\.0\.0\.1):)/, (route) => route.abort());
  return {
    playground,
    store,
    logger,
    context,
    page,
    dir,
    async close(options = {}) {
      await context.close();
      await playground.close();
      await store.close();
      if (!options.keepDir) await rm(dir, { recursive: true, force: true });
    },
  };
}
