/**
 * Resources: well-formed ARNs, no wildcard account or region in what is granted, "*" only where
 * IAM cannot name a resource, and each action paired with ARNs of a type it applies to (the
 * segment-aware match of arn.ts, through validate.ts).
 */
import type { PermissionDraft } from '../../access/types.js';
import { parseArn } from '../arn.js';
import { listOf } from '../evaluate/policy.js';
import { validateDraftResources } from '../validate.js';
import { expandActionPattern, isActionPattern, summarizeActions } from './expand.js';
import { locate, where } from './location.js';
import type { LintCheck, LintFinding } from './types.js';

const PARTITIONS = new Set(['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc']);
const WILDCARD = /[*?]/;

export const checkArns: LintCheck = ({ statements, options }) => {
  const findings: LintFinding[] = [];
  statements.forEach((statement, index) => {
    const location = locate(statement, index);
    const granting = statement.Effect === 'Allow' && options.use !== 'scp';
    for (const resource of listOf(statement.Resource ?? statement.NotResource)) {
      if (resource === '*') continue;
      const arn = parseArn(resource);
      const problem = !arn
        ? 'it needs six parts, arn:partition:service:region:account:resource'
        : !PARTITIONS.has(arn.partition)
          ? `"${arn.partition}" is not an AWS partition (aws, aws-cn, aws-us-gov…)`
          : WILDCARD.test(arn.service)
            ? 'IAM allows no wildcard in the service part'
            : undefined;
      if (problem || !arn) {
        findings.push({ code: 'malformed-arn', severity: 'error', statement: location, resource, message: `"${resource}" is not a valid ARN: ${problem ?? 'it cannot be read'}.` });
        continue;
      }
      if (!granting) continue;
      if (WILDCARD.test(arn.account)) {
        findings.push({
          code: 'wildcard-account',
          severity: 'error',
          statement: location,
          resource,
          message: `${resource} has a wildcard account ("${arn.account}"): it names resources in every AWS account. Put the target account id there.`,
        });
      }
      if (WILDCARD.test(arn.region)) {
        findings.push({
          code: 'wildcard-region',
          severity: 'warning',
          statement: location,
          resource,
          message: `${resource} has a wildcard region ("${arn.region}"): it names the resource in every region. Name the region when you know it.`,
        });
      }
    }
  });
  return findings;
};

/** "*" only for actions the catalog marks wildcard-only, i.e. that cannot be limited to a resource. */
export const checkWildcardResource: LintCheck = async ({ statements, catalog, options }) => {
  if (options.use !== 'identity') return [];
  const findings: LintFinding[] = [];
  for (const [index, statement] of statements.entries()) {
    if (statement.Effect !== 'Allow' || !listOf(statement.Resource).includes('*')) continue;
    const location = locate(statement, index);
    const limitable: string[] = [];
    for (const raw of listOf(statement.Action)) {
      const ids = raw.trim() === '*' ? [] : isActionPattern(raw) ? (await expandActionPattern(raw, catalog)).actions : [raw];
      for (const id of ids) {
        const action = await catalog.action(id);
        if (action && !action.isWildcardOnly) limitable.push(action.id);
      }
    }
    if (listOf(statement.Action).includes('*') || statement.NotAction !== undefined) limitable.push('every action');
    if (limitable.length === 0) continue;
    findings.push({
      code: 'wildcard-resource',
      severity: 'error',
      statement: location,
      resource: '*',
      expandsTo: limitable,
      message: `${where(location)} grants ${summarizeActions(limitable)} on "*", every resource of the account, though ${limitable.length === 1 ? 'it' : 'they'} can be limited to named resources. Name the resources; "*" is only for actions IAM cannot limit.`,
    });
  }
  return findings;
};

/** Reuses the draft checks of validate.ts on each Allow statement that names its actions and resources. */
export const checkResourceTypes: LintCheck = async ({ statements, catalog, options }) => {
  if (options.use !== 'identity') return [];
  const findings: LintFinding[] = [];
  for (const [index, statement] of statements.entries()) {
    if (statement.Effect !== 'Allow' || statement.Action === undefined || statement.Resource === undefined) continue;
    const actions = listOf(statement.Action).filter((a) => !isActionPattern(a));
    const resources = listOf(statement.Resource).filter((r) => r === '*' || parseArn(r) !== undefined);
    if (actions.length === 0 || resources.length === 0) continue;
    const draft: PermissionDraft = {
      accountId: '',
      accountName: '',
      accessLevel: 'Permissions management',
      statements: [{ actions, resources }],
      durationMinutes: 0,
      justification: '',
      broad: false,
      notes: [],
    };
    const location = locate(statement, index);
    for (const problem of await validateDraftResources(draft, catalog)) {
      if (problem.code !== 'resource-type-mismatch') continue;
      const finding: LintFinding = { code: 'resource-type-mismatch', severity: 'error', statement: location, message: `${where(location)}: ${problem.message}` };
      if (problem.action) finding.action = problem.action;
      if (problem.resource) finding.resource = problem.resource;
      findings.push(finding);
    }
  }
  return findings;
};
