/** The `/access request` modal path: fields already say what, where and how long; only check and build. */
import type { DraftResult, FieldsDraftInput } from '../access/drafter.js';
import type { AccessLevel, AccountStatements } from '../access/types.js';
import type { Account } from '../config/schemas.js';
import { isAccessLevel } from './access-levels.js';
import { parseArn } from './arn.js';
import {
  MAX_TEXT_LENGTH,
  accountNames,
  broadPlan,
  draftResult,
  durationProblem,
  planFromIntents,
  wildcardNotes,
  type DraftContext,
} from './draft-plan.js';
import { DEFAULT_INTENTS, intentById } from './intents.js';
import { buildStatements, needsTargets, statementsInAccount, type PlannedAction } from './statements.js';
import { SUBJECTS, type Subject } from './subjects.js';
import { resolveTarget, targetAccountId, type Target } from './targets.js';
import { article, listWithOr } from './wording.js';

type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

interface Choice {
  targets: Target[];
  plan: PlannedAction[];
  notes: string[];
  broad: boolean;
  /** Absent for a service Warden has no subject for. */
  subject?: Subject;
}

async function resolveAll(ctx: DraftContext, subject: Subject, resources: readonly string[]) {
  const targets: Target[] = [];
  const problems: string[] = [];
  for (const given of resources) {
    const result = await resolveTarget(ctx.catalog, subject, given);
    if (result.ok) targets.push(result.target);
    else problems.push(result.problem);
  }
  return { targets, problems };
}

/**
 * A service can have more than one subject (SSM: parameters and sessions): use the one every
 * resource fits, preferring one with an intent for the level asked for.
 */
async function chooseForSubject(
  ctx: DraftContext,
  subjects: readonly Subject[],
  level: AccessLevel,
  resources: readonly string[],
): Promise<Checked<Choice>> {
  const fitting: Array<{ subject: Subject; targets: Target[] }> = [];
  let firstProblems: string[] = [];
  for (const subject of subjects) {
    const { targets, problems } = await resolveAll(ctx, subject, resources);
    if (problems.length === 0) fitting.push({ subject, targets });
    else if (firstProblems.length === 0) firstProblems = problems;
  }
  const chosen = fitting.find((f) => DEFAULT_INTENTS[f.subject.id][level]) ?? fitting[0];
  if (!chosen) return { ok: false, message: firstProblems.join(' ') };
  const { subject, targets } = chosen;
  const defaults = DEFAULT_INTENTS[subject.id][level];
  if (defaults) {
    const intents = defaults.map(intentById);
    // The modal names whole resources, so optional actions (listing the bucket) are implied.
    const { plan } = planFromIntents(intents, () => 'the request covers the whole resource');
    const note = `${level} on ${subject.label}: ${listWithOr(intents.map((i) => i.label))}.`;
    return { ok: true, value: { targets, plan, notes: [note], broad: false, subject } };
  }
  const plan = await broadPlan(ctx.catalog, subject.service, level, subject.target);
  if (plan.length === 0) {
    return { ok: false, message: `${subject.label} has no ${level} actions on ${article(subject.noun)}; choose another access level.` };
  }
  const note = `No ${subject.label} intent for ${level}: every ${level} action on ${article(subject.noun)} is included (${plan.length}).`;
  return { ok: true, value: { targets, plan, notes: [note], broad: true, subject } };
}

/** A service Warden has no intents for: full ARNs only, and the catalog's actions of the level. */
async function chooseForService(
  ctx: DraftContext,
  service: string,
  level: AccessLevel,
  resources: readonly string[],
): Promise<Checked<Choice>> {
  if (resources.length === 0) return { ok: false, message: `Give the ARN of the ${service} resource.` };
  const targets: Target[] = [];
  let resourceType: string | undefined;
  for (const given of resources) {
    const [match] = parseArn(given) ? await ctx.catalog.matchResourceTypes(service, given) : [];
    if (!match) return { ok: false, message: `"${given}" is not an ARN of ${article(service)} resource; for ${service}, give full ARNs.` };
    if (/[*?]/.test(given)) return { ok: false, message: `${given} has a wildcard: give the exact ARN.` };
    if (resourceType !== undefined && match.type !== resourceType) {
      return { ok: false, message: `One request covers one resource type; ${resourceType} and ${match.type} need separate requests.` };
    }
    resourceType = match.type;
    targets.push({ given, values: match.values });
  }
  const type = resourceType ?? '';
  const plan = await broadPlan(ctx.catalog, service, level, type);
  if (plan.length === 0) return { ok: false, message: `${service} has no ${level} actions on ${type}; choose another access level.` };
  const note = `Warden has no intents for ${service}: every ${level} action on ${type} is included (${plan.length}).`;
  return { ok: true, value: { targets, plan, notes: [note], broad: true } };
}

