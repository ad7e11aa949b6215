/** The free-text path: a conversation's messages become a draft, or the questions still open. */
import type { DraftResult, TextDraftInput } from '../access/drafter.js';
import type { AccessLevel, AccountStatements } from '../access/types.js';
import type { Account, Org } from '../config/schemas.js';
import {
  MAX_TEXT_LENGTH,
  SERVICES_UNDERSTOOD,
  accountNames,
  broadPlan,
  draftResult,
  durationProblem,
  planFromIntents,
  planLevel,
  wildcardNotes,
  type DraftContext,
  type DurationLimits,
} from './draft-plan.js';
import { DEFAULT_INTENTS, intentById, intentsOf, type Intent } from './intents.js';
import {
  candidatesIn,
  intentHits,
  levelHits,
  mentionsIn,
  readMessage,
  requestFirst,
  saysAnyOf,
  tokenKey,
  type Mention,
  type Message,
} from './request-text/conversation.js';
import { describeMinutes } from './request-text/duration.js';
import { buildStatements, needsTargets, type PlannedAction } from './statements.js';
import { subjectById, type Subject } from './subjects.js';
import { resolveTarget, targetAccountId, type Target } from './targets.js';
import { article, capitalize, listWithOr } from './wording.js';

type Found<T> = { ok: true; value: T; note?: string } | { ok: false; question: string };

function inputProblem(messages: readonly string[]): string | undefined {
  const text = messages.join('\n');
  if (text.trim() === '') {
    return 'The request is empty. Say what you need, on which resource, for how long and why, e.g. "read the billing-reports bucket for 2 hours to debug the export".';
  }
  if (text.length > MAX_TEXT_LENGTH) {
    return `The request is ${text.length.toLocaleString('en-US')} characters long; the limit is ${MAX_TEXT_LENGTH.toLocaleString('en-US')}. Say in a sentence or two what you need, on which resource, for how long and why.`;
  }
  return undefined;
}

function mentionLabel(m: Mention): string {
  return m.kind === 'subject' ? subjectById(m.subject).label : m.service;
}

/** The latest message that names a service decides; two services there is a question. */
async function chooseService(ctx: DraftContext, messages: readonly Message[]): Promise<Found<Mention>> {
  const { found } = await requestFirst(async (scope) =>
    (await Promise.all(messages.map((m) => mentionsIn(ctx.catalog, m, scope)))).filter((ms) => ms.length > 0),
  );
  const latest = found.at(-1);
  if (!latest) {
    return {
      ok: false,
      question: `Which AWS service is this for? I can draft access for ${SERVICES_UNDERSTOOD}; for anything else give the resource ARN or use \`/access request\`.`,
    };
  }
  const [only] = latest;
  if (latest.length === 1 && only) return { ok: true, value: only, note: `Service: ${mentionLabel(only)}, from "${only.phrase}".` };
  return {
    ok: false,
    question: `Which service is this for: ${listWithOr(latest.map(mentionLabel))}? One request covers one service; ask for the other separately.`,
  };
}

interface Targets {
  targets: Target[];
  problems: string[];
  /** Tokens taken as names, so they are not read as triggers too. */
  used: Set<string>;
}

async function findTargets(ctx: DraftContext, messages: readonly Message[], subject: Subject): Promise<Targets> {
  const { found } = await requestFirst((scope) => messages.flatMap((m) => candidatesIn(m, scope)));
  const used = new Set(found.map((c) => tokenKey(c.message, c.token)));
  const relevant = found.filter((c) => c.nextTo.length === 0 || c.nextTo.includes(subject.id));
  const strong = relevant.filter((c) => c.strong);
  const pool = strong.length > 0 ? strong : relevant;
  const targets = new Map<string, Target>();
  const problems: string[] = [];
  for (const candidate of pool) {
    const result = await resolveTarget(ctx.catalog, subject, candidate.given);
    if (result.ok) targets.set(JSON.stringify(result.target.values), result.target);
    else if (candidate.strong) problems.push(result.problem);
  }
  return { targets: [...targets.values()], problems, used };
}

