import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('start-up with an account granted through Identity Center', () => {
  it('stops with the org file, the field and the missing settings when WARDEN_SSO_* are not set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-ic-'));
    const org = readFileSync('examples/org.yaml', 'utf8').replace('    name: sandbox\n', '    name: sandbox\n    grant: { via: identity-center }\n');
    writeFileSync(join(dir, 'org.yaml'), org);
    writeFileSync(join(dir, 'access-rules.yaml'), readFileSync('examples/access-rules.yaml', 'utf8'));
    const result = await run(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env['PATH'] ?? '', WARDEN_CONFIG_DIR: dir, WARDEN_DB: ':memory:', WARDEN_GRANT_MODE: 'aws', WARDEN_SCP_SOURCE: 'files', AWS_REGION: 'eu-west-1' },
      timeout: 20_000,
    }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code?: number; stderr?: string }) => ({ code: e.code ?? -1, stderr: e.stderr ?? '' }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Warden cannot start');
    expect(result.stderr).toContain(`${join(dir, 'org.yaml')}: accounts[1].grant.via: account sandbox is granted through IAM Identity Center, but WARDEN_SSO_INSTANCE_ARN and WARDEN_SSO_IDENTITY_STORE_ID are not set`);
  });
});
