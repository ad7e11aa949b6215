import type { AccessLevel } from '../../access/types.js';
import type { IamCatalog } from '../catalog.js';
import type { PolicyDocument, PolicyStatement } from '../evaluate/policy.js';

export type LintSeverity = 'error' | 'warning' | 'info';

export type LintCode =
  | 'malformed-policy'
  | 'version'
  | 'effect'
  | 'missing-element'
  | 'principal-in-identity-policy'
  | 'duplicate-sid'
  | 'invalid-sid'
  | 'not-action-with-allow'
  | 'not-resource-with-allow'
  | 'not-principal-with-allow'
  | 'malformed-action'
  | 'unknown-service'
  | 'unknown-action'
  | 'wildcard-action'
  | 'wildcard-matches-nothing'
  | 'above-access-level'
  | 'wildcard-resource'
  | 'malformed-arn'
  | 'wildcard-account'
  | 'wildcard-region'
  | 'resource-type-mismatch'
  | 'privilege-escalation'
  | 'privilege-escalation-combination'
  | 'permissions-management'
  | 'credential-exposure'
  | 'unknown-condition-key'
  | 'condition-key-not-for-action'
  | 'condition-operator-type'
  | 'set-operator-mismatch'
  | 'missing-expiry';

export interface StatementLocation {
  index: number;
  sid?: string;
  /** The Sid, or "#2": how a person finds the statement. */
  label: string;
}

export interface LintFinding {
  code: LintCode;
  severity: LintSeverity;
  /** One or two sentences for a requester or approver, with the fix when there is one. */
  message: string;
  statement?: StatementLocation;
  action?: string;
  resource?: string;
  conditionKey?: string;
  /** "Did you mean" names, best first. */
  suggestions?: string[];
  /** What a wildcard action grants today, canonical names. */
  expandsTo?: string[];
}

/** The kind of policy decides what is allowed in it (a Principal never is; NotAction in an Allow only in SCPs). */
export type PolicyUse = 'identity' | 'scp' | 'boundary';

export interface LintOptions {
  use: PolicyUse;
  /** The access level the request asked for: every allowed action must fit under it. */
  accessLevel?: AccessLevel;
  /** Every Allow must carry the expiry condition (Warden grants always do). Default: on for identity policies. */
  requireExpiry?: boolean;
  /** The expiry Warden means to grant; a later one in the document is a finding. */
  expiresAt?: Date;
  /** Now, for "the expiry is already past". */
  now?: Date;
}

/** What every check gets: the parsed document and its statements, already a list. */
export interface LintContext {
  document: PolicyDocument;
  statements: readonly PolicyStatement[];
  options: LintOptions;
  catalog: IamCatalog;
}

export type LintCheck = (context: LintContext) => Promise<LintFinding[]> | LintFinding[];
