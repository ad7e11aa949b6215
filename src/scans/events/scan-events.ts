import type { ScanTracker } from '../tracker.js';

/** A source of completion events (the SQS queue the infra routes them to), started with Warden and stopped before it. */
export interface ScanEventSource {
  start(): void;
  /** Stops receiving and waits for the message being handled, if any. */
  stop(): Promise<void>;
}

/** Builds the event source once the tracker it finishes scans through exists (inside startWarden). */
export type ScanEventSourceFactory = (tracker: ScanTracker) => ScanEventSource;
