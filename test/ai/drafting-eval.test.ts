/** The labelled set of bench/drafting-eval is itself checked: every label must be a grantable draft. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEvalSet } from '../../bench/drafting-eval/dataset.js';
import { scoreCase, summarize } from '../../bench/drafting-eval/metrics.js';
import type { DraftStatement, PermissionDraft } from '../../src/access/types.js';
import { accountLimit } from '../../src/ai/draft-context.js';
import { Directory } from '../../src/access/directory.js';
import { loadPolicyConfig } from '../../src/config/load-policy-files.js';
import { IamCatalog } from '../../src/policy/catalog.js';
import { validateDraft } from '../../src/policy/validate.js';

const catalog = new IamCatalog();

describe('bench/data/drafting-eval.json', () => {
  it('has at least 40 requests whose labels pass the IAM catalog checks and the requester’s limits', async () => {
    const set = await loadEvalSet(join('bench', 'data', 'drafting-eval.json'));
    const { org, rules } = await loadPolicyConfig('examples');
    const directory = new Directory(org);
    expect(set.requests.length).toBeGreaterThanOrEqual(40);
    for (const { id, expected } of set.requests) {
      const account = org.accounts.find((a) => a.name === expected.account);
      expect(account, id).toBeDefined();
      const limit = accountLimit({ rules, directory }, set.requester, account!);
      expect(limit.ok && expected.durationMinutes <= limit.maxMinutes, id).toBe(true);
      for (const action of expected.actions) expect(await catalog.actionExists(action), `${id} ${action}`).toBe(action);
      // Wildcard-only actions get their own statement on "*", as a drafter would write them.
      const wildcardOnly: string[] = [];
      const scoped: string[] = [];
      for (const action of expected.actions) ((await catalog.action(action))?.isWildcardOnly ? wildcardOnly : scoped).push(action);
      const statements: DraftStatement[] = [];
      if (scoped.length > 0) statements.push({ actions: scoped, resources: expected.resources.filter((r) => r !== '*') });
      if (wildcardOnly.length > 0) statements.push({ actions: wildcardOnly, resources: ['*'] });
      const draft: PermissionDraft = {
        accountId: account!.id,
        accountName: account!.name,
        accessLevel: 'Permissions management',
        statements,
        durationMinutes: expected.durationMinutes,
        justification: id,
        broad: false,
        notes: [],
      };
      expect(await validateDraft(draft, catalog), id).toEqual([]);
    }
  });
});

describe('drafting-eval metrics', () => {
  const testCase = {
    id: 'x',
    messages: ['m'],
    expected: { account: 'sandbox', actions: ['s3:GetObject', 's3:ListBucket'], resources: ['arn:aws:s3:::b/*', 'arn:aws:s3:::b'], durationMinutes: 60 },
  };
  const draft: PermissionDraft = {
    accountId: '222222222222',
    accountName: 'sandbox',
    accessLevel: 'Write',
    statements: [{ actions: ['s3:getobject', 's3:PutObject'], resources: ['arn:aws:s3:::b/*'] }],
    durationMinutes: 60,
    justification: 'j',
    broad: false,
    notes: [],
  };

  it('scores actions case-insensitively and resources exactly', () => {
    const score = scoreCase(testCase, { kind: 'draft', draft }, 5);
    expect(score.actions).toEqual({ hit: 1, extra: ['s3:putobject'], missed: ['s3:listbucket'] });
    expect(score.resources).toEqual({ hit: 1, extra: [], missed: ['arn:aws:s3:::b'] });
    expect(score).toMatchObject({ resourcesExact: false, account: true, duration: true });
  });

  it('counts a request without a draft as missing everything', () => {
    const summary = summarize([scoreCase(testCase, { kind: 'draft', draft }, 5), scoreCase(testCase, { kind: 'questions', questions: ['?'] }, 1)]);
    expect(summary).toMatchObject({ cases: 2, drafted: 1, actionPrecision: 0.5, actionRecall: 0.25, resourceAccuracy: 0, resourcePrecision: 1, resourceRecall: 0.25, meanLatencyMs: 3 });
  });
});
