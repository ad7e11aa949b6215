/**
 * What the scan-events stack needs to know about the account it is deployed to, read from CDK context
 * (`-c key=value`, or cdk.json's "context") or else from the environment, so that `npx tsx infra/app.ts`
 * can synthesize without the CDK CLI. No CDK import: the reading is tested on its own.
 */

/** The imported role the bot runs as: by name (in the stack's account), or by ARN. */
export type BotRoleRef = { name: string } | { arn: string };

export interface ScanEventsSettings {
  /** Warden's scan state machine (WARDEN_SCAN_STATE_MACHINE_ARN): only its executions' events are routed. */
  scanStateMachineArn: string;
  /** The IAM role the bot runs as (task role, Lambda execution role): it may receive and delete the queue's messages. */
  botRole: BotRoleRef;
}

/** Where each setting comes from: the context key first, then the environment variable. */
export const SETTING_SOURCES = {
  scanStateMachineArn: { context: 'scanStateMachineArn', env: 'WARDEN_SCAN_STATE_MACHINE_ARN' },
  botRoleName: { context: 'botRoleName', env: 'WARDEN_BOT_ROLE_NAME' },
  botRoleArn: { context: 'botRoleArn', env: 'WARDEN_BOT_ROLE_ARN' },
} as const;

export const STATE_MACHINE_ARN_PATTERN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/;
const ROLE_NAME_PATTERN = /^[\w+=,.@-]{1,64}$/;
const ROLE_ARN_PATTERN = /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

/** A setting that is missing or malformed: the message says which and how to give it. */
export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`The scan-events stack cannot be synthesized:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SettingsError';
  }
}

function how(source: { context: string; env: string }, example: string): string {
  return `give it with \`-c ${source.context}=${example}\` (or cdk.json's "context"), or the environment variable ${source.env}`;
}

/**
 * Reads the settings; every problem is reported at once. `context` is `app.node.tryGetContext`;
 * a context value wins over the environment, and blank values count as unset.
 */
export function readScanEventsSettings(context: (key: string) => unknown, env: NodeJS.ProcessEnv): ScanEventsSettings {
  const read = (source: { context: string; env: string }): string | undefined => {
    const fromContext = context(source.context);
    const value = fromContext === undefined || fromContext === null ? env[source.env] : String(fromContext);
    return value?.trim() || undefined;
  };
  const problems: string[] = [];

  const arnSource = SETTING_SOURCES.scanStateMachineArn;
  const scanStateMachineArn = read(arnSource);
  if (!scanStateMachineArn) {
    problems.push(`the scan state machine's ARN is missing: ${how(arnSource, 'arn:aws:states:eu-west-1:111122223333:stateMachine:warden-scan')}`);
  } else if (!STATE_MACHINE_ARN_PATTERN.test(scanStateMachineArn)) {
    problems.push(`${arnSource.context} must be a Step Functions state machine ARN like "arn:aws:states:eu-west-1:111122223333:stateMachine:warden-scan", got ${JSON.stringify(scanStateMachineArn)}`);
  }

  const nameSource = SETTING_SOURCES.botRoleName;
  const roleArnSource = SETTING_SOURCES.botRoleArn;
  const roleName = read(nameSource);
  const roleArn = read(roleArnSource);
  let botRole: BotRoleRef | undefined;
  if (roleName && roleArn) {
    problems.push(`give the bot's role once: ${nameSource.context} (${JSON.stringify(roleName)}) or ${roleArnSource.context} (${JSON.stringify(roleArn)}), not both`);
  } else if (roleName) {
    if (ROLE_NAME_PATTERN.test(roleName)) botRole = { name: roleName };
    else problems.push(`${nameSource.context} must be an IAM role name (no path; give ${roleArnSource.context} for a role with a path), got ${JSON.stringify(roleName)}`);
  } else if (roleArn) {
    if (ROLE_ARN_PATTERN.test(roleArn)) botRole = { arn: roleArn };
    else problems.push(`${roleArnSource.context} must be an IAM role ARN like "arn:aws:iam::111122223333:role/warden-bot", got ${JSON.stringify(roleArn)}`);
  } else {
    problems.push(
      `the role the bot runs as is missing: ${how(nameSource, 'warden-bot')}; or by ARN with \`-c ${roleArnSource.context}=arn:aws:iam::111122223333:role/warden-bot\` or ${roleArnSource.env}`,
    );
  }

  if (problems.length > 0 || !scanStateMachineArn || !botRole) throw new SettingsError(problems);
  return { scanStateMachineArn, botRole };
}
