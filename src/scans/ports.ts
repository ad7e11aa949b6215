import type { ScanConfig } from './config.js';
import type { ScanIdGenerator } from './ids.js';
import type { PollRuntime } from './poll.js';
import type { ResultsReader } from './results/reader.js';
import type { ScanRunner } from './runner.js';
import type { ScanStore } from './store.js';
import type { FindingClassifier } from './wafr/ai-classifier.js';

/** What main.ts (or a test) hands Warden to turn scans on; the chat and access ports come from Warden itself. */
export interface ScanPorts {
  store: ScanStore;
  /** Null without a state machine: `/scan <account>` then explains, and import, status and last still work. */
  runner: ScanRunner | null;
  results: ResultsReader;
  config: ScanConfig;
  ids?: ScanIdGenerator;
  /** Waits between polls; tests pass short real waits or a manual sleep. */
  poll?: Omit<PollRuntime, 'clock'>;
  /** Maps findings the deterministic WAFR mapping leaves unmapped, with Bedrock; absent when no model is configured. */
  classifier?: FindingClassifier | undefined;
}
