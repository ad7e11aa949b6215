/**
 * Where the SCPs of a target account come from: the playground's files, or AWS Organizations. The
 * gate asks once per request; a source that cannot answer throws, and the gate shows the approver
 * why instead of passing the request as if the organization had no SCPs.
 */
import { scpPathFor, type OrgScpTree, type ScpPath } from './tree.js';

/** The SCP chain of one account, as the pipeline simulates it. */
export interface AccountScps {
  organizationId: string;
  path: ScpPath;
}

export interface ScpSource {
  /** For the start-up log: "files:examples/scps", "aws-organizations,cache=900s". */
  readonly description: string;
  /** Throws ScpUnavailableError (or any error) when the SCPs cannot be read right now. */
  forAccount(accountId: string): Promise<AccountScps>;
}

/**
 * SCPs could not be read. The message is shown to approvers as is, so adapters put in it what an
 * admin can act on (which permission, which variable) and nothing secret.
 */
export class ScpUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ScpUnavailableError';
  }
}

/** What the gate tells the approver when a source failed: its own words, or only the error's kind. */
export function scpFailureReason(error: unknown): string {
  if (error instanceof ScpUnavailableError) return error.message;
  // An unexpected error's message may carry anything (an ARN, a URL with a query): name its kind only.
  const kind = error instanceof Error && error.name !== 'Error' ? error.name : 'an unexpected error';
  return `${kind} (see the Warden log)`;
}

/** The SCPs from a tree already in memory: the playground's files. */
export class TreeScpSource implements ScpSource {
  readonly description: string;

  constructor(
    private readonly tree: OrgScpTree,
    from: string,
  ) {
    this.description = `files:${from}`;
  }

  forAccount(accountId: string): Promise<AccountScps> {
    return Promise.resolve({ organizationId: this.tree.organizationId, path: scpPathFor(this.tree, accountId) });
  }
}
