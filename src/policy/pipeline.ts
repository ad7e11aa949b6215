/**
 * The policy pipeline: from a draft to everything an approval card needs. It builds the document
 * Warden would attach, applies the guardrails (refusals, soft findings, conditions to add), lints the
 * final document, and simulates it against the account's SCPs, action by action and resource by
 * resource, with "would be allowed if…" for what is denied.
 *
 * Deterministic and free of I/O: the IAM catalog is bundled data, the SCPs (a tree, or the account's
 * chain the gate read from its source) and guardrails are passed in, and time comes from `now`. Nothing here reads the chat text except the justification's
 * length and the action names it mentions (shown to the approver, never granted).
 */
import { addMinutes } from '../access/duration.js';
import type { PermissionDraft } from '../access/types.js';
import type { Account } from '../config/schemas.js';
import type { IamCatalog } from './catalog.js';
import { buildPolicyDocument } from './document.js';
import {
  compilePolicy,
  createRequestContext,
  deriveAllowedIf,
  evaluateAccess,
  principalContext,
  tryCompilePolicy,
  type AllowedIf,
  type Decision,
  type EvaluationPolicies,
  type MissingAllow,
  type PolicyDocument,
  type PrincipalFacts,
  type StatementRef,
} from './evaluate/index.js';
import {
  applyGuardrails,
  requestedRegion,
  withInjectedConditions,
  type ActionFact,
  type GrantPolicyDocument,
  type GuardedStatement,
  type GuardrailRefusal,
  type Guardrails,
  type InjectedCondition,
  type SoftFinding,
} from './guardrails/index.js';
import { expandActionPattern, isActionPattern, lintPolicy, type ActionExpansion, type LintFinding } from './lint/index.js';
import type { AccountScps } from './scp/source.js';
import { scpPathFor, type OrgScpTree } from './scp/tree.js';

export interface RequestPolicyInput {
  draft: PermissionDraft;
  /** The target account, from the org file. */
  account: Account;
  /** Who will use the access, as AWS will see them (principal ARN, tags, MFA, source IP…). */
  principal: Omit<PrincipalFacts, 'time' | 'orgId' | 'orgPaths'>;
  now: Date;
  /** When the grant ends; defaults to now + the draft's duration. */
  expiresAt?: Date;
  /**
   * The organization's SCPs: a whole tree (files), the target account's chain (from an SCP source),
   * or why they could not be read. Without it SCPs are not simulated (and the result says so).
   */
  scps?: OrgScpTree | AccountScps | { unavailable: string };
  guardrails: Guardrails;
  catalog: IamCatalog;
  /** A permissions boundary on the principal, when there is one. */
  permissionBoundary?: PolicyDocument;
  /** Most action/resource pairs simulated; wildcards beyond it are reported, not simulated. Default 400. */
  maxPairs?: number;
  /** Most denied pairs for which "would be allowed if…" is worked out (it re-evaluates). Default 50. */
  maxAllowedIfPairs?: number;
}

/** The simulated answer for one action on one resource. */
export interface PairVerdict {
  action: string;
  resource: string;
  /** The aws:RequestedRegion the simulation used. */
  region: string;
  decision: Decision;
  /** The decision holds for part of a drafted pattern only. */
  partial: boolean;
  deniedBy: StatementRef[];
  missingAllow: MissingAllow[];
  /** Context values under which the pair would be allowed, when they can be worked out. */
  allowedIf: AllowedIf[];
  /** One line for the card, e.g. "s3:PutObject on arn:aws:s3:::b/* — denied by SCP `deny-writes-in-prod`…". */
  text: string;
}

export interface Blocker {
  source: 'guardrail' | 'lint';
  code: string;
  message: string;
}

