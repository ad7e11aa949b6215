/**
 * Applies the guardrails to what would be granted. Pure: the caller looks actions up in the catalog
 * first (see pipeline.ts), so this needs no I/O and gives the same answer every time.
 *
 * It reads the final policy's statements and the request's duration and account, never the chat
 * text: the justification is only checked for length and for actions it names that are not granted,
 * which is shown to the approver and never turns into a grant.
 */
import type { AccessLevel, PermissionDraft } from '../../access/types.js';
import { formatDuration } from '../../access/duration.js';
import type { Account } from '../../config/schemas.js';
import { fitsCeiling } from '../access-levels.js';
import { parseArn } from '../arn.js';
import { iamTime } from '../evaluate/context.js';
import { capitalize, listWithOr } from '../wording.js';
import { actionHits, actionMatchesAny, resourceHits } from './patterns.js';
import { GLOBAL_SERVICES } from './regions.js';
import type { Guardrails } from './schema.js';

/** Catalog facts about one concrete action. */
export interface ActionFact {
  /** Canonical, e.g. "s3:GetObject". */
  id: string;
  levels: AccessLevel[];
  /** The level it counts as against a ceiling (access-levels.ts). */
  level: AccessLevel;
  wildcardOnly: boolean;
}

export interface GuardedAction {
  /** As written in the policy: "s3:GetObject", "s3:Get*" or "*". */
  written: string;
  /** What it grants today, from the catalog. */
  expanded: ActionFact[];
  /** "*": every action of every service. */
  everyService: boolean;
}

export interface GuardedStatement {
  sid: string;
  actions: GuardedAction[];
  resources: string[];
}

export interface GuardrailInput {
  draft: Pick<PermissionDraft, 'accessLevel' | 'durationMinutes' | 'justification'>;
  account: Account;
  statements: GuardedStatement[];
  expiresAt: Date;
}

export type RefusalCode =
  | 'denied-action'
  | 'account-not-allowed'
  | 'region-not-allowed'
  | 'invalid-duration'
  | 'duration-over-limit'
  | 'wildcard-action'
  | 'wildcard-resource'
  | 'protected-resource';

export interface GuardrailRefusal {
  code: RefusalCode;
  /** Where the rule lives in the guardrails file, e.g. "deniedActions[0]" or "durations.byEnvironment.prod". */
  rule: string;
  /** The rule and the way out, in one message. */
  message: string;
  wayOut: string;
  action?: string;
  resource?: string;
}

export type SoftCode = 'stronger-justification' | 'second-approver' | 'justification-mentions-actions';

export interface SoftFinding {
  code: SoftCode;
  rule: string;
  message: string;
}

/** A condition Warden adds to the statements it grants. */
export interface InjectedCondition {
  operator: string;
  key: string;
  values: string[];
  /** Why, for the approval card. */
  reason: string;
  /** Sids it goes on; every statement when undefined. */
  statements?: string[];
}

export interface GuardrailResult {
  refusals: GuardrailRefusal[];
  soft: SoftFinding[];
  inject: InjectedCondition[];
  needsSecondApprover: boolean;
  needsStrongerJustification: boolean;
  /** The longest duration these guardrails allow for this request. */
  maxDurationMinutes: number;
}

const PLATFORM = 'ask the platform team';

