import type { z } from 'zod';
import { ConfigError } from './config-error.js';
import { checkAccessRules, checkOrg } from './cross-checks.js';
import { POLICY_ENV, ORG_FILE_NAME, RULES_FILE_NAME, policyPaths, type PolicyPaths } from './paths.js';
import { type AccessRules, AccessRulesSchema, type Org, OrgSchema } from './schemas.js';
import { parseSource, type ParsedSource, readSource } from './source.js';
import { locate, validate } from './zod-issues.js';

export { ConfigError, type ConfigIssue } from './config-error.js';
export { policyPaths, type PolicyPaths } from './paths.js';

export interface PolicyConfig {
  org: Org;
  rules: AccessRules;
}

/**
 * Loads the org file, then the access-rules file (checked against that org). `source` is a folder
 * holding org.yaml and access-rules.yaml, or the two paths. Throws ConfigError on the first bad file.
 */
export async function loadPolicyConfig(source: string | PolicyPaths): Promise<PolicyConfig> {
  const paths = typeof source === 'string' ? policyPaths(source) : source;
  const org = validateOrg(await readSource(paths.orgFile, missingHint(POLICY_ENV.org, 'org')));
  const rules = validateAccessRules(
    await readSource(paths.rulesFile, missingHint(POLICY_ENV.rules, 'access-rules')),
    org,
    paths.orgFile,
  );
  return { org, rules };
}

/** Validates org file text without touching the disk (an admin's proposed edit, a test). */
export function parseOrg(text: string, file: string): Org {
  return validateOrg(parseSource(file, text));
}

/** Validates access-rules text against an already valid org, without touching the disk. */
export function parseAccessRules(text: string, file: string, org: Org, orgFile?: string): AccessRules {
  return validateAccessRules(parseSource(file, text), org, orgFile);
}

function validateOrg(source: ParsedSource): Org {
  const org = check(source, OrgSchema);
  throwIfAny(source, checkOrg(org));
  return org;
}

function validateAccessRules(source: ParsedSource, org: Org, orgFile?: string): AccessRules {
  const rules = check(source, AccessRulesSchema);
  throwIfAny(source, checkAccessRules(rules, org, orgFile));
  return rules;
}

function check<T extends z.ZodType>(source: ParsedSource, schema: T): z.output<T> {
  // An empty file parses to null; "expected a mapping" would not tell the admin what happened.
  if (source.data === null || source.data === undefined) {
    throw new ConfigError(source.file, [{ path: '', message: 'the file is empty; see examples/ for a complete sample' }]);
  }
  const result = validate(schema, source);
  if (!result.ok) throw new ConfigError(source.file, result.issues);
  return result.value;
}

function throwIfAny(source: ParsedSource, issues: { path: (string | number)[]; message: string }[]): void {
  if (issues.length > 0) throw new ConfigError(source.file, locate(source, issues));
}

function missingHint(fileVar: string, what: 'org' | 'access-rules'): string {
  return `Set ${fileVar} to the ${what} file's path, or ${POLICY_ENV.dir} to a folder holding ${ORG_FILE_NAME} and ${RULES_FILE_NAME}.`;
}