/**
 * The account(s) the request is for. Several named together ("in payments-prod and sandbox") ask for
 * the same access in each, one request per account; "or", or an ARN pinning one account, is a question.
 */
function chooseAccounts(org: Org, messages: readonly Message[], targets: readonly Target[]): Found<Account[]> {
  const which = `Which account is this for: ${accountNames(org)}?`;
  const latest = [...messages].reverse().find((m) => m.accounts.length > 0 || m.unknownAccountIds.length > 0);
  const named = [...new Map((latest?.accounts ?? []).map((a) => [a.id, a])).values()];
  if (latest && named.length === 0) {
    return { ok: false, question: `Account ${latest.unknownAccountIds[0] ?? ''} is not one Warden manages. ${which}` };
  }

  const arnAccounts = [...new Set(targets.map(targetAccountId).filter((id): id is string => id !== undefined))];
  if (named.length > 1) {
    if (arnAccounts.length > 0 || /\bor\b/i.test(latest?.text ?? '')) {
      return { ok: false, question: `Which one account is this for: ${listWithOr(named.map((a) => a.name))}?` };
    }
    return {
      ok: true,
      value: named,
      note: `Accounts: ${named.map((a) => `${a.name} (${a.id})`).join(', ')}, named in the request: one request per account, each to its own approvers.`,
    };
  }
  const outside = arnAccounts.filter((id) => !org.accounts.some((a) => a.id === id));
  if (outside.length > 0) return { ok: false, question: `Account ${outside[0] ?? ''} (from the ARN) is not one Warden manages. ${which}` };

  const [account] = named;
  if (account) {
    const other = arnAccounts.find((id) => id !== account.id);
    if (other) {
      return { ok: false, question: `The ARN is in account ${other}, but you named ${account.name} (${account.id}). ${which}` };
    }
    return { ok: true, value: [account], note: `Account: ${account.name} (${account.id}), named in the request.` };
  }
  if (arnAccounts.length > 1) return { ok: false, question: `The resources are in several accounts; one request covers one account. ${which}` };
  const fromArn = org.accounts.find((a) => a.id === arnAccounts[0]);
  if (fromArn) return { ok: true, value: [fromArn], note: `Account: ${fromArn.name} (${fromArn.id}), from the resource ARN.` };
  const [onlyAccount] = org.accounts;
  if (org.accounts.length === 1 && onlyAccount) {
    return { ok: true, value: [onlyAccount], note: `Account: ${onlyAccount.name} (${onlyAccount.id}), the only account.` };
  }
  return { ok: false, question: which };
}

function chooseDuration(messages: readonly Message[], limits: DurationLimits): Found<number> {
  const most = `the most is ${describeMinutes(limits.maxDurationMinutes)}`;
  const last = messages.flatMap((m) => m.durations).at(-1);
  if (!last) {
    const vague = messages.flatMap((m) => m.vagueDurations).at(-1);
    const lead = vague ? `"${vague}" depends on a clock I do not have. ` : '';
    return { ok: false, question: `${lead}For how long do you need it? For example "2 hours"; ${most}.` };
  }
  const problem = durationProblem(last.minutes, limits);
  if (problem) return { ok: false, question: `${problem} For how long do you need it? ${capitalize(most)}.` };
  return { ok: true, value: last.minutes, note: `Duration: ${describeMinutes(last.minutes)}, from "${last.text.trim()}".` };
}

function chooseJustification(messages: readonly Message[]): string {
  const stated = messages.find((m) => m.justification)?.justification?.text;
  if (stated) return stated;
  const first = messages.find((m) => m.text.trim() !== '')?.text ?? '';
  const whole = first.replace(/\s+/g, ' ').trim();
  return whole.length > 500 ? `${whole.slice(0, 499)}…` : whole;
}

