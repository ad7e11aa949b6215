/**
 * Both evaluators on one case. @cloud-copilot/iam-simulate is AGPL: it is imported here, under
 * test/, and never from src/.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import {
  compilePolicy,
  createRequestContext,
  evaluateAccess,
  type Decision,
  type EvaluationPolicies,
  type ScpLevel,
} from '../../../src/policy/evaluate/index.js';
import { ACCOUNT, PRINCIPAL, type RandomCase } from './random-cases.js';

export type OracleOutcome = Decision | { error: string };

export function ourPolicies(c: RandomCase): EvaluationPolicies {
  const scps: ScpLevel[] = c.scps.map((level, i) => ({
    target: { kind: i === 0 ? 'root' : 'ou', id: level.id, name: level.id },
    policies: level.policies.map((p) => compilePolicy(p.name, p.policy)),
  }));
  const policies: EvaluationPolicies = { identity: c.identity.map((p) => compilePolicy(p.name, p.policy)), scps };
  if (c.boundary) policies.boundary = compilePolicy('boundary', c.boundary);
  return policies;
}

export function ours(c: RandomCase): Decision {
  return evaluateAccess(ourPolicies(c), { action: c.action, resource: c.resource, context: createRequestContext(c.context) }).decision;
}

const FROM_ORACLE = { Allowed: 'allowed', ExplicitlyDenied: 'explicit-deny', ImplicitlyDenied: 'implicit-deny' } as const;

export async function oracle(c: RandomCase): Promise<OracleOutcome> {
  const result = await runSimulation(
    {
      request: { principal: PRINCIPAL, action: c.action, resource: { resource: c.resource, accountId: ACCOUNT }, contextVariables: c.context },
      identityPolicies: c.identity,
      serviceControlPolicies: c.scps.map((level) => ({ orgIdentifier: level.id, policies: level.policies })),
      resourceControlPolicies: [],
      ...(c.boundary ? { permissionBoundaryPolicies: [{ name: 'boundary', policy: c.boundary }] } : {}),
    },
    {},
  );
  if (result.resultType === 'error') return { error: JSON.stringify(result.errors) };
  return FROM_ORACLE[result.overallResult];
}