export interface RequestPolicyResult {
  /** "refused": nothing goes to approvers; `blockers` say why and what to do. */
  outcome: 'refused' | 'needs-approval';
  blockers: Blocker[];
  /** The document that would be attached, guardrail conditions included. */
  document: GrantPolicyDocument;
  expiresAt: string;
  lint: LintFinding[];
  guardrails: {
    refusals: GuardrailRefusal[];
    soft: SoftFinding[];
    injected: InjectedCondition[];
    needsSecondApprover: boolean;
    needsStrongerJustification: boolean;
    maxDurationMinutes: number;
  };
  /** Wildcard actions and what they expand to today. */
  expansions: ActionExpansion[];
  scp: { simulated: boolean; path?: string[]; exempt?: boolean; note?: string };
  verdicts: PairVerdict[];
  summary: { allowed: number; explicitDeny: number; implicitDeny: number; partial: number; notSimulated: number };
}

const DEFAULT_MAX_PAIRS = 400;
const DEFAULT_MAX_ALLOWED_IF = 50;
/** A refused request reaches no approver: a glimpse of its verdicts is enough for the requester. */
const REFUSED_MAX_PAIRS = 50;
/** Past this an expiry cannot be a Date; the guardrails refuse such a duration anyway. */
const LONGEST_MINUTES = 10 * 365 * 24 * 60;

export async function evaluateRequestPolicy(input: RequestPolicyInput): Promise<RequestPolicyResult> {
  const { draft, account, catalog, now } = input;
  const duration = Number.isFinite(draft.durationMinutes) ? Math.min(Math.max(draft.durationMinutes, 0), LONGEST_MINUTES) : 0;
  const expiresAt = input.expiresAt ?? addMinutes(now, duration);

  const base = buildPolicyDocument(draft, expiresAt);
  const { statements, expansions } = await guardedStatements(base.Statement, catalog);
  const guardrails = applyGuardrails({ draft, account, statements, expiresAt }, input.guardrails);
  const document = withInjectedConditions(base, guardrails.inject);
  const lint = await lintPolicy(document, catalog, { use: 'identity', accessLevel: draft.accessLevel, now, expiresAt });

  const blockers: Blocker[] = [
    ...guardrails.refusals.map((r) => ({ source: 'guardrail' as const, code: r.code, message: r.message })),
    ...lint.findings.filter((f) => f.severity === 'error').map((f) => ({ source: 'lint' as const, code: f.code, message: f.message })),
  ];

  const refused = blockers.length > 0;
  const simulation = simulate(
    input,
    document,
    statements,
    now,
    refused ? Math.min(REFUSED_MAX_PAIRS, input.maxPairs ?? DEFAULT_MAX_PAIRS) : (input.maxPairs ?? DEFAULT_MAX_PAIRS),
    refused ? 0 : (input.maxAllowedIfPairs ?? DEFAULT_MAX_ALLOWED_IF),
  );
  const verdicts = simulation.verdicts;
  return {
    outcome: refused ? 'refused' : 'needs-approval',
    blockers,
    document,
    expiresAt: expiresAt.toISOString(),
    lint: lint.findings,
    guardrails: {
      refusals: guardrails.refusals,
      soft: guardrails.soft,
      injected: guardrails.inject,
      needsSecondApprover: guardrails.needsSecondApprover,
      needsStrongerJustification: guardrails.needsStrongerJustification,
      maxDurationMinutes: guardrails.maxDurationMinutes,
    },
    expansions,
    scp: simulation.scp,
    verdicts,
    summary: {
      allowed: verdicts.filter((v) => v.decision === 'allowed').length,
      explicitDeny: verdicts.filter((v) => v.decision === 'explicit-deny').length,
      implicitDeny: verdicts.filter((v) => v.decision === 'implicit-deny').length,
      partial: verdicts.filter((v) => v.partial).length,
      notSimulated: simulation.notSimulated,
    },
  };
}

