import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface LockPackage {
  dev?: boolean;
  devOptional?: boolean;
  license?: string;
}

/** Runtime packages of the lockfile (what `npm ci --omit=dev` installs), with their declared licence. */
function runtimePackages(): { name: string; license: string }[] {
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, LockPackage> };
  return Object.entries(lock.packages)
    .filter(([path, pkg]) => path !== '' && !pkg.dev && !pkg.devOptional)
    .map(([path, pkg]) => ({ name: path.replace(/^.*node_modules\//, ''), license: pkg.license ?? readLicense(path) }));
}

function readLicense(path: string): string {
  try {
    const manifest = JSON.parse(readFileSync(`${path}/package.json`, 'utf8')) as { license?: unknown };
    return typeof manifest.license === 'string' ? manifest.license : 'UNKNOWN';
  } catch {
    return 'UNKNOWN';
  }
}

describe('licences', () => {
  it('the project is Apache-2.0 and no runtime dependency is GPL or AGPL', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { license: string };
    expect(manifest.license).toBe('Apache-2.0');
    const copyleft = runtimePackages().filter((p) => /\bA?GPL\b|AGPL|GPL-/i.test(p.license) && !/LGPL/i.test(p.license));
    expect(copyleft).toEqual([]);
  });

  it('the AGPL oracle stays a devDependency that src/ never imports', async () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies)).not.toContain('@cloud-copilot/iam-simulate');
    const { spawnSync } = await import('node:child_process');
    // grep exits 1 when nothing matches, which is the outcome wanted here.
    const grep = spawnSync('grep', ['-rl', 'iam-simulate', 'src'], { encoding: 'utf8' });
    expect(grep.status).toBe(1);
    expect(grep.stdout.trim()).toBe('');
  });
});
