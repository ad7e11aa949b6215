import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/** Runs `src/main.ts` as `npm start` does, with only the given variables, and returns how it ended. */
async function start(env: Record<string, string>): Promise<{ code: number; stderr: string; stdout: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      timeout: 20_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('start-up', () => {
  it('a broken org file stops start-up with the file, the field and the fix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-main-'));
    const org = readFileSync('examples/org.yaml', 'utf8').replace('slackId: U0BEN', 'slackId: ben');
    writeFileSync(join(dir, 'org.yaml'), org);
    writeFileSync(join(dir, 'access-rules.yaml'), readFileSync('examples/access-rules.yaml', 'utf8'));
    const result = await start({ WARDEN_CONFIG_DIR: dir, WARDEN_DB: ':memory:' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Warden cannot start');
    expect(result.stderr).toContain(join(dir, 'org.yaml'));
    expect(result.stderr).toMatch(/users\[1\]\.slackId: a Slack member id like "U024BE7LH"/);
  });

  it('half a Slack configuration is refused without echoing the token', async () => {
    const token = 'xoxb-1234-secret-value';
    const result = await start({ SLACK_BOT_TOKEN: token, WARDEN_DB: ':memory:' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/SLACK_APP_TOKEN|SLACK_SIGNING_SECRET/);
    expect(result.stderr + result.stdout).not.toContain(token);
  });
});
