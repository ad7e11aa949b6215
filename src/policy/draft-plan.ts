/** Pieces both drafting paths (free text and the modal) share. */
import type { DraftResult } from '../access/drafter.js';
import type { AccessLevel, DraftStatement, PermissionDraft } from '../access/types.js';
import type { Account, AccessRules, Org } from '../config/schemas.js';
import { highestLevel } from './access-levels.js';
import type { IamCatalog } from './catalog.js';
import type { Intent } from './intents.js';
import { describeMinutes } from './request-text/duration.js';
import type { PlannedAction } from './statements.js';
import { SUBJECTS } from './subjects.js';
import { listWithOr } from './wording.js';

export type DurationLimits = Pick<AccessRules['defaults'], 'defaultDurationMinutes' | 'maxDurationMinutes'>;

export interface DraftContext {
  catalog: IamCatalog;
  org: Org;
  defaults: DurationLimits;
}

/** Longest free text accepted: a request is a few sentences, not a log paste. */
export const MAX_TEXT_LENGTH = 4000;

export const SERVICES_UNDERSTOOD = SUBJECTS.map((s) => s.label).join(', ');

/**
 * The actions of some intents. An optional action (s3:ListBucket for reading objects) is added
 * when `optional` gives a reason for it; the reasons come back as notes.
 */
export function planFromIntents(
  intents: readonly Intent[],
  optional: (phrases: readonly string[]) => string | undefined,
): { plan: PlannedAction[]; notes: string[] } {
  const plan: PlannedAction[] = [];
  const notes: string[] = [];
  for (const intent of intents) {
    for (const item of intent.actions) {
      if (item.onlyWhen) {
        const reason = optional(item.onlyWhen);
        if (reason === undefined) continue;
        const note = `Added ${item.action} because ${reason}.`;
        if (!notes.includes(note)) notes.push(note);
      }
      plan.push({ action: item.action, on: item.on, ceiling: intent.accessLevel });
    }
  }
  return { plan, notes };
}

/** The fallback when no intent fits: every catalog action of exactly that level on the type. */
export async function broadPlan(
  catalog: IamCatalog,
  service: string,
  level: AccessLevel,
  resourceType: string,
): Promise<PlannedAction[]> {
  const actions = await catalog.actionsFor(service, level, resourceType);
  return actions.map((a) => ({ action: a.id, on: [{ type: resourceType }], ceiling: level }));
}

export function planLevel(plan: readonly PlannedAction[]): AccessLevel {
  return highestLevel(plan.map((p) => p.ceiling)) ?? 'Read';
}

/** The shortest grant; the request checks refuse anything shorter. */
export const MIN_DURATION_MINUTES = 5;

/** Why a duration cannot be used, or undefined when it can. */
export function durationProblem(minutes: number, limits: DurationLimits): string | undefined {
  if (!Number.isFinite(minutes) || minutes < MIN_DURATION_MINUTES) {
    return `A duration must be at least ${MIN_DURATION_MINUTES} minutes.`;
  }
  if (minutes > limits.maxDurationMinutes) {
    return `${describeMinutes(minutes)} is longer than the maximum of ${describeMinutes(limits.maxDurationMinutes)} (${limits.maxDurationMinutes} minutes).`;
  }
  return undefined;
}

/** One note per action that IAM cannot limit to a resource, so nobody mistakes "*" for a slip. */
export async function wildcardNotes(catalog: IamCatalog, statements: readonly DraftStatement[]): Promise<string[]> {
  const notes: string[] = [];
  for (const statement of statements) {
    if (!statement.resources.includes('*')) continue;
    for (const id of statement.actions) {
      if ((await catalog.action(id))?.isWildcardOnly) notes.push(`${id} cannot be limited to a resource in IAM, so it applies to "*".`);
    }
  }
  return notes;
}

export function draftResult(fields: {
  account: Account;
  accessLevel: AccessLevel;
  statements: DraftStatement[];
  durationMinutes: number;
  justification: string;
  broad: boolean;
  notes: string[];
}): DraftResult {
  const draft: PermissionDraft = {
    accountId: fields.account.id,
    accountName: fields.account.name,
    accessLevel: fields.accessLevel,
    statements: fields.statements,
    durationMinutes: fields.durationMinutes,
    justification: fields.justification,
    broad: fields.broad,
    notes: [...new Set(fields.notes)],
  };
  return { kind: 'draft', draft };
}

export function accountNames(org: Org): string {
  return listWithOr(org.accounts.map((a) => a.name));
}