export function applyGuardrails(input: GuardrailInput, guardrails: Guardrails): GuardrailResult {
  const refusals: GuardrailRefusal[] = [];
  const soft: SoftFinding[] = [];
  const refuse = (r: GuardrailRefusal) => {
    if (!refusals.some((x) => x.code === r.code && x.rule === r.rule && x.action === r.action && x.resource === r.resource)) refusals.push(r);
  };
  const { account, draft, statements } = input;

  // Accounts.
  const accounts = guardrails.allowedAccounts;
  if (!accounts.includes('*') && !accounts.includes(account.id) && !accounts.includes(account.name)) {
    refuse({
      code: 'account-not-allowed',
      rule: 'allowedAccounts',
      message: `Access to ${account.name} (${account.id}) is not granted through chat. Ask the platform team if you need it.`,
      wayOut: PLATFORM,
    });
  }

  // Denied actions: the written pattern (which also covers actions AWS adds later) and what it expands to.
  guardrails.deniedActions.forEach((rule, i) => {
    for (const statement of statements) {
      for (const action of statement.actions) {
        const hits = [action.written, ...action.expanded.map((a) => a.id)].filter((name) => actionMatchesAny(rule.actions, name));
        if (action.everyService || hits.length > 0) {
          const shown = action.written.includes('*') || action.written.includes('?') ? action.written : (hits[0] ?? action.written);
          refuse({
            code: 'denied-action',
            rule: `deniedActions[${i}]`,
            action: shown,
            message: `\`${shown}\` is never granted through chat: ${rule.reason}. ${capitalize(rule.wayOut)}.`,
            wayOut: rule.wayOut,
          });
        }
      }
    }
  });

  // Wildcards in Action.
  for (const statement of statements) {
    for (const action of statement.actions) {
      if (!/[*?]/.test(action.written)) continue;
      const grants = action.everyService ? 'every action of every AWS service' : `${action.expanded.length} actions today, and any matching action AWS adds later`;
      if (guardrails.actions.wildcards === 'refuse') {
        refuse({
          code: 'wildcard-action',
          rule: 'actions.wildcards',
          action: action.written,
          message: `\`${action.written}\` is a wildcard (${grants}); wildcards are not granted through chat. Name the actions you need.`,
          wayOut: 'name the actions',
        });
      } else {
        soft.push({ code: 'second-approver', rule: 'actions.wildcards', message: `\`${action.written}\` grants ${grants}: a second approver must agree.` });
      }
    }
  }

  // Resources: "*" only where IAM cannot name one, protected resources, regions.
  for (const statement of statements) {
    const limitable = statement.actions.filter((a) => a.everyService || a.expanded.some((f) => !f.wildcardOnly));
    const broad = statement.resources.filter(namesEveryResource);
    if (broad.length > 0 && limitable.length > 0) {
      const names = limitable.map((a) => a.written).join(', ');
      const what = broad.includes('*') ? '"*"' : broad.join(', ');
      if (guardrails.resources.wildcard === 'refuse') {
        refuse({
          code: 'wildcard-resource',
          rule: 'resources.wildcard',
          resource: broad[0] ?? '*',
          message: `${names} on ${what} would apply to every such resource in ${account.name}; only actions that cannot name a resource get "*". Name the resources.`,
          wayOut: 'name the resources',
        });
      } else {
        soft.push({ code: 'second-approver', rule: 'resources.wildcard', message: `${names} on ${what} applies to every such resource in ${account.name}: a second approver must agree.` });
      }
    }
    guardrails.resources.rules.forEach((rule, i) => {
      const actions = statement.actions.filter((a) => rule.actions.some((p) => actionHits(p, a.written) || a.expanded.some((f) => actionHits(p, f.id))));
      if (actions.length === 0) return;
      for (const resource of statement.resources) {
        if (!rule.resources.some((p) => resourceHits(p, resource))) continue;
        if (rule.effect === 'refuse') {
          refuse({
            code: 'protected-resource',
            rule: `resources.rules[${i}] (${rule.name})`,
            resource,
            message: `${resource} is protected (${rule.name}): ${rule.reason}. ${capitalize(rule.wayOut)}.`,
            wayOut: rule.wayOut,
          });
        } else {
          soft.push({ code: 'second-approver', rule: `resources.rules[${i}] (${rule.name})`, message: `${resource} is protected (${rule.name}): ${rule.reason}. A second approver must agree.` });
        }
      }
    });
    if (guardrails.allowedRegions) {
      for (const resource of statement.resources) {
        const region = parseArn(resource)?.region ?? '';
        if (region === '') continue;
        const wildcard = /[*?]/.test(region);
        if (wildcard ? guardrails.requiredConditions.regionRestriction : guardrails.allowedRegions.includes(region)) continue;
        refuse({
          code: 'region-not-allowed',
          rule: 'allowedRegions',
          resource,
          message: `${resource} is ${wildcard ? 'in any region' : `in ${region}`}; access is granted in ${listWithOr(guardrails.allowedRegions)} only. Name a resource in one of those regions.`,
          wayOut: `use ${listWithOr(guardrails.allowedRegions)}`,
        });
      }
    }
  }

  // Duration: the lowest ceiling that applies, for the highest level actually granted.
  const facts = statements.flatMap((s) => s.actions.flatMap((a) => a.expanded));
  const level = highest([draft.accessLevel, ...facts.map((f) => f.level)]);
  const limits: { rule: string; minutes: number }[] = [{ rule: 'durations.maxMinutes', minutes: guardrails.durations.maxMinutes }];
  const byLevel = guardrails.durations.byAccessLevel[level];
  if (byLevel !== undefined) limits.push({ rule: `durations.byAccessLevel.${level}`, minutes: byLevel });
  const byEnvironment = guardrails.durations.byEnvironment[account.environment];
  if (byEnvironment !== undefined) limits.push({ rule: `durations.byEnvironment.${account.environment}`, minutes: byEnvironment });
  const limit = limits.reduce((a, b) => (b.minutes < a.minutes ? b : a));
  const minutes = draft.durationMinutes;
  if (!Number.isInteger(minutes) || minutes < 5) {
    refuse({ code: 'invalid-duration', rule: 'durations', message: `A duration of ${String(minutes)} minutes is not possible; ask for between 5 minutes and ${formatDuration(limit.minutes)}.`, wayOut: 'ask for a shorter duration' });
  } else if (minutes > limit.minutes) {
    refuse({
      code: 'duration-over-limit',
      rule: limit.rule,
      message: `${formatDuration(minutes)} is longer than the ${formatDuration(limit.minutes)} allowed for ${level} access to ${account.name}. Ask for ${formatDuration(limit.minutes)} or less, and extend later if you need to.`,
      wayOut: `ask for ${formatDuration(limit.minutes)} or less`,
    });
  } else if (minutes > guardrails.durations.defaultMinutes) {
    soft.push({
      code: 'stronger-justification',
      rule: 'durations.defaultMinutes',
      message: `${formatDuration(minutes)} is longer than the usual ${formatDuration(guardrails.durations.defaultMinutes)}: say why the work needs that long.`,
    });
  }

  // Justification.
  const justification = draft.justification.trim();
  if (justification.length < guardrails.justification.minLength) {
    soft.push({ code: 'stronger-justification', rule: 'justification.minLength', message: 'The justification is too short for an approver to judge: say what you will do and why (a ticket helps).' });
  }
  const granted = new Set(facts.map((f) => f.id.toLowerCase()));
  const written = statements.flatMap((s) => s.actions.map((a) => a.written.toLowerCase()));
  const named = [...justification.matchAll(/\b([a-z0-9-]{2,}:[A-Za-z*][A-Za-z0-9*]*)/g)].map((m) => m[1] ?? '').filter((n) => /[A-Z*]/.test(n.split(':')[1] ?? ''));
  const extra = [...new Set(named.filter((n) => !granted.has(n.toLowerCase()) && !written.includes(n.toLowerCase())))];
  if (extra.length > 0) {
    soft.push({
      code: 'justification-mentions-actions',
      rule: 'justification',
      message: `The justification names ${listWithOr(extra)}, which this request does not grant. Only the actions in the policy are granted; the approver should check the request says what was meant.`,
    });
  }

  // Two approvers.
  const needsTwo = new Set<string>();
  for (const statement of statements) {
    for (const action of statement.actions) {
      for (const name of [action.written, ...action.expanded.map((f) => f.id)]) {
        const hit = actionMatchesAny(guardrails.secondApprover.actions, name);
        if (hit) needsTwo.add(`\`${action.written}\` matches "${hit}"`);
      }
      for (const fact of action.expanded) {
        const levelHit = fact.levels.find((l) => guardrails.secondApprover.accessLevels.includes(l));
        if (levelHit) needsTwo.add(`${fact.id} is a ${levelHit} action`);
        if (guardrails.secondApprover.writesIn.includes(account.environment) && !fitsCeiling(fact.level, 'Read')) {
          needsTwo.add(`${fact.id} changes ${account.environment} resources`);
        }
      }
    }
  }
  if (needsTwo.size > 0) {
    const reasons = [...needsTwo];
    soft.push({ code: 'second-approver', rule: 'secondApprover', message: `A second approver must agree: ${reasons.slice(0, 3).join('; ')}${reasons.length > 3 ? `; and ${reasons.length - 3} more` : ''}.` });
  }

  return {
    refusals,
    soft,
    inject: conditionsToInject(input, guardrails),
    needsSecondApprover: soft.some((s) => s.code === 'second-approver'),
    needsStrongerJustification: soft.some((s) => s.code === 'stronger-justification'),
    maxDurationMinutes: limit.minutes,
  };
}