/** Each statement's actions with their catalog facts; wildcards expanded. */
async function guardedStatements(
  statements: readonly { Sid: string; Action: string[]; Resource: string[] }[],
  catalog: IamCatalog,
): Promise<{ statements: GuardedStatement[]; expansions: ActionExpansion[] }> {
  const expansions: ActionExpansion[] = [];
  const guarded: GuardedStatement[] = [];
  for (const statement of statements) {
    const actions = [];
    for (const raw of statement.Action) {
      const written = raw.trim();
      let ids: string[] = [];
      let everyService = false;
      if (isActionPattern(written)) {
        const expansion = await expandActionPattern(written, catalog);
        expansions.push(expansion);
        ids = expansion.actions;
        everyService = expansion.everyService;
      } else {
        ids = [written];
      }
      const expanded: ActionFact[] = [];
      for (const id of ids) {
        const action = await catalog.action(id);
        if (action) expanded.push({ id: action.id, levels: action.accessLevels, level: action.level, wildcardOnly: action.isWildcardOnly });
      }
      actions.push({ written, expanded, everyService });
    }
    guarded.push({ sid: statement.Sid, actions, resources: [...statement.Resource] });
  }
  return { statements: guarded, expansions };
}

interface Simulation {
  scp: RequestPolicyResult['scp'];
  verdicts: PairVerdict[];
  notSimulated: number;
}

function simulate(
  input: RequestPolicyInput,
  document: GrantPolicyDocument,
  statements: readonly GuardedStatement[],
  now: Date,
  maxPairs: number,
  maxAllowedIf: number,
): Simulation {
  const { account } = input;
  let scp: RequestPolicyResult['scp'] = { simulated: false, note: 'No organization tree is configured: SCPs were not simulated.' };
  const policies: EvaluationPolicies = { identity: [] };
  const facts: PrincipalFacts = { ...input.principal, time: now };

  const scps = input.scps;
  if (scps && 'unavailable' in scps) {
    // AWS still enforces the SCPs when the access is used; only the preview is missing.
    scp = { simulated: false, note: `SCPs could not be read, so they were not simulated: ${scps.unavailable}` };
  } else if (scps) {
    const organizationId = scps.organizationId;
    const path = 'root' in scps ? scpPathFor(scps, account.id) : scps.path;
    if (!path.found) {
      scp = { simulated: false, note: `Account ${account.name} (${account.id}) is not in the organization tree: SCPs were not simulated.` };
    } else {
      scp = path.exempt
        ? { simulated: true, path: path.path, exempt: true, note: 'The management account: SCPs do not apply.' }
        : { simulated: true, path: path.path, exempt: false };
      policies.scps = path.levels;
      facts.orgId = organizationId;
      const ids = path.levels.map((l) => l.target.id);
      facts.orgPaths = [`${organizationId}/${ids.slice(0, -1).join('/')}/`];
    }
  }

  // A document the evaluator cannot read (a malformed pasted action) is refused by the lint; there is nothing to simulate.
  const compiled = tryCompilePolicy('warden-grant', document);
  if (!compiled.ok) return { scp, verdicts: [], notSimulated: countPairs(statements) };
  policies.identity = [compiled.policy];
  if (input.permissionBoundary) policies.boundary = compilePolicy('permissions-boundary', input.permissionBoundary);

  const base = principalContext(facts);
  const verdicts: PairVerdict[] = [];
  let allowedIfBudget = maxAllowedIf;
  const seen = new Set<string>();
  let notSimulated = 0;
  for (const statement of statements) {
    for (const action of statement.actions) {
      for (const fact of action.expanded) {
        for (const resource of statement.resources) {
          const key = `${fact.id} ${resource}`;
          if (seen.has(key)) continue;
          seen.add(key);
          if (verdicts.length >= maxPairs) {
            notSimulated += 1;
            continue;
          }
          const pair = simulatePair(policies, base, fact, resource, account.region, allowedIfBudget > 0);
          if (pair.decision !== 'allowed') allowedIfBudget -= 1;
          verdicts.push(pair);
        }
      }
    }
  }
  return { scp, verdicts, notSimulated };
}

function countPairs(statements: readonly GuardedStatement[]): number {
  return statements.reduce((n, s) => n + s.actions.reduce((m, a) => m + a.expanded.length, 0) * s.resources.length, 0);
}