interface Plan {
  plan: PlannedAction[];
  notes: string[];
  broad: boolean;
}

/** Triggers first; then words naming a level ("read access"), through that level's default intents. */
async function choosePlan(
  ctx: DraftContext,
  messages: readonly Message[],
  subject: Subject,
  used: ReadonlySet<string>,
  about: string,
): Promise<Found<Plan>> {
  const optional = (phrases: readonly string[]) => {
    const said = saysAnyOf(messages, phrases, used);
    return said === undefined ? undefined : `the request says "${said}"`;
  };
  const { found: hits } = await requestFirst((scope) => intentHits(messages, subject.id, scope, used));
  if (hits.length > 0) {
    const { plan, notes } = planFromIntents(
      hits.map((h) => h.intent),
      optional,
    );
    const matched = hits.map((h) => `Matched "${h.phrase}": ${h.intent.label}.`);
    return { ok: true, value: { plan, notes: [...matched, ...notes], broad: false } };
  }

  const { found: levels } = await requestFirst((scope) => levelHits(messages, scope, used));
  if (levels.length === 0) {
    const labels = intentsOf(subject.id).map((i) => i.label);
    return { ok: false, question: `What do you need to do with ${about}: ${listWithOr(labels)}?` };
  }
  const intents: Intent[] = [];
  const plan: PlannedAction[] = [];
  const notes: string[] = [];
  let broad = false;
  for (const { level, phrase } of levels) {
    const defaults = DEFAULT_INTENTS[subject.id][level];
    if (defaults) {
      intents.push(...defaults.map(intentById));
      notes.push(`"${phrase}" asks for ${level} access: ${listWithOr(defaults.map((id) => intentById(id).label))}.`);
      continue;
    }
    const fallback = await broadPlan(ctx.catalog, subject.service, level, subject.target);
    if (fallback.length === 0) {
      return { ok: false, question: `${subject.label} has no ${level} actions on ${article(subject.noun)}. Which access level do you need?` };
    }
    broad = true;
    plan.push(...fallback);
    notes.push(`No ${subject.label} intent matched ${level}: every ${level} action on ${article(subject.noun)} is included (${fallback.length}).`);
  }
  const fromDefaults = planFromIntents(intents, optional);
  return { ok: true, value: { plan: [...fromDefaults.plan, ...plan], notes: [...notes, ...fromDefaults.notes], broad } };
}

/** An ARN of a service without intents: the catalog's actions of the level asked for, on its type. */
async function genericPlan(
  ctx: DraftContext,
  messages: readonly Message[],
  service: string,
): Promise<{ targets: Target[]; plan: Found<Plan> }> {
  const targets: Target[] = [];
  let resourceType: string | undefined;
  for (const m of messages) {
    for (const token of m.tokens) {
      if (token.kind !== 'arn') continue;
      const [match] = await ctx.catalog.matchResourceTypes(service, token.text);
      if (!match) continue;
      if (/[*?]/.test(token.text)) {
        return { targets, plan: { ok: false, question: `${token.text} has a wildcard: give the exact ARN.` } };
      }
      if (resourceType !== undefined && match.type !== resourceType) {
        return { targets, plan: { ok: false, question: `One request covers one resource type; which do you need first: ${resourceType} or ${match.type}?` } };
      }
      resourceType = match.type;
      targets.push({ given: token.text, values: match.values });
    }
  }
  if (resourceType === undefined) {
    return { targets, plan: { ok: false, question: `That ${service} ARN matches no ${service} resource type; check it, or use \`/access request\`.` } };
  }
  const { found: levels } = await requestFirst((scope) => levelHits(messages, scope, new Set()));
  const level: AccessLevel | undefined = levels[0]?.level;
  if (level === undefined) {
    return { targets, plan: { ok: false, question: `Which access level do you need on the ${service} ${resourceType}: List, Read, Write or Tagging?` } };
  }
  const plan = await broadPlan(ctx.catalog, service, level, resourceType);
  if (plan.length === 0) {
    return { targets, plan: { ok: false, question: `${service} has no ${level} actions on ${resourceType}. Which access level do you need?` } };
  }
  const note = `Warden has no intents for ${service}: every ${level} action on ${resourceType} is included (${plan.length}).`;
  return { targets, plan: { ok: true, value: { plan, notes: [note], broad: true } } };
}

