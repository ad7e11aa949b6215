import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPolicyConfig } from '../../src/config/load-policy-files.js';
import { ConfigError } from '../../src/config/config-error.js';
import { defaultGuardrails } from '../../src/policy/guardrails/index.js';
import { PolicyConfigHolder } from '../../src/policy/policy-config-holder.js';
import { diffPolicyText } from '../../src/policy/policy-summary.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

let store: SqliteStore;
beforeEach(() => {
  store = SqliteStore.open(':memory:');
});
afterEach(async () => {
  await store.close();
});

async function replica(): Promise<PolicyConfigHolder> {
  const { org, rules } = await loadPolicyConfig('examples');
  const guardrails = defaultGuardrails();
  return new PolicyConfigHolder({
    org,
    store,
    // Only refresh() looks at the store in these tests.
    refreshMs: 60 * 60_000,
    base: { guardrails: { value: guardrails, text: PolicyConfigHolder.guardrailsText(guardrails, undefined) }, rules: { value: rules, text: await readFile('examples/access-rules.yaml', 'utf8') } },
  });
}

describe('PolicyConfigHolder', () => {
  it('a version applied on one replica is used by another after its refresh', async () => {
    const a = await replica();
    const b = await replica();
    const text = `${a.active('guardrails').text}\nallowedRegions: [eu-west-1]\n`;
    expect(await a.apply('guardrails', text, 'dave', '2026-01-01T00:00:00.000Z')).toMatchObject({ version: 1 });
    expect(a.current().guardrails.allowedRegions).toEqual(['eu-west-1']);
    expect(b.current().guardrails.allowedRegions).toBeUndefined();
    await b.refresh();
    expect(b.current().guardrails.allowedRegions).toEqual(['eu-west-1']);
    expect(b.active('guardrails')).toMatchObject({ version: 1, savedBy: 'dave' });
  });

  it('refuses invalid text with a ConfigError and stores nothing', async () => {
    const a = await replica();
    await expect(a.apply('guardrails', 'durations:\n  maxMinutes: lots\n', 'dave', '2026-01-01T00:00:00.000Z')).rejects.toBeInstanceOf(ConfigError);
    expect(await store.getLatestPolicyVersion('guardrails')).toBeUndefined();
  });

  it('the previous version of the first applied one is the start-up file', async () => {
    const a = await replica();
    expect(await a.previous('access-rules')).toBeUndefined();
    const base = a.active('access-rules').text;
    await a.apply('access-rules', base.replace('groups: [platform]\n', 'groups: [platform]\n  users: [ana]\n'), 'dave', '2026-01-01T00:00:00.000Z');
    expect(a.current().rules.admins.users).toEqual(['ana']);
    expect(await a.previous('access-rules')).toEqual({ version: 0, text: base });
  });

  it('summarizes a change by the sections that changed in meaning, not by comments', () => {
    expect(diffPolicyText('a: 1\nb: 2\n', '# note\na: 1\nb: 3\n')).toEqual({ sections: ['b'], linesAdded: 2, linesRemoved: 1 });
  });
});