function simulatePair(
  policies: EvaluationPolicies,
  base: ReturnType<typeof principalContext>,
  fact: ActionFact,
  resource: string,
  defaultRegion: string,
  withAllowedIf: boolean,
): PairVerdict {
  const region = requestedRegion(fact.id, resource, defaultRegion);
  // "*" for an action that can name resources means every resource: asked as the widest ARN pattern.
  const asked = resource === '*' && !fact.wildcardOnly ? 'arn:*:*:*:*:*' : resource;
  const query = { action: fact.id, resource: asked, context: createRequestContext({ ...base, 'aws:RequestedRegion': region }) };
  const verdict = evaluateAccess(policies, query);
  const allowedIf = verdict.decision === 'allowed' || !withAllowedIf ? [] : deriveAllowedIf(policies, query);
  const pair: PairVerdict = {
    action: fact.id,
    resource,
    region,
    decision: verdict.decision,
    partial: verdict.partial,
    deniedBy: verdict.deniedBy,
    missingAllow: verdict.missingAllow,
    allowedIf,
    text: '',
  };
  pair.text = describePair(pair);
  return pair;
}

const TARGET_KIND = { root: 'the root', ou: 'OU', account: 'account' } as const;

function describeRef(ref: StatementRef): string {
  if (ref.kind === 'scp') {
    const where = ref.target ? `, attached to ${ref.target.kind === 'root' ? TARGET_KIND.root : `${TARGET_KIND[ref.target.kind]} ${ref.target.name}`}` : '';
    return `SCP \`${ref.policy}\`, statement \`${ref.statement}\`${where}`;
  }
  if (ref.kind === 'boundary') return `the permissions boundary, statement \`${ref.statement}\``;
  return `the grant's own statement \`${ref.statement}\``;
}

function describeMissing(missing: MissingAllow): string {
  if (missing.kind === 'scp') {
    const target = missing.target;
    const where = !target ? 'one level of the organization' : target.kind === 'root' ? 'the root' : `${TARGET_KIND[target.kind]} ${target.name}`;
    return `no SCP attached to ${where} allows it`;
  }
  if (missing.kind === 'boundary') return 'the permissions boundary does not allow it';
  return "the grant's own conditions do not hold for this request";
}

/** "only in eu-west-1 or eu-central-1", "with MFA": the conditions as an approver reads them. */
export function describeAllowedIf(allowedIf: AllowedIf): string {
  return allowedIf.requirements
    .map(({ key, values }) => {
      const list = values.length === 1 ? (values[0] ?? '') : `${values.slice(0, -1).join(', ')} or ${values.at(-1) ?? ''}`;
      switch (key.toLowerCase()) {
        case 'aws:requestedregion':
          return `only in ${list}`;
        case 'aws:multifactorauthpresent':
          return values.includes('true') ? 'with MFA' : 'without MFA';
        case 'aws:principalarn':
          return `only for principals matching ${list}`;
        case 'aws:sourceip':
          return `only from ${list}`;
        case 'aws:sourcevpc':
          return `only from VPC ${list}`;
        default:
          return `when ${key} is ${list}`;
      }
    })
    .join(' and ');
}

function describePair(pair: PairVerdict): string {
  const subject = `${pair.action} on ${pair.resource}`;
  const allowedIf = pair.allowedIf.length > 0 ? `; would be allowed ${pair.allowedIf.map(describeAllowedIf).join(', or ')}` : '';
  if (pair.decision === 'allowed') return `${subject} — allowed`;
  if (pair.decision === 'explicit-deny') {
    const by = pair.deniedBy[0];
    const part = pair.partial ? ' for part of these resources' : '';
    return `${subject} — denied${part} by ${by ? describeRef(by) : 'an explicit Deny'}${allowedIf}`;
  }
  const why = pair.missingAllow.filter((m) => !m.partial).map(describeMissing);
  const partial = pair.partial ? ' for all of these resources' : '';
  return `${subject} — not allowed${partial}: ${why.length > 0 ? why.join('; ') : 'it is allowed for part of these resources only'}${allowedIf}`;
}

