/**
 * Differential test: our evaluator against @cloud-copilot/iam-simulate (AGPL, a test oracle only) on
 * seeded random identity policies, SCP paths, boundaries and request contexts.
 *
 * DIFF_CASES (default 2000) and DIFF_SEED change the run; `DIFF_CASES=50000 npx vitest run
 * test/policy/evaluate/differential.test.ts` is the long run. A disagreement fails with the case shrunk
 * to its essentials: decide from the AWS documentation who is right, then add it to
 * regressions.test.ts (saying so when the oracle is wrong) and, if the oracle is, keep the generator
 * from producing the construct (see random-cases.ts).
 */
import { describe, expect, it } from 'vitest';
import { oracle, ours } from './oracle.js';
import { randomCase } from './random-cases.js';
import { shrink } from './shrink.js';

const CASES = Number(process.env.DIFF_CASES ?? 2000);
const SEED = Number(process.env.DIFF_SEED ?? 20250106);

describe('evaluator vs iam-simulate', () => {
  it(`agrees on ${CASES} random cases (seed ${SEED})`, { timeout: Math.max(60_000, CASES * 20) }, async () => {
    const tally = { allowed: 0, 'explicit-deny': 0, 'implicit-deny': 0 };
    const oracleErrors: string[] = [];
    const disagreements: string[] = [];
    for (let index = 0; index < CASES; index++) {
      const c = randomCase(SEED, index);
      const expected = await oracle(c);
      if (typeof expected !== 'string') {
        oracleErrors.push(`${c.id}: ${expected.error}`);
        continue;
      }
      tally[expected] += 1;
      const actual = ours(c);
      if (actual !== expected && disagreements.length < 3) {
        const small = await shrink(c);
        const { action, resource, identity, scps, boundary, context } = small;
        disagreements.push(
          `case ${c.id}: ours ${ours(small)}, oracle ${JSON.stringify(await oracle(small))}\n${JSON.stringify({ action, resource, identity, scps, boundary, context }, null, 1)}`,
        );
      }
    }
    expect(disagreements, disagreements.join('\n\n')).toEqual([]);
    // Cases the oracle refuses test nothing; the generator is meant to produce valid input only.
    expect(oracleErrors.slice(0, 3)).toEqual([]);
    // Every outcome is well represented, so agreement is not just "everything is denied".
    for (const count of Object.values(tally)) expect(count).toBeGreaterThan(CASES / 10);
  });
});
