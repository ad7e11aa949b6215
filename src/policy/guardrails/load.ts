/**
 * Reads the guardrails file the way the org and access-rules files are read: YAML or JSON, unknown
 * fields refused, and every problem reported as file:line: field: what to do.
 */
import { ConfigError } from '../../config/config-error.js';
import type { Org } from '../../config/schemas.js';
import { parseSource, readSource, type ParsedSource } from '../../config/source.js';
import { closest, locate, validate } from '../../config/zod-issues.js';
import { parseArn } from '../arn.js';
import { GuardrailsSchema, type Guardrails } from './schema.js';

export const GUARDRAILS_ENV = 'WARDEN_GUARDRAILS_FILE';

type PathIssue = { path: (string | number)[]; message: string };

/** `org`, when given, lets the loader check that allowedAccounts name real accounts. */
export async function loadGuardrails(file: string, org?: Org): Promise<Guardrails> {
  return check(await readSource(file, `Set ${GUARDRAILS_ENV} to the guardrails file, or copy examples/guardrails.yaml.`), org);
}

/** Validates text without touching the disk: an admin's proposed change, a test. */
export function parseGuardrails(text: string, file: string, org?: Org): Guardrails {
  return check(parseSource(file, text), org);
}

function check(source: ParsedSource, org: Org | undefined): Guardrails {
  if (source.data === null || source.data === undefined) {
    throw new ConfigError(source.file, [{ path: '', message: 'the file is empty; see examples/guardrails.yaml for a complete sample' }]);
  }
  const result = validate(GuardrailsSchema, source);
  if (!result.ok) throw new ConfigError(source.file, result.issues);
  const issues = crossCheck(result.value, org);
  if (issues.length > 0) throw new ConfigError(source.file, locate(source, issues));
  return result.value;
}

/** What the schema cannot see: limits that contradict each other, accounts and ARNs that cannot exist. */
function crossCheck(guardrails: Guardrails, org: Org | undefined): PathIssue[] {
  const issues: PathIssue[] = [];
  const { durations } = guardrails;
  if (durations.defaultMinutes > durations.maxMinutes) {
    issues.push({ path: ['durations', 'defaultMinutes'], message: `${durations.defaultMinutes} is longer than durations.maxMinutes (${durations.maxMinutes}); lower it or raise the maximum` });
  }
  for (const group of ['byAccessLevel', 'byEnvironment'] as const) {
    for (const [key, value] of Object.entries(durations[group])) {
      if (value !== undefined && value > durations.maxMinutes) {
        issues.push({ path: ['durations', group, key], message: `${value} is above durations.maxMinutes (${durations.maxMinutes}), so it changes nothing; lower it or raise the maximum` });
      }
    }
  }
  if (org) {
    const known = org.accounts.flatMap((a) => [a.name, a.id]);
    guardrails.allowedAccounts.forEach((ref, i) => {
      if (ref === '*' || known.includes(ref)) return;
      const guess = closest(ref, known);
      issues.push({ path: ['allowedAccounts', i], message: `unknown account "${ref}"; ${guess ? `did you mean "${guess}"? ` : ''}use an account name or id from the org file, or "*"` });
    });
  }
  const names = new Set<string>();
  guardrails.resources.rules.forEach((rule, ri) => {
    if (names.has(rule.name)) issues.push({ path: ['resources', 'rules', ri, 'name'], message: `duplicate rule name "${rule.name}"; each rule needs its own` });
    names.add(rule.name);
    rule.resources.forEach((resource, i) => {
      if (resource !== '*' && !parseArn(resource)) {
        issues.push({ path: ['resources', 'rules', ri, 'resources', i], message: `"${resource}" is not an ARN pattern; write it like "arn:aws:s3:::*-audit-logs/*"` });
      }
    });
  });
  return issues;
}
