import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('start-up with a bad digest schedule', () => {
  it('stops with the variable, the value and the fix', async () => {
    const result = await run(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env['PATH'] ?? '', WARDEN_DIGEST_PENDING_CRON: '0 25 * * *' },
      timeout: 20_000,
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code?: number; stderr?: string }) => ({ code: error.code ?? -1, stderr: error.stderr ?? '' }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Warden cannot start:\nenvironment: WARDEN_DIGEST_PENDING_CRON: "0 25 \* \* \*" is not a valid cron expression/m);
    // Printed plainly, without a stack trace.
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
