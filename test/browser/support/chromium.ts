import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium (apt-get install chromium); a browser is never downloaded. */
export const CHROMIUM_PATH = process.env['WARDEN_CHROMIUM'] ?? '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export type ChromiumStatus = { kind: 'available' } | { kind: 'skip'; reason: string } | { kind: 'fail'; reason: string };

/** CI must run the browser tests; a developer without chromium gets them skipped, with the reason. */
export function chromiumStatus(env: NodeJS.ProcessEnv = process.env): ChromiumStatus {
  if (existsSync(CHROMIUM_PATH)) return { kind: 'available' };
  const onCi = env['CI'] !== undefined && !['', '0', 'false'].includes(env['CI'].toLowerCase());
  const install = 'install it with `sudo apt-get install -y chromium` (.ci/run does this on CI)';
  return onCi
    ? { kind: 'fail', reason: `CI=${env['CI']} but ${CHROMIUM_PATH} is missing: the browser tests cannot be skipped on CI; ${install}.` }
    : { kind: 'skip', reason: `browser tests skipped: ${CHROMIUM_PATH} not found; ${install}` };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS });
}
