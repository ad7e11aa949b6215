/**
 * IAM policy documents as AWS accepts them (a value or a list, booleans and numbers in conditions),
 * and their compiled form: everything that does not depend on the request is worked out once, so
 * evaluating the same SCPs for many action/resource pairs stays cheap.
 */
import { z } from 'zod';
import { ONE_TOKEN, parseGlob, STAR_TOKEN, type Glob } from './glob.js';
import { parseOperator, type ParsedOperator } from './operators.js';

export type PolicyValue = string | readonly string[];
export type ConditionScalar = string | number | boolean;
export type ConditionBlock = Readonly<Record<string, Readonly<Record<string, ConditionScalar | readonly ConditionScalar[]>>>>;

export interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Action?: PolicyValue;
  NotAction?: PolicyValue;
  Resource?: PolicyValue;
  NotResource?: PolicyValue;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Condition?: ConditionBlock;
}

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement | readonly PolicyStatement[];
}

const StringOrList = z.union([z.string(), z.array(z.string()).min(1)]);
const Scalar = z.union([z.string(), z.number(), z.boolean()]);

export const PolicyStatementSchema = z
  .object({
    Sid: z.string().optional(),
    Effect: z.string(),
    Action: StringOrList.optional(),
    NotAction: StringOrList.optional(),
    Resource: StringOrList.optional(),
    NotResource: StringOrList.optional(),
    Principal: z.unknown().optional(),
    NotPrincipal: z.unknown().optional(),
    Condition: z.record(z.string(), z.record(z.string(), z.union([Scalar, z.array(Scalar)]))).optional(),
  })
  .strict();

/** Structure only; what the statements mean is checked by `compilePolicy` and the lint. */
export const PolicyDocumentSchema = z
  .object({
    Version: z.string().optional(),
    Id: z.string().optional(),
    Statement: z.union([PolicyStatementSchema, z.array(PolicyStatementSchema)]),
  })
  .strict();

export const POLICY_VERSION = '2012-10-17';

export function statementsOf(document: PolicyDocument): readonly PolicyStatement[] {
  const { Statement } = document;
  return isStatementList(Statement) ? Statement : [Statement];
}

function isStatementList(value: PolicyStatement | readonly PolicyStatement[]): value is readonly PolicyStatement[] {
  return Array.isArray(value);
}

export function listOf(value: PolicyValue | undefined): readonly string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

/** Condition values as IAM compares them: `true` and `"true"` are the same value. */
export function conditionValues(value: ConditionScalar | readonly ConditionScalar[]): string[] {
  const list: readonly ConditionScalar[] = typeof value === 'object' ? value : [value];
  return list.map((v) => String(v));
}

/** "s3:Get*" → service "s3" and a case-insensitive glob of the action name; "*" matches every action. */
export interface ActionMatcher {
  raw: string;
  /** Lower-case service prefix, or undefined for "*". */
  service: string | undefined;
  name: RegExp;
}

export interface CompiledCondition {
  /** As written, e.g. "ForAnyValue:StringLikeIfExists". */
  operatorText: string;
  operator: ParsedOperator;
  key: string;
  keyLower: string;
  values: readonly string[];
}

export interface CompiledStatement {
  index: number;
  sid: string | undefined;
  /** The Sid, or "#2" for an unnamed second statement: what a person reads on a card. */
  label: string;
  effect: 'Allow' | 'Deny';
  actions: { negated: boolean; matchers: readonly ActionMatcher[] };
  resources: { negated: boolean; patterns: readonly ResourcePattern[] };
  conditions: readonly CompiledCondition[];
}

/**
 * A Resource entry. Without policy variables its segments are compiled once; with variables they
 * are resolved per request (the value of `${aws:username}` is part of the request).
 */
export interface ResourcePattern {
  raw: string;
  all: boolean;
  hasVariables: boolean;
  /** Compiled when there are no variables. */
  compiled: CompiledArnPattern | undefined;
}

export interface CompiledArnPattern {
  /** Six segments: "arn", partition, service, region, account, resource (its own colons included). */
  segments: readonly Glob[];
  /** One anchored regex for concrete request ARNs; "*" never crosses a colon before the resource part. */
  regex: RegExp;
}

export interface CompiledPolicy {
  name: string;
  /** Policy variables are only substituted under Version 2012-10-17; older documents read them literally. */
  variables: boolean;
  statements: readonly CompiledStatement[];
}

export class PolicyCompileError extends Error {
  constructor(
    readonly policy: string,
    readonly problems: readonly string[],
  ) {
    super(`Policy ${policy} cannot be evaluated: ${problems.join('; ')}`);
    this.name = 'PolicyCompileError';
  }
}

export type CompileResult = { ok: true; policy: CompiledPolicy } | { ok: false; problems: string[] };

/** Compiles a document whose structure is already typed; problems are what AWS would refuse to attach. */
export function tryCompilePolicy(name: string, document: PolicyDocument): CompileResult {
  const problems: string[] = [];
  const statements: CompiledStatement[] = [];
  const all = statementsOf(document);
  if (all.length === 0) problems.push('the policy has no statements');
  all.forEach((statement, index) => {
    const compiled = compileStatement(statement, index, problems);
    if (compiled) statements.push(compiled);
  });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, policy: { name, variables: document.Version === POLICY_VERSION, statements } };
}

export function compilePolicy(name: string, document: PolicyDocument): CompiledPolicy {
  const result = tryCompilePolicy(name, document);
  if (!result.ok) throw new PolicyCompileError(name, result.problems);
  return result.policy;
}

/** Parses unknown JSON (a file, a pasted policy) and compiles it. */
export function parseAndCompilePolicy(name: string, json: unknown): CompileResult {
  const parsed = PolicyDocumentSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => `${i.path.length > 0 ? `${i.path.join('.')}: ` : ''}${i.message}`),
    };
  }
  return tryCompilePolicy(name, parsed.data);
}

