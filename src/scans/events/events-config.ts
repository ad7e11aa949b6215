import { ConfigError } from '../../config/config-error.js';

export interface ScanEventsConfig {
  queueUrl: string;
  /** The state machine whose events the queue carries (WARDEN_SCAN_STATE_MACHINE_ARN). */
  stateMachineArn: string;
  /** From the queue URL (sqs.<region>.amazonaws.com), else the state machine's region (a local emulator's URL names none). */
  region: string;
}

const VARIABLE = 'WARDEN_SCAN_EVENTS_QUEUE_URL';
const EXAMPLE = 'https://sqs.eu-west-1.amazonaws.com/111122223333/warden-scan-events';

/**
 * Reads WARDEN_SCAN_EVENTS_QUEUE_URL: the SQS queue the infra routes the scan state machine's
 * completion events to. Unset: null (polling alone tracks scans). Set with a URL that is not a queue
 * URL, or without a state machine to track, start-up stops with a ConfigError saying what to fix.
 */
export function parseScanEventsEnv(env: NodeJS.ProcessEnv, stateMachineArn: string | null): ScanEventsConfig | null {
  const raw = env[VARIABLE]?.trim();
  if (!raw) return null;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  // A queue URL is <endpoint>/<account id>/<queue name>.
  if (!url || !/^https?:$/.test(url.protocol) || !/^\/\d{12}\/[\w-]{1,80}(\.fifo)?$/.test(url.pathname)) {
    throw new ConfigError('environment', [{ path: VARIABLE, message: `an SQS queue URL like "${EXAMPLE}", got ${JSON.stringify(raw)}` }]);
  }
  if (!stateMachineArn) {
    throw new ConfigError('environment', [{ path: VARIABLE, message: 'completion events need the state machine they come from: set WARDEN_SCAN_STATE_MACHINE_ARN too, or unset this' }]);
  }
  const region = /^sqs\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(url.hostname)?.[1] ?? stateMachineArn.split(':')[3]!;
  return { queueUrl: raw, stateMachineArn, region };
}
