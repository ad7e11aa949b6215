/**
 * The facts the drafting prompt carries, kept small: the accounts with the requester's limits, one
 * line per service Warden knows, the least-privilege intents and ARN formats only for the services the
 * thread mentions, and the account's resources when resource discovery provides them.
 */
import type { Directory } from '../access/directory.js';
import { formatDuration } from '../access/duration.js';
import type { AccessRules, Account, Org } from '../config/schemas.js';
import { routeRequest } from '../policy/access-rules.js';
import { parseArn } from '../policy/arn.js';
import type { IamCatalog } from '../policy/catalog.js';
import { INTENTS, type ResourceRef } from '../policy/intents.js';
import { SUBJECTS, type Subject } from '../policy/subjects.js';

/** Resource discovery, when there is one: ARNs that exist in an account, so drafts use real names. */
export interface ResourceHints {
  list(account: Account): Promise<string[]>;
}

export interface DraftingFactsDeps {
  catalog: IamCatalog;
  org: Org;
  rules: AccessRules;
  directory: Directory;
  resourceHints?: ResourceHints;
}

export interface DraftingFacts {
  accounts: string;
  services: string;
  knownResources: string;
}

const MAX_HINTS_PER_ACCOUNT = 40;

/** The requester's longest allowed duration per account, or a reason they cannot ask there. */
export function accountLimit(deps: Pick<DraftingFactsDeps, 'rules' | 'directory'>, requesterId: string, account: Account) {
  const routed = routeRequest(deps.rules, deps.directory, requesterId, account);
  return routed.ok ? { ok: true as const, maxMinutes: routed.route.maxDurationMinutes } : { ok: false as const, reason: routed.reason };
}

function accountLines(deps: DraftingFactsDeps, requesterId: string): string {
  const lines = deps.org.accounts.map((a) => {
    const limit = accountLimit(deps, requesterId, a);
    const rule = limit.ok ? `the requester may ask for up to ${limit.maxMinutes} minutes (${formatDuration(limit.maxMinutes)})` : 'the requester may not request access here';
    return `- ${a.name}: id ${a.id}, ${a.environment}, region ${a.region}; ${rule}`;
  });
  return [...lines, 'ARN partition: aws.'].join('\n');
}

const NAME_NOTES: Partial<Record<NonNullable<Subject['nameTransform']>, string>> = {
  'secret-suffix': 'secret ARNs end in "-" and six random characters: write the name followed by "-??????"',
  'strip-leading-slash': 'the parameter ARN drops the name’s leading slash: /app/db-url → parameter/app/db-url',
  'lower-case': 'DB identifiers are lower case in ARNs',
};

function refText(ref: ResourceRef): string {
  if (ref === '*') return '"*"';
  const fill = Object.entries(ref.fill ?? {}).map(([k, v]) => `${k}=${v}`);
  return fill.length > 0 ? `${ref.type} (${fill.join(', ')})` : ref.type;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Subjects whose names appear in the requester's words, matched on whole words. */
export function mentionedSubjects(texts: readonly string[]): Subject[] {
  const text = texts.join('\n').toLowerCase();
  return SUBJECTS.filter((s) =>
    [s.service, ...s.aliases].some((alias) => new RegExp(`(^|[^a-z0-9])${escapeRegExp(alias)}($|[^a-z0-9])`).test(text)),
  );
}

async function serviceLines(catalog: IamCatalog, mentioned: readonly Subject[]): Promise<string> {
  const lines: string[] = [];
  for (const subject of SUBJECTS) {
    const format = await catalog.resourceArnFormat(subject.service, subject.target);
    lines.push(`- ${subject.service} (${subject.label}): ${subject.noun} ARN ${format ?? '(see the IAM reference)'}`);
    if (!mentioned.includes(subject)) continue;
    const note = subject.nameTransform ? NAME_NOTES[subject.nameTransform] : undefined;
    if (note) lines.push(`  note: ${note}`);
    if (subject.caveat) lines.push(`  note: ${subject.caveat}`);
    const types = new Set<string>();
    for (const intent of INTENTS.filter((i) => i.subject === subject.id)) {
      const actions = intent.actions.map((a) => {
        a.on.forEach((ref) => ref !== '*' && types.add(ref.type));
        const when = a.onlyWhen ? ' (only when they list or browse)' : '';
        return `${a.action} on ${a.on.map(refText).join(' and ')}${when}`;
      });
      lines.push(`  - ${intent.label} [${intent.accessLevel}]: ${actions.join('; ')}`);
    }
    for (const type of types) {
      if (type === subject.target) continue;
      const other = await catalog.resourceArnFormat(subject.service, type);
      if (other) lines.push(`  ${type} ARN ${other}`);
    }
  }
  return lines.join('\n');
}

async function knownResources(deps: DraftingFactsDeps): Promise<string> {
  if (!deps.resourceHints) return '(resource discovery is not configured: use the names the requester gives, or ask)';
  const lines: string[] = [];
  for (const account of deps.org.accounts) {
    // Names come from AWS and anyone who can create a resource picks them: only well-formed ARNs
    // (no spaces, no markup) reach the prompt, so a resource name cannot smuggle in instructions.
    const arns = (await deps.resourceHints.list(account))
      .filter((arn) => arn.length <= 512 && parseArn(arn) !== undefined && !/[<>`"\\]/.test(arn))
      .slice(0, MAX_HINTS_PER_ACCOUNT);
    if (arns.length > 0) lines.push(`${account.name}:`, ...arns.map((arn) => `- ${arn}`));
  }
  return lines.length > 0 ? lines.join('\n') : '(none found)';
}

export async function draftingFacts(deps: DraftingFactsDeps, requesterId: string, requesterTexts: readonly string[]): Promise<DraftingFacts> {
  return {
    accounts: accountLines(deps, requesterId),
    services: await serviceLines(deps.catalog, mentionedSubjects(requesterTexts)),
    knownResources: await knownResources(deps),
  };
}