export async function draftFromText(ctx: DraftContext, input: TextDraftInput): Promise<DraftResult> {
  const problem = inputProblem(input.messages);
  if (problem) return { kind: 'error', message: problem };
  const messages = input.messages.map((text, i) => readMessage(text, i, ctx.org));
  const questions: string[] = [];
  const notes: string[] = [];
  const serviceNotes: string[] = [];
  const take = <T>(found: Found<T>, into: string[] = notes): T | undefined => {
    if (!found.ok) {
      questions.push(found.question);
      return undefined;
    }
    if (found.note) into.push(found.note);
    return found.value;
  };

  const service = take(await chooseService(ctx, messages), serviceNotes);
  let targets: Target[] = [];
  let plan: Plan | undefined;
  let subject: Subject | undefined;
  if (service?.kind === 'subject') {
    subject = subjectById(service.subject);
    const found = await findTargets(ctx, messages, subject);
    targets = found.targets;
    const about = targets.length > 0 ? `${listWithOr(targets.map((t) => t.given))}` : `the ${subject.noun}`;
    plan = take(await choosePlan(ctx, messages, subject, found.used, about));
    if (found.problems.length > 0) questions.push(...found.problems);
    else if (plan && needsTargets(plan.plan) && targets.length === 0) {
      questions.push(`Which ${subject.noun}? Give ${subject.nameHint}.`);
    }
  } else if (service?.kind === 'service') {
    const generic = await genericPlan(ctx, messages, service.service);
    targets = generic.targets;
    plan = take(generic.plan);
  }
  const accounts = take(chooseAccounts(ctx.org, messages, targets));
  const account = accounts?.[0];
  const durationMinutes = take(chooseDuration(messages, ctx.defaults));
  if (questions.length > 0) return { kind: 'questions', questions };
  if (!account || !plan || durationMinutes === undefined) {
    return { kind: 'error', message: 'The request could not be drafted; try the `/access request` form.' };
  }

  const built = await buildStatements(ctx.catalog, plan.plan, targets, account);
  if (built.statements.length === 0) {
    return { kind: 'error', message: `Nothing could be drafted from the IAM catalog for this request. ${built.notes.join(' ')}`.trim() };
  }
  // The same plan in each further account: its ARNs carry that account's id and region.
  const alsoIn: AccountStatements[] = [];
  for (const other of (accounts ?? []).slice(1)) {
    const statements = (await buildStatements(ctx.catalog, plan.plan, targets, other)).statements;
    if (statements.length === 0) return { kind: 'error', message: `Nothing could be drafted from the IAM catalog for ${other.name}; ask for it separately.` };
    alsoIn.push({ accountId: other.id, accountName: other.name, statements });
  }
  // Service first, then what was matched, then where and how long.
  const explained = [
    ...serviceNotes,
    ...plan.notes,
    ...notes,
    ...built.notes,
    ...(await wildcardNotes(ctx.catalog, built.statements)),
  ];
  if (subject?.caveat) explained.push(subject.caveat);
  const result = draftResult({
    account,
    accessLevel: planLevel(plan.plan),
    statements: built.statements,
    durationMinutes,
    justification: chooseJustification(messages),
    broad: plan.broad,
    notes: explained,
  });
  return result.kind === 'draft' && alsoIn.length > 0 ? { ...result, draft: { ...result.draft, alsoIn } } : result;
}
