import type { Notifier } from '../chat/notifier.js';
import type { Clock } from '../clock.js';
import type { AccessRules } from '../config/schemas.js';
import type { IdGenerator } from '../ids.js';
import type { Store } from '../store/store.js';
import type { ActionChecker, PolicyGate } from './checks.js';
import type { CommandRunner, InstanceNames } from './command-runner.js';
import type { Directory } from './directory.js';
import type { Drafter } from './drafter.js';
import type { Granter } from './granter.js';

/** The ports every access workflow takes. Tests pass real local adapters or small fakes. */
export interface AccessDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  directory: Directory;
  rules: AccessRules;
  drafter: Drafter;
  granter: Granter;
  notifier: Notifier;
  actionChecker: ActionChecker;
  /** Guardrails, lint of the final document and SCP simulation; without it only the catalog checks run. */
  policyGate?: PolicyGate;
  /** Runs approved `/run` commands (SSM Run Command, or a dry run); without it `/run` is refused. */
  commandRunner?: CommandRunner;
  /** Resolves EC2 Name tags for `/access ssh` and `/run` (AWS mode only). */
  instanceNames?: InstanceNames;
}
