/**
 * The workflows' CommandRunner port over SSM Run Command: the real one (WARDEN_GRANT_MODE=aws) and
 * the dry run, which records the exact calls the real one would make in the audit log instead.
 */
import { SSMClient } from '@aws-sdk/client-ssm';
import type { STSClient } from '@aws-sdk/client-sts';
import type { CommandRunInput, CommandRunner, CommandRunOutcome } from '../../access/command-runner.js';
import { assumeGrantRoleInput, DEFAULT_IAM_GRANT_SETTINGS, type IamGrantSettings } from '../iam/plan.js';
import { sendCommandInput, SsmCommandRunner, type RunCommandClients, type RunCommandPoll } from './run-command.js';

export class AwsCommandRunner implements CommandRunner {
  readonly mode = 'aws';

  constructor(private readonly runner: SsmCommandRunner) {}

  async run(input: CommandRunInput): Promise<CommandRunOutcome> {
    return { kind: 'ran', ...(await this.runner.run(input)) };
  }
}

/** SDK clients for Run Command: `maxAttempts: 1` because retry.ts is the one retry layer. */
export function sdkRunCommandClients(sts: () => STSClient): RunCommandClients {
  return { sts, ssm: (credentials, region) => new SSMClient({ region, credentials, maxAttempts: 1 }) };
}

export function awsCommandRunner(options: {
  settings: IamGrantSettings;
  sts: () => STSClient;
  poll?: RunCommandPoll;
  onCall?: (requestId: string, call: RunCommandCall) => Promise<void>;
}): AwsCommandRunner {
  return new AwsCommandRunner(
    new SsmCommandRunner({
      settings: options.settings,
      clients: sdkRunCommandClients(options.sts),
      ...(options.poll ? { poll: options.poll } : {}),
      ...(options.onCall ? { onCall: options.onCall } : {}),
    }),
  );
}

/** One call the dry run records, in the shape of the dry-run granter's audit events. */
export interface RunCommandCall {
  service: 'sts' | 'ssm';
  operation: string;
  input: Record<string, unknown>;
}

export class DryRunCommandRunner implements CommandRunner {
  readonly mode = 'dry-run';

  constructor(
    private readonly sink: (requestId: string, call: RunCommandCall) => Promise<void>,
    private readonly settings: IamGrantSettings = DEFAULT_IAM_GRANT_SETTINGS,
  ) {}

  async run(input: CommandRunInput): Promise<CommandRunOutcome> {
    const assume = assumeGrantRoleInput(this.settings, input.accountId, input.requestId);
    const calls: RunCommandCall[] = [
      { service: 'sts', operation: 'AssumeRole', input: { ...assume } },
      { service: 'ssm', operation: 'SendCommand', input: { ...sendCommandInput(input) } },
      { service: 'ssm', operation: 'GetCommandInvocation', input: { CommandId: '(the id SendCommand returns)', InstanceId: input.instanceId } },
    ];
    for (const call of calls) await this.sink(input.requestId, call);
    return {
      kind: 'dry-run',
      calls: [
        `STS AssumeRole ${String(assume.RoleArn)} (${input.region})`,
        `SSM SendCommand ${sendCommandInput(input).DocumentName} on ${input.instanceId}, then GetCommandInvocation until it finishes`,
      ],
    };
  }
}
