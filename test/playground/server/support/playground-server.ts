import { afterAll, beforeAll } from 'vitest';
import { loadPolicyConfig } from '../../../../src/config/load-policy-files.js';
import { memoryLogger } from '../../../../src/logger.js';
import { startPlayground, type PlaygroundOptions, type RunningPlayground } from '../../../../src/playground/start-playground.js';
import { SqliteStore } from '../../../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../../../src/store/store.js';

export interface PlaygroundServer {
  readonly playground: RunningPlayground;
  readonly store: Store;
  /** The page server's address, http://127.0.0.1:<port>. */
  readonly base: string;
  /** POSTs `body` as JSON to `path` and reads the JSON answer. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: unknown }>;
  /** GETs `path` and reads the JSON answer. */
  getJson<T>(path: string): Promise<T>;
}

/**
 * The playground (sample org, real Warden, fakes, page server) started once for the test file, on a
 * free loopback port with an in-memory store, and stopped after its tests. Call it at the top of the file;
 * the returned object is filled in before the file's tests run.
 */
export function usePlaygroundServer(options: Pick<PlaygroundOptions, 'scheduler'> = {}): PlaygroundServer {
  const server = {
    async post(path: string, body: unknown, headers: Record<string, string> = {}) {
      const response = await fetch(`${server.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      return { status: response.status, body: (await response.json()) as unknown };
    },
    async getJson<T>(path: string): Promise<T> {
      return (await (await fetch(`${server.base}${path}`)).json()) as T;
    },
  } as PlaygroundServer;

  beforeAll(async () => {
    const { org, rules } = await loadPolicyConfig('examples');
    const store = SqliteStore.open(':memory:');
    const playground = await startPlayground({ org, rules, store, logger: memoryLogger(), port: 0, ...(options.scheduler && { scheduler: options.scheduler }) });
    Object.assign(server, { playground, store, base: `http://127.0.0.1:${playground.server.port}` });
  });

  afterAll(async () => {
    await server.playground?.close();
    await server.store?.close();
  });

  return server;
}
