import type { AccessDeps } from '../../src/access/deps.js';
import { Directory } from '../../src/access/directory.js';
import type { Granter } from '../../src/access/granter.js';
import { DryRunGranter, type AwsCall } from '../../src/aws/dry-run-granter.js';
import { loadPolicyConfig } from '../../src/config/load-policy-files.js';
import type { AccessRules } from '../../src/config/schemas.js';
import { randomIds } from '../../src/ids.js';
import { loadPolicyGate } from '../../src/policy/load-policy-gate.js';
import { createOfflinePolicy } from '../../src/policy/offline-policy.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { ManualClock } from './manual-clock.js';
import { RecordingNotifier } from './recording-notifier.js';

export interface TestDeps extends AccessDeps {
  clock: ManualClock;
  notifier: RecordingNotifier;
  awsCalls: { requestId: string; call: AwsCall }[];
}

/** The workflows' ports with real local adapters (SQLite in memory, offline drafter, dry-run granter). */
export async function makeAccessDeps(options: { granter?: Granter; rules?: (r: AccessRules) => AccessRules } = {}): Promise<TestDeps> {
  const { org, rules: loaded } = await loadPolicyConfig('examples');
  const rules = options.rules ? options.rules(loaded) : loaded;
  const policy = await createOfflinePolicy(org, rules);
  const { gate } = await loadPolicyGate({ configDir: 'examples' }, org, policy.catalog);
  const awsCalls: TestDeps['awsCalls'] = [];
  return {
    store: SqliteStore.open(':memory:'),
    clock: new ManualClock(),
    ids: randomIds,
    directory: new Directory(org),
    rules,
    drafter: policy.drafter,
    granter: options.granter ?? new DryRunGranter(async (requestId, call) => void awsCalls.push({ requestId, call })),
    notifier: new RecordingNotifier(),
    actionChecker: policy.actionChecker,
    policyGate: gate,
    awsCalls,
  };
}
