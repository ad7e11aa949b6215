import type { Account } from '../config/schemas.js';

/** One approved `/run`: which command, on which instance, in which account and region. */
export interface CommandRunInput {
  requestId: string;
  accountId: string;
  region: string;
  instanceId: string;
  command: string;
}

export type CommandRunOutcome =
  /** SSM ran it (whatever its exit code); the output is what SSM kept inline. */
  | { kind: 'ran'; commandId: string; status: string; exitCode: number | null; stdout: string; stderr: string }
  /** Dry-run mode: the calls were recorded, nothing ran. `calls` says what would have been sent. */
  | { kind: 'dry-run'; calls: string[] };

/**
 * Runs the one command of an approved `/run` request (SSM Run Command through the account's grant
 * role, or a dry run). Throws when the command could not be run or did not finish in time; the
 * message is shown to the requester, so it says what happened and what to do.
 */
export interface CommandRunner {
  readonly mode: string;
  run(input: CommandRunInput): Promise<CommandRunOutcome>;
}

export interface NamedInstance {
  instanceId: string;
  name: string;
}

/**
 * Finds running EC2 instances by their Name tag in an account's region. Absent in dry-run mode,
 * where there is no account to look in.
 */
export interface InstanceNames {
  running(account: Account, name: string): Promise<NamedInstance[]>;
}
