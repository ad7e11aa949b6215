import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { organizationsScpSource } from '../../../src/aws/organizations/index.js';
import { ManualClock } from '../../support/manual-clock.js';
import { fakeOrganization, organizations, organizationsCalls, PAYMENTS } from './fake-organizations.js';

afterEach(() => organizations.reset());

/** docs/aws-grant-role.md is what admins paste into the management account: it must allow exactly the calls Warden makes. */
describe('the Organizations permissions in docs/aws-grant-role.md', () => {
  it('allow every Organizations call a read makes, and nothing else', async () => {
    const markdown = await readFile('docs/aws-grant-role.md', 'utf8');
    const block = /<!-- policy: organizations -->\s*```json\n([\s\S]*?)```/.exec(markdown)?.[1];
    expect(block, 'the policy block').toBeDefined();
    const policy = JSON.parse(block!) as { Statement: { Effect: string; Action: string[] }[] };
    const documented = policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => s.Action);

    fakeOrganization();
    const source = organizationsScpSource(
      { source: 'organizations', region: 'us-east-1', stsRegion: 'us-east-1', roleArn: undefined, cacheTtlSeconds: 900 },
      { clock: new ManualClock() },
    );
    await source.forAccount(PAYMENTS);
    const made = [...new Set(organizationsCalls().map((c) => `organizations:${c.op}`))];
    expect([...documented].sort()).toEqual(made.sort());
  });
});
