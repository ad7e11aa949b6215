/**
 * Playground SCPs from files: `<dir>/organization.yaml` (the OU tree and what is attached where) and
 * `<dir>/policies/<name>.json` (one SCP per file, exactly as AWS Organizations stores it).
 * Every problem stops loading with a ConfigError naming the file, the field and the fix, the same
 * way the org and access-rules files do.
 */
import { readdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { ConfigError } from '../../config/config-error.js';
import { parseSource, readSource, type ParsedSource } from '../../config/source.js';
import { closest, locate, validate } from '../../config/zod-issues.js';
import type { IamCatalog } from '../catalog.js';
import { PolicyDocumentSchema, statementsOf, tryCompilePolicy } from '../evaluate/policy.js';
import { lintPolicy } from '../lint/index.js';
import { OrganizationFileSchema, type OrganizationFile, type OuNodeInput } from './schema.js';
import { walk, type OrgScpTree, type OrgUnit, type ScpPolicy } from './tree.js';

export const ORGANIZATION_FILE = 'organization.yaml';
export const POLICIES_DIR = 'policies';
/** AWS Organizations' limit on one SCP document, in characters. */
export const SCP_MAX_CHARACTERS = 5120;

type PathIssue = { path: (string | number)[]; message: string };

export interface ScpLoadOptions {
  /** When given, every SCP is also linted (unknown actions, condition keys…); errors stop loading. */
  catalog?: IamCatalog;
}

export async function loadScpTree(dir: string, options: ScpLoadOptions = {}): Promise<OrgScpTree> {
  const treeSource = await readSource(join(dir, ORGANIZATION_FILE), `Put the organization tree in ${join(dir, ORGANIZATION_FILE)}; see examples/scps/.`);
  const policyDir = join(dir, POLICIES_DIR);
  let names: string[];
  try {
    names = (await readdir(policyDir)).filter((f) => extname(f) === '.json').sort();
  } catch {
    throw new ConfigError(policyDir, [{ path: '', message: `cannot read the folder; put one SCP per .json file in ${policyDir}` }]);
  }
  const policySources = await Promise.all(names.map((f) => readSource(join(policyDir, f), '')));
  return buildScpTree(treeSource, policySources, options);
}

/** Same checks on texts already in memory (an admin's upload, a test). */
export async function parseScpTree(tree: { file: string; text: string }, policies: { file: string; text: string }[], options: ScpLoadOptions = {}): Promise<OrgScpTree> {
  return buildScpTree(
    parseSource(tree.file, tree.text),
    policies.map((p) => parseSource(p.file, p.text)),
    options,
  );
}

async function buildScpTree(treeSource: ParsedSource, policySources: ParsedSource[], options: ScpLoadOptions): Promise<OrgScpTree> {
  if (treeSource.data === null || treeSource.data === undefined) {
    throw new ConfigError(treeSource.file, [{ path: '', message: 'the file is empty; see examples/scps/organization.yaml for a complete sample' }]);
  }
  const checked = validate(OrganizationFileSchema, treeSource);
  if (!checked.ok) throw new ConfigError(treeSource.file, checked.issues);
  const file = checked.value;

  const policies = new Map<string, ScpPolicy>();
  for (const source of policySources) {
    const policy = await readPolicy(source, options);
    policies.set(policy.name, policy);
  }

  const root = toUnit('root', file.root);
  const issues = checkTree(file, root, [...policies.keys()]);
  if (issues.length > 0) throw new ConfigError(treeSource.file, locate(treeSource, issues));

  const tree: OrgScpTree = { organizationId: file.organization.id, root, policies };
  if (file.organization.managementAccount) tree.managementAccountId = file.organization.managementAccount;
  return tree;
}

function toUnit(kind: 'root' | 'ou', node: OuNodeInput): OrgUnit {
  return {
    kind,
    id: node.id,
    name: node.name,
    policies: [...node.policies],
    children: node.children.map((c) => toUnit('ou', c)),
    accounts: node.accounts.map((a) => ({ id: a.id, name: a.name, policies: [...a.policies] })),
  };
}

/** What the schema cannot see: unique ids, each account once, and every attached SCP exists. */
function checkTree(file: OrganizationFile, root: OrgUnit, known: string[]): PathIssue[] {
  const issues: PathIssue[] = [];
  const seen = new Map<string, string>();
  let management = false;
  for (const { node, kind, path } of walk(root)) {
    const label = `${kind === 'account' ? 'account' : kind === 'root' ? 'root' : 'OU'} id`;
    const first = seen.get(node.id);
    if (first !== undefined) issues.push({ path: [...path, 'id'], message: `duplicate ${label} "${node.id}" (also at ${first}); an account or OU sits in one place of the tree` });
    else seen.set(node.id, path.join('.'));
    if (kind === 'account' && node.id === file.organization.managementAccount) management = true;
    node.policies.forEach((name, i) => {
      if (known.includes(name)) return;
      const guess = closest(name, known);
      issues.push({
        path: [...path, 'policies', i],
        message: `no SCP named "${name}"; ${guess ? `did you mean "${guess}"? ` : ''}add ${POLICIES_DIR}/${name}.json or use one of: ${known.join(', ') || '(none)'}`,
      });
    });
  }
  if (file.organization.managementAccount && !management) {
    issues.push({ path: ['organization', 'managementAccount'], message: `account ${file.organization.managementAccount} is not in the tree; add it under the root or fix the id` });
  }
  return issues;
}

async function readPolicy(source: ParsedSource, options: ScpLoadOptions): Promise<ScpPolicy> {
  const name = basename(source.file, extname(source.file));
  const parsed = PolicyDocumentSchema.safeParse(source.data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
      message:
        i.code === 'unrecognized_keys'
          ? `${i.message}; a statement may have Sid, Effect, Action or NotAction, Resource or NotResource, and Condition`
          : i.message,
    }));
    throw new ConfigError(source.file, locate(source, issues));
  }
  const document = parsed.data;
  const issues: PathIssue[] = [];
  if (JSON.stringify(document).length > SCP_MAX_CHARACTERS) {
    issues.push({ path: [], message: `AWS Organizations limits an SCP to ${SCP_MAX_CHARACTERS} characters (without spaces); split it into two policies` });
  }
  statementsOf(document).forEach((statement, i) => {
    const at = Array.isArray(document.Statement) ? ['Statement', i] : ['Statement'];
    for (const element of ['Principal', 'NotPrincipal'] as const) {
      if (statement[element] !== undefined) issues.push({ path: [...at, element], message: `an SCP applies to every principal of the accounts it is attached to and cannot name one; remove ${element}` });
    }
  });
  const compiled = tryCompilePolicy(name, document);
  if (!compiled.ok) issues.push(...compiled.problems.map((message) => ({ path: [], message })));
  if (options.catalog) {
    const report = await lintPolicy(document, options.catalog, { use: 'scp' });
    for (const finding of report.findings) {
      if (finding.severity !== 'error' || finding.code === 'principal-in-identity-policy') continue;
      const at = finding.statement ? (Array.isArray(document.Statement) ? ['Statement', finding.statement.index] : ['Statement']) : [];
      issues.push({ path: at, message: finding.message });
    }
  }
  if (issues.length > 0 || !compiled.ok) throw new ConfigError(source.file, locate(source, issues));
  return { name, source: source.file, document, compiled: compiled.policy };
}
