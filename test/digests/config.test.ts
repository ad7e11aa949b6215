import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { DIGEST_DEFAULTS, parseDigestEnv } from '../../src/digests/config.js';
import { digestJobs } from '../../src/digests/wiring.js';
import { makeAccessDeps } from '../support/access-deps.js';

function problem(env: NodeJS.ProcessEnv): ConfigError {
  try {
    parseDigestEnv(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseDigestEnv', () => {
  it('gives the defaults for unset and empty values', () => {
    expect(parseDigestEnv({})).toEqual(DIGEST_DEFAULTS);
    expect(
      parseDigestEnv({
        WARDEN_DIGEST_PENDING_CRON: '',
        WARDEN_DIGEST_EXPIRING_CRON: ' ',
        WARDEN_DIGEST_EXPIRING_WITHIN_MINUTES: '',
        WARDEN_DIGEST_POSTURE_CRON: '',
        WARDEN_DIGEST_TIMEZONE: '',
      }),
    ).toEqual({ pending: '0 9 * * 1-5', expiring: '*/5 * * * *', expiringWithinMinutes: 30, posture: '0 9 * * 1', timezone: 'UTC' });
  });

  it('reads set values, and "off" turns a digest off', () => {
    const config = parseDigestEnv({
      WARDEN_DIGEST_PENDING_CRON: 'off',
      WARDEN_DIGEST_EXPIRING_CRON: '*/10 * * * *',
      WARDEN_DIGEST_EXPIRING_WITHIN_MINUTES: '60',
      WARDEN_DIGEST_POSTURE_CRON: 'OFF',
      WARDEN_DIGEST_TIMEZONE: 'Europe/Lisbon',
    });
    expect(config).toEqual({ pending: null, expiring: '*/10 * * * *', expiringWithinMinutes: 60, posture: null, timezone: 'Europe/Lisbon' });
  });

  it('stops start-up on a bad cron expression, naming the variable and the fix', () => {
    const error = problem({ WARDEN_DIGEST_PENDING_CRON: '0 25 * * *', WARDEN_DIGEST_POSTURE_CRON: 'every monday' });
    expect(error.file).toBe('environment');
    expect(error.issues.map((i) => i.path)).toEqual(['WARDEN_DIGEST_PENDING_CRON', 'WARDEN_DIGEST_POSTURE_CRON']);
    expect(error.format()).toMatch(/^environment: WARDEN_DIGEST_PENDING_CRON: "0 25 \* \* \*" is not a valid cron expression \(.*hour.*\)/);
    expect(error.format()).toMatch(/WARDEN_DIGEST_POSTURE_CRON: "every monday" is not a valid cron expression/);
    expect(error.format()).toMatch(/"off" to turn the digest off/);
  });

  it('stops start-up on a bad time zone or lead time', () => {
    const error = problem({ WARDEN_DIGEST_TIMEZONE: 'Mars/Olympus', WARDEN_DIGEST_EXPIRING_WITHIN_MINUTES: '0' });
    expect(error.issues.map((i) => i.path).sort()).toEqual(['WARDEN_DIGEST_EXPIRING_WITHIN_MINUTES', 'WARDEN_DIGEST_TIMEZONE']);
    expect(error.format()).toMatch(/WARDEN_DIGEST_TIMEZONE: an IANA time zone/);
    expect(error.format()).toMatch(/WARDEN_DIGEST_EXPIRING_WITHIN_MINUTES: .*whole number from 1 to 1440/);
  });
});

describe('digestJobs', () => {
  it('schedules only the digests that are on, and the posture only with scans', async () => {
    const deps = await makeAccessDeps();
    const posture = { scans: {} as never, chat: {} as never };
    expect(digestJobs(parseDigestEnv({}), deps, posture).map((j) => [j.name, j.cron])).toEqual([
      ['pending', '0 9 * * 1-5'],
      ['expiring', '*/5 * * * *'],
      ['posture', '0 9 * * 1'],
    ]);
    expect(digestJobs(parseDigestEnv({}), deps, undefined).map((j) => j.name)).toEqual(['pending', 'expiring']);
    const off = parseDigestEnv({ WARDEN_DIGEST_PENDING_CRON: 'off', WARDEN_DIGEST_EXPIRING_CRON: 'off', WARDEN_DIGEST_POSTURE_CRON: 'off' });
    expect(digestJobs(off, deps, posture)).toEqual([]);
    await deps.store.close();
  });
});
