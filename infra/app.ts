/**
 * The CDK app: one stack, WardenScanEvents (./scan-events-stack.ts), in the scan state machine's
 * account and region.
 *
 *   cd infra && npx aws-cdk@2 deploy -c scanStateMachineArn=arn:aws:states:… -c botRoleName=warden-bot
 *
 * (or botRoleArn=…). Without the CDK CLI, `npx tsx infra/app.ts` synthesizes to infra/cdk.out, reading
 * WARDEN_SCAN_STATE_MACHINE_ARN and WARDEN_BOT_ROLE_NAME (or WARDEN_BOT_ROLE_ARN) from the environment.
 * Synthesis is local: nothing is looked up in AWS.
 */
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { ScanEventsStack } from './scan-events-stack.js';
import { readScanEventsSettings, SettingsError } from './settings.js';

// Under the CDK CLI, CDK_OUTDIR says where to write; run directly, App would pick a temporary directory.
const standalone = !process.env['CDK_OUTDIR'];
const outdir = fileURLToPath(new URL('./cdk.out', import.meta.url));
const app = new App(standalone ? { outdir } : {});

try {
  const settings = readScanEventsSettings((key) => app.node.tryGetContext(key), process.env);
  new ScanEventsStack(app, 'WardenScanEvents', settings);
} catch (error) {
  if (!(error instanceof SettingsError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const assembly = app.synth();
if (standalone) console.error(`Synthesized ${assembly.stacks.map((s) => s.stackName).join(', ')} to ${assembly.directory}`);
