import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
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

/** A port nobody listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * Runs `src/main.ts` until its stdout matches `until` (then stops it) or it exits. Nothing here waits
 * on a network call: start-up makes none, and the process is stopped as soon as the line appears.
 */
async function startUntil(env: Record<string, string>, until: RegExp): Promise<{ stdout: string; stderr: string; exited: number | null }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => {
    let exited: number | null = null;
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (until.test(stdout)) child.kill('SIGTERM');
    });
    child.on('exit', (code) => {
      exited = code;
      clearTimeout(timer);
      resolve({ stdout, stderr, exited });
    });
  });
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

  it('with only the Microsoft* variables, starts Teams alone: no fake Slack, no playground page', async () => {
    const result = await startUntil(
      {
        MicrosoftAppId: '5e1f0c2a-7b3d-4c8e-9f10-2a3b4c5d6e7f',
        MicrosoftAppPassword: 'warden-main-test-secret',
        MicrosoftAppType: 'MultiTenant',
        TEAMS_PORT: String(await freePort()),
        PORT: String(await freePort()),
        WARDEN_DB: ':memory:',
      },
      /"msg":"Warden started"/,
    );
    const started = result.stdout.split('\n').find((l) => l.includes('"msg":"Warden started"'));
    expect(started, `stdout: ${result.stdout}\nstderr: ${result.stderr}`).toBeDefined();
    const fields = JSON.parse(started!) as Record<string, unknown>;
    expect(fields['chat']).toBe('teams');
    expect(String(fields['config'])).toMatch(/^mode=teams-only /);
    expect(String(fields['teams'])).toMatch(/\/api\/messages$/);
    expect(result.stdout).not.toMatch(/Warden playground|playground started|fakeSlackWebApi/);
    expect(result.stdout + result.stderr).not.toContain('warden-main-test-secret');
  });
});