export function statementLabel(statement: PolicyStatement, index: number): string {
  return statement.Sid !== undefined && statement.Sid !== '' ? statement.Sid : `#${index + 1}`;
}

function compileStatement(statement: PolicyStatement, index: number, problems: string[]): CompiledStatement | undefined {
  const label = statementLabel(statement, index);
  const at = (message: string) => problems.push(`statement ${label}: ${message}`);
  const before = problems.length;

  if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') at(`Effect must be "Allow" or "Deny", not "${statement.Effect}"`);
  if ((statement.Action === undefined) === (statement.NotAction === undefined)) at('needs exactly one of Action and NotAction');
  if ((statement.Resource === undefined) === (statement.NotResource === undefined)) at('needs exactly one of Resource and NotResource');

  const actionList = listOf(statement.Action ?? statement.NotAction);
  const matchers: ActionMatcher[] = [];
  for (const raw of actionList) {
    const matcher = compileAction(raw);
    if (matcher) matchers.push(matcher);
    else at(`"${raw}" is not an action; actions look like "s3:GetObject" or "s3:Get*"`);
  }

  const patterns = listOf(statement.Resource ?? statement.NotResource).map(compileResource);

  const conditions: CompiledCondition[] = [];
  for (const [operatorText, block] of Object.entries(statement.Condition ?? {})) {
    const operator = parseOperator(operatorText);
    if (!operator) {
      at(`"${operatorText}" is not an IAM condition operator`);
      continue;
    }
    for (const [key, value] of Object.entries(block)) {
      conditions.push({ operatorText, operator, key, keyLower: key.toLowerCase(), values: conditionValues(value) });
    }
  }

  if (problems.length > before) return undefined;
  return {
    index,
    sid: statement.Sid,
    label,
    // Anything but "Allow" or "Deny" was reported above and never gets here.
    effect: statement.Effect === 'Deny' ? 'Deny' : 'Allow',
    actions: { negated: statement.NotAction !== undefined, matchers },
    resources: { negated: statement.NotResource !== undefined, patterns },
    conditions,
  };
}

const ACTION_SHAPE = /^([A-Za-z0-9-]+):([A-Za-z0-9*?]+)$/;

export function compileAction(raw: string): ActionMatcher | undefined {
  if (raw === '*') return { raw, service: undefined, name: /^/ };
  const m = ACTION_SHAPE.exec(raw);
  if (!m) return undefined;
  const [, service = '', name = ''] = m;
  const source = name
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c))
    .join('');
  return { raw, service: service.toLowerCase(), name: new RegExp(`^${source}$`, 'i') };
}

export function actionMatches(matcher: ActionMatcher, service: string, name: string): boolean {
  if (matcher.service === undefined) return true;
  return matcher.service === service && matcher.name.test(name);
}

function compileResource(raw: string): ResourcePattern {
  if (raw === '*') return { raw, all: true, hasVariables: false, compiled: undefined };
  const hasVariables = raw.includes('${');
  return { raw, all: false, hasVariables, compiled: hasVariables ? undefined : compileArnPattern(splitArnSegments(raw).map((s) => parseGlob(s))) };
}

/**
 * "arn:aws:s3:::b/k:1" → ["arn", "aws", "s3", "", "", "b/k:1"]. Short patterns ("arn:aws:s3:*") are
 * padded with "*", as IAM does for identity policies; a non-ARN string stays one segment.
 */
export function splitArnSegments(text: string): string[] {
  const parts = text.split(':');
  if (parts.length < 6) {
    if (parts[0] !== 'arn') return [text];
    while (parts.length < 6) parts.push('*');
    return parts;
  }
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

export function compileArnPattern(input: readonly Glob[]): CompiledArnPattern {
  const segments = input.length === 6 ? withLiteralResourceType(input) : input;
  const source =
    segments.length === 6
      ? segments.map((glob, i) => globSource(glob, i === 5)).join(':')
      : segments.map((glob) => globSource(glob, true)).join(':');
  return { segments, regex: new RegExp(`^${source}$`, 's') };
}

/**
 * AWS: "You cannot use a wildcard in the portion of the ARN that specifies the resource type, such
 * as the term user in an IAM ARN." The type is what precedes the first "/" or ":" of the resource
 * part; wildcards there are read literally, so `arn:aws:iam::1:u*er/x` matches no user. S3 bucket
 * and object ARNs (no region, no account) have no type prefix.
 */
function withLiteralResourceType(segments: readonly Glob[]): Glob[] {
  const [, , service = [], region = [], account = [], resource = []] = segments;
  if (service.join('') === 's3' && region.length === 0 && account.length === 0) return [...segments];
  const end = resource.findIndex((t) => t === '/' || t === ':');
  if (end < 0) return [...segments];
  const typed = resource.map((t, i) => (i < end && t === STAR_TOKEN ? '*' : i < end && t === ONE_TOKEN ? '?' : t));
  return [...segments.slice(0, 5), typed];
}

/**
 * AWS: wildcards work "within the individual segments of an ARN", and "if the * wildcard is the last
 * character of a resource ARN segment, it can expand to match beyond the colon boundaries". So a
 * segment's "*" stops at a colon unless it ends the segment; in the resource part it matches anything.
 */
function globSource(glob: Glob, resourcePart: boolean): string {
  return glob
    .map((token, i) => {
      if (token === STAR_TOKEN) return resourcePart || i === glob.length - 1 ? '.*' : '[^:]*';
      if (token === ONE_TOKEN) return resourcePart ? '.' : '[^:]';
      return escapeRegExp(token);
    })
    .join('');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