function findAccount(ctx: DraftContext, given: string): Checked<Account> {
  const wanted = given.trim().toLowerCase();
  const account = ctx.org.accounts.find((a) => a.name.toLowerCase() === wanted || a.id === wanted);
  if (account) return { ok: true, value: account };
  return { ok: false, message: `"${given}" is not an account Warden manages; choose ${accountNames(ctx.org)}.` };
}

export async function draftFromFields(ctx: DraftContext, input: FieldsDraftInput): Promise<DraftResult> {
  const error = (message: string): DraftResult => ({ kind: 'error', message });

  const account = findAccount(ctx, input.account);
  if (!account.ok) return error(account.message);
  // The form's "Also in" accounts, without repeats or the first account.
  const others: Account[] = [];
  for (const given of input.alsoIn ?? []) {
    const other = findAccount(ctx, given);
    if (!other.ok) return error(other.message);
    if (other.value.id !== account.value.id && !others.includes(other.value)) others.push(other.value);
  }
  const durationIssue = durationProblem(input.durationMinutes, ctx.defaults);
  if (durationIssue) return error(durationIssue);
  const justification = input.justification.replace(/\s+/g, ' ').trim();
  if (justification === '') return error('Say why you need this access.');
  if (justification.length > MAX_TEXT_LENGTH) return error(`The justification is longer than ${MAX_TEXT_LENGTH} characters.`);
  if (!isAccessLevel(input.accessLevel)) return error(`"${String(input.accessLevel)}" is not an access level.`);

  const service = input.service.trim().toLowerCase();
  if (!(await ctx.catalog.serviceExists(service))) {
    const near = await ctx.catalog.closestServices(service);
    const hint = near.length > 0 ? ` Did you mean ${listWithOr(near)}?` : '';
    return error(`"${input.service}" is not an IAM service prefix.${hint}`);
  }
  const resources = [...new Set(input.resources.map((r) => r.trim()).filter((r) => r !== ''))];
  const subjects = SUBJECTS.filter((s) => s.service === service);
  const choice =
    subjects.length > 0
      ? await chooseForSubject(ctx, subjects, input.accessLevel, resources)
      : await chooseForService(ctx, service, input.accessLevel, resources);
  if (!choice.ok) return error(choice.message);
  const { targets, plan, notes, broad, subject } = choice.value;
  if (needsTargets(plan) && targets.length === 0) {
    return error(`Give at least one ${subject?.noun ?? 'resource'}: ${subject?.nameHint ?? 'its ARN'}.`);
  }
  const elsewhere = targets.find((t) => {
    const id = targetAccountId(t);
    return id !== undefined && id !== account.value.id;
  });
  if (elsewhere) return error(`${elsewhere.given} is not in account ${account.value.name} (${account.value.id}).`);

  const built = await buildStatements(ctx.catalog, plan, targets, account.value);
  if (built.statements.length === 0) return error(`Nothing could be drafted from the IAM catalog. ${built.notes.join(' ')}`.trim());
  const minutes = Math.ceil(input.durationMinutes);
  // As the text path builds them: the same statements in each further account, with its own id and region in the ARNs.
  const alsoIn = others.map(
    (other): AccountStatements => ({ accountId: other.id, accountName: other.name, statements: statementsInAccount(built.statements, account.value, other) }),
  );
  const accounts = [account.value, ...others];
  const result = draftResult({
    account: account.value,
    accessLevel: input.accessLevel,
    statements: built.statements,
    durationMinutes: minutes,
    justification,
    broad,
    notes: [
      alsoIn.length > 0
        ? `Accounts: ${accounts.map((a) => `${a.name} (${a.id})`).join(', ')}: one request per account, each to its own approvers.`
        : `Account: ${account.value.name} (${account.value.id}).`,
      ...notes,
      ...built.notes,
      ...(await wildcardNotes(ctx.catalog, built.statements)),
      ...(subject?.caveat ? [subject.caveat] : []),
    ],
  });
  return result.kind === 'draft' && alsoIn.length > 0 ? { ...result, draft: { ...result.draft, alsoIn } } : result;
}
