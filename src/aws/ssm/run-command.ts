/**
 * SSM Run Command for an approved `/run <instance> <command>`: one shell command on one Linux
 * instance (AWS-RunShellScript), run through the account's `warden-grant` role with the request id
 * as the session name and the command's comment, so CloudTrail and the SSM console tie it to the
 * request. The output is what SSM keeps inline (24,000 characters of stdout, 8,000 of stderr).
 *
 * This is the AWS side only; `command-runners.ts` adapts it to the workflows' CommandRunner port. The
 * grant role needs `ssm:SendCommand` (on the instance and the AWS-RunShellScript document),
 * `ssm:GetCommandInvocation` and `ssm:CancelCommand` for it.
 */
import { CancelCommandCommand, GetCommandInvocationCommand, SendCommandCommand, type SendCommandCommandInput, type SSMClient } from '@aws-sdk/client-ssm';
import type { STSClient } from '@aws-sdk/client-sts';
import { assumeRole, type SessionCredentials } from '../iam/clients.js';
import { assumeGrantRoleInput, type IamGrantSettings } from '../iam/plan.js';
import { DEFAULT_RETRY_POLICY, isAwsError, realRuntime, withRetry, type RetryPolicy, type RetryRuntime } from '../retry.js';

export const RUN_SHELL_DOCUMENT = 'AWS-RunShellScript';

export interface RunCommandClients {
  sts(): STSClient;
  ssm(credentials: SessionCredentials, region: string): SSMClient;
}

export interface RunCommandPoll {
  firstDelayMs: number;
  maxDelayMs: number;
  /** The command's own execution timeout too: SSM stops it there, and Warden stops waiting. */
  timeoutMs: number;
}

export const DEFAULT_RUN_COMMAND_POLL: RunCommandPoll = { firstDelayMs: 1000, maxDelayMs: 10_000, timeoutMs: 10 * 60_000 };

export interface RunCommandInput {
  requestId: string;
  accountId: string;
  region: string;
  instanceId: string;
  command: string;
}

export interface RunCommandResult {
  commandId: string;
  /** SSM's final status: Success, Failed, Cancelled, TimedOut… */
  status: string;
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export class RunCommandTimeoutError extends Error {
  constructor(
    readonly commandId: string,
    seconds: number,
  ) {
    super(`SSM command ${commandId} did not finish within ${seconds} s; Warden cancelled it.`);
    this.name = 'RunCommandTimeoutError';
  }
}

/** Exactly what SendCommand gets, shared with the dry run so what it records is what would be sent. */
export function sendCommandInput(input: RunCommandInput, poll: RunCommandPoll = DEFAULT_RUN_COMMAND_POLL): SendCommandCommandInput {
  const timeoutSeconds = Math.ceil(poll.timeoutMs / 1000);
  return {
    DocumentName: RUN_SHELL_DOCUMENT,
    InstanceIds: [input.instanceId],
    // The command is one parameter value, never spliced into a script: SSM runs it as written.
    Parameters: { commands: [input.command], executionTimeout: [String(timeoutSeconds)] },
    Comment: `warden ${input.requestId}`.slice(0, 100),
    TimeoutSeconds: Math.max(30, Math.min(timeoutSeconds, 2_592_000)),
  };
}

/** Statuses after which the invocation changes no more. */
const FINAL = new Set(['Success', 'Failed', 'Cancelled', 'TimedOut', 'DeliveryTimedOut', 'ExecutionTimedOut', 'Undeliverable', 'Terminated', 'InvalidPlatform', 'AccessDenied']);

export class SsmCommandRunner {
  private readonly retry: { policy: RetryPolicy; runtime: RetryRuntime };
  private readonly poll: RunCommandPoll;

  constructor(
    private readonly options: {
      settings: IamGrantSettings;
      clients: RunCommandClients;
      poll?: RunCommandPoll;
      retry?: { policy?: RetryPolicy; runtime?: RetryRuntime };
      /** Told about each call that changes something (AssumeRole, SendCommand, CancelCommand), for the audit log. */
      onCall?: (requestId: string, call: { service: 'sts' | 'ssm'; operation: string; input: Record<string, unknown> }) => Promise<void>;
    },
  ) {
    this.retry = { policy: options.retry?.policy ?? DEFAULT_RETRY_POLICY, runtime: options.retry?.runtime ?? realRuntime };
    this.poll = options.poll ?? DEFAULT_RUN_COMMAND_POLL;
  }

  async run(input: RunCommandInput): Promise<RunCommandResult> {
    const assume = assumeGrantRoleInput(this.options.settings, input.accountId, input.requestId);
    const credentials = await assumeRole(this.options.clients.sts(), assume, this.retry);
    await this.options.onCall?.(input.requestId, { service: 'sts', operation: 'AssumeRole', input: { RoleArn: assume.RoleArn, RoleSessionName: assume.RoleSessionName } });
    const ssm = this.options.clients.ssm(credentials, input.region);
    try {
      const send = sendCommandInput(input, this.poll);
      const sent = await withRetry(`SSM SendCommand ${input.instanceId}`, () => ssm.send(new SendCommandCommand(send)), this.retry);
      await this.options.onCall?.(input.requestId, { service: 'ssm', operation: 'SendCommand', input: { ...send, CommandId: sent.Command?.CommandId } });
      const commandId = sent.Command?.CommandId;
      if (!commandId) throw new Error(`SSM SendCommand on ${input.instanceId} returned no command id.`);
      return await this.waitFor(ssm, commandId, input.instanceId, input.requestId);
    } finally {
      ssm.destroy();
    }
  }

  private async waitFor(ssm: SSMClient, commandId: string, instanceId: string, requestId: string): Promise<RunCommandResult> {
    let waited = 0;
    let delay = this.poll.firstDelayMs;
    for (;;) {
      const invocation = await this.invocation(ssm, commandId, instanceId);
      if (invocation && FINAL.has(invocation.Status ?? '')) {
        const code = invocation.ResponseCode;
        return {
          commandId,
          status: invocation.Status ?? 'unknown',
          exitCode: code === undefined || code < 0 ? null : code,
          stdout: invocation.StandardOutputContent ?? '',
          stderr: invocation.StandardErrorContent ?? '',
        };
      }
      if (waited >= this.poll.timeoutMs) {
        // Stop it rather than leave a command running that nobody is waiting for any more.
        const cancel = { CommandId: commandId, InstanceIds: [instanceId] };
        const cancelled = await withRetry(`SSM CancelCommand ${commandId}`, () => ssm.send(new CancelCommandCommand(cancel)), this.retry).then(
          () => true,
          () => false,
        );
        await this.options.onCall?.(requestId, { service: 'ssm', operation: 'CancelCommand', input: { ...cancel, succeeded: cancelled } });
        throw new RunCommandTimeoutError(commandId, Math.round(waited / 1000));
      }
      const wait = Math.min(delay, this.poll.timeoutMs - waited);
      await this.retry.runtime.sleep(wait);
      waited += wait;
      delay = Math.min(this.poll.maxDelayMs, delay * 2);
    }
  }

  /** Undefined while SSM has not registered the invocation yet, which is normal just after SendCommand. */
  private async invocation(ssm: SSMClient, commandId: string, instanceId: string) {
    try {
      return await withRetry(`SSM GetCommandInvocation ${commandId}`, () => ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId })), this.retry);
    } catch (error) {
      if (isAwsError(error, 'InvocationDoesNotExist')) return undefined;
      throw error;
    }
  }
}
