/**
 * Greedy shrinking of a disagreement: drop the boundary, SCP levels, policies, statements, condition
 * entries and context keys one at a time while the two evaluators still disagree. What is left is
 * small enough to read and to paste into regressions.test.ts.
 */
import type { PolicyDocument, PolicyStatement } from '../../../src/policy/evaluate/index.js';
import { oracle, ours } from './oracle.js';
import type { RandomCase } from './random-cases.js';

export async function disagrees(c: RandomCase): Promise<boolean> {
  const expected = await oracle(c);
  if (typeof expected !== 'string') return false;
  try {
    return ours(c) !== expected;
  } catch {
    return false;
  }
}

function copy(c: RandomCase): RandomCase {
  return structuredClone(c);
}

function documents(c: RandomCase): PolicyDocument[] {
  return [...c.identity.map((p) => p.policy), ...c.scps.flatMap((l) => l.policies.map((p) => p.policy)), ...(c.boundary ? [c.boundary] : [])];
}

function statementList(d: PolicyDocument): PolicyStatement[] {
  return (Array.isArray(d.Statement) ? d.Statement : [d.Statement]) as PolicyStatement[];
}

/** Every case one step smaller than `c`. */
function smaller(c: RandomCase): RandomCase[] {
  const out: RandomCase[] = [];
  const attempt = (edit: (x: RandomCase) => boolean) => {
    const x = copy(c);
    if (edit(x)) out.push(x);
  };
  if (c.boundary) attempt((x) => delete x.boundary);
  c.scps.forEach((_, i) => attempt((x) => x.scps.splice(i, 1).length > 0));
  c.identity.forEach((_, i) => attempt((x) => x.identity.length > 1 && x.identity.splice(i, 1).length > 0));
  c.scps.forEach((level, li) =>
    level.policies.forEach((_, pi) => attempt((x) => (x.scps[li]?.policies.length ?? 0) > 1 && (x.scps[li]?.policies.splice(pi, 1).length ?? 0) > 0)),
  );
  documents(c).forEach((d, di) => {
    statementList(d).forEach((s, si) => {
      attempt((x) => {
        const doc = documents(x)[di];
        if (!doc || !Array.isArray(doc.Statement) || doc.Statement.length < 2) return false;
        (doc.Statement as PolicyStatement[]).splice(si, 1);
        return true;
      });
      for (const [operator, block] of Object.entries(s.Condition ?? {})) {
        for (const key of Object.keys(block)) {
          attempt((x) => {
            const doc = documents(x)[di];
            const statement = doc ? statementList(doc)[si] : undefined;
            const condition = statement?.Condition as Record<string, Record<string, unknown>> | undefined;
            const entries = condition?.[operator];
            if (!statement || !condition || !entries) return false;
            delete entries[key];
            if (Object.keys(entries).length === 0) delete condition[operator];
            if (Object.keys(condition).length === 0) delete (statement as { Condition?: unknown }).Condition;
            return true;
          });
        }
      }
    });
  });
  for (const key of Object.keys(c.context)) attempt((x) => delete x.context[key]);
  return out;
}

export async function shrink(start: RandomCase): Promise<RandomCase> {
  let current = start;
  for (let progress = true; progress; ) {
    progress = false;
    for (const candidate of smaller(current)) {
      if (await disagrees(candidate)) {
        current = candidate;
        progress = true;
        break;
      }
    }
  }
  return current;
}