/*
 * "*", or an ARN whose resource name is nothing but wildcards: every object of every bucket
 * ("arn:aws:s3:::" then "*" + "/*"), "table/" + "*" in DynamoDB, "function:" + "*" in Lambda. These
 * name every resource of a type, which is "*" with extra steps. A name with text in it
 * ("reports-" + "*") is a real limit.
 */
export function namesEveryResource(resource: string): boolean {
  if (resource.trim() === '*') return true;
  const arn = parseArn(resource);
  if (!arn) return false;
  // S3 ARNs have no type prefix; elsewhere the type runs to the first "/" or ":" ("table/", "function:").
  const typeEnd = arn.service === 's3' ? -1 : arn.resource.search(/[/:]/);
  const name = arn.resource.slice(typeEnd + 1).split('/')[0] ?? '';
  return /^[*?]+$/.test(name);
}

const ORDER: readonly AccessLevel[] = ['List', 'Read', 'Tagging', 'Write', 'Permissions management'];

function highest(levels: readonly AccessLevel[]): AccessLevel {
  return levels.reduce((a, b) => (ORDER.indexOf(b) > ORDER.indexOf(a) ? b : a), 'List');
}

function conditionsToInject(input: GuardrailInput, guardrails: Guardrails): InjectedCondition[] {
  const { account, statements } = input;
  const required = guardrails.requiredConditions;
  const inject: InjectedCondition[] = [
    { operator: 'DateLessThan', key: 'aws:CurrentTime', values: [iamTime(input.expiresAt)], reason: 'the access stops at expiry even if revocation fails' },
  ];
  if (required.regionRestriction) {
    const regions = guardrails.allowedRegions ?? [account.region];
    // Global services are always called in us-east-1: a region condition would block them.
    const regional = statements.filter((s) => s.actions.every((a) => !a.everyService && !GLOBAL_SERVICES.has(a.written.split(':')[0]?.toLowerCase() ?? ''))).map((s) => s.sid);
    if (regional.length > 0) {
      inject.push({ operator: 'StringEquals', key: 'aws:RequestedRegion', values: [...regions], reason: `only in ${listWithOr(regions)}`, statements: regional });
    }
  }
  if (required.mfa.includes(account.environment)) {
    inject.push({ operator: 'Bool', key: 'aws:MultiFactorAuthPresent', values: ['true'], reason: `${account.environment} access needs MFA` });
  }
  if (required.sourceVpc?.environments.includes(account.environment)) {
    inject.push({ operator: 'StringEquals', key: 'aws:SourceVpc', values: [...required.sourceVpc.vpcs], reason: `${account.environment} access only from ${listWithOr(required.sourceVpc.vpcs)}` });
  }
  return inject;
}
