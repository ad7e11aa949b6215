import { join } from 'node:path';

/** Where the policy files are found when nothing is set: the sample org, so the playground runs out of the box. */
export const DEFAULT_CONFIG_DIR = 'examples';
export const ORG_FILE_NAME = 'org.yaml';
export const RULES_FILE_NAME = 'access-rules.yaml';

/** The variables that choose the policy files; named in "file not found" errors so the fix is obvious. */
export const POLICY_ENV = {
  dir: 'WARDEN_CONFIG_DIR',
  org: 'WARDEN_ORG_FILE',
  rules: 'WARDEN_RULES_FILE',
} as const;

export interface PolicyPaths {
  orgFile: string;
  rulesFile: string;
}

/** The one place the default file names are joined to a folder, shared by the env parser and the loader. */
export function policyPaths(dir: string): PolicyPaths {
  return { orgFile: join(dir, ORG_FILE_NAME), rulesFile: join(dir, RULES_FILE_NAME) };
}
