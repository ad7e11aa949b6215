/**
 * Scores drafts against labels. Actions: micro precision and recall over all requests (a request the
 * drafter did not draft counts every expected action as missed). Resources: the share of requests
 * whose drafted ARNs are exactly the expected set, plus micro precision and recall.
 */
import type { DraftResult } from '../../src/access/drafter.js';
import type { EvalCase } from './dataset.js';

export interface CaseScore {
  id: string;
  outcome: DraftResult['kind'];
  account: boolean;
  actions: { hit: number; extra: string[]; missed: string[] };
  resources: { hit: number; extra: string[]; missed: string[] };
  resourcesExact: boolean;
  duration: boolean;
  latencyMs: number;
}

export interface Summary {
  cases: number;
  drafted: number;
  actionPrecision: number;
  actionRecall: number;
  resourceAccuracy: number;
  resourcePrecision: number;
  resourceRecall: number;
  accountAccuracy: number;
  durationAccuracy: number;
  meanLatencyMs: number;
}

/** IAM action names are case-insensitive; ARNs are compared as written. */
const actionKey = (a: string) => a.toLowerCase();

function compare(drafted: readonly string[], expected: readonly string[], key: (s: string) => string = (s) => s) {
  const want = new Set(expected.map(key));
  const got = new Set(drafted.map(key));
  return {
    hit: [...got].filter((g) => want.has(g)).length,
    extra: [...got].filter((g) => !want.has(g)),
    missed: [...want].filter((w) => !got.has(w)),
  };
}

export function scoreCase(testCase: EvalCase, result: DraftResult, latencyMs: number): CaseScore {
  const draft = result.kind === 'draft' ? result.draft : undefined;
  const actions = compare(draft?.statements.flatMap((s) => s.actions) ?? [], testCase.expected.actions, actionKey);
  const resources = compare(draft?.statements.flatMap((s) => s.resources) ?? [], testCase.expected.resources);
  return {
    id: testCase.id,
    outcome: result.kind,
    account: draft?.accountName === testCase.expected.account,
    actions,
    resources,
    resourcesExact: draft !== undefined && resources.extra.length === 0 && resources.missed.length === 0,
    duration: draft?.durationMinutes === testCase.expected.durationMinutes,
    latencyMs,
  };
}

const ratio = (n: number, d: number) => (d === 0 ? 0 : n / d);

export function summarize(scores: readonly CaseScore[]): Summary {
  const sum = (f: (s: CaseScore) => number) => scores.reduce((total, s) => total + f(s), 0);
  const count = (f: (s: CaseScore) => boolean) => scores.filter(f).length;
  const actionHits = sum((s) => s.actions.hit);
  const resourceHits = sum((s) => s.resources.hit);
  return {
    cases: scores.length,
    drafted: count((s) => s.outcome === 'draft'),
    actionPrecision: ratio(actionHits, actionHits + sum((s) => s.actions.extra.length)),
    actionRecall: ratio(actionHits, actionHits + sum((s) => s.actions.missed.length)),
    resourceAccuracy: ratio(count((s) => s.resourcesExact), scores.length),
    resourcePrecision: ratio(resourceHits, resourceHits + sum((s) => s.resources.extra.length)),
    resourceRecall: ratio(resourceHits, resourceHits + sum((s) => s.resources.missed.length)),
    accountAccuracy: ratio(count((s) => s.account), scores.length),
    durationAccuracy: ratio(count((s) => s.duration), scores.length),
    meanLatencyMs: ratio(sum((s) => s.latencyMs), scores.length),
  };
}
