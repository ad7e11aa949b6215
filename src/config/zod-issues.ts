import { z } from 'zod';
import { type ConfigIssue, formatPath } from './config-error.js';
import type { ParsedSource } from './source.js';

/**
 * Messages for zod's built-in checks, phrased for an admin editing YAML. Messages written on the schema
 * itself (the regexes in schemas.ts) take precedence over this map, so those stay as written.
 */
const policyErrorMap: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'invalid_type': {
      if (iss.input === undefined) return `required (${describeType(iss.expected)})`;
      // Unquoted YAML digits are numbers, and a leading zero is silently dropped: say how to keep them.
      const quote = iss.expected === 'string' && typeof iss.input === 'number' ? '; put it in quotes' : '';
      return `expected ${describeType(iss.expected)}${quote}`;
    }
    case 'too_small':
      return iss.origin === 'array'
        ? `needs at least ${String(iss.minimum)} item(s)`
        : iss.origin === 'string'
          ? Number(iss.minimum) <= 1
            ? 'must not be empty'
            : `needs at least ${String(iss.minimum)} characters`
          : `must be at least ${String(iss.minimum)}`;
    case 'too_big':
      return iss.origin === 'array'
        ? `allows at most ${String(iss.maximum)} item(s)`
        : `must be at most ${String(iss.maximum)}`;
    case 'invalid_value':
      return `expected one of ${iss.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      return 'options' in iss && Array.isArray(iss.options)
        ? `expected one of ${iss.options.map((v: unknown) => JSON.stringify(v)).join(', ')}`
        : undefined;
    case 'invalid_format':
      return iss.format === 'email' ? 'an e-mail address like "ana@example.com"' : undefined;
    default:
      return undefined;
  }
};

function describeType(expected: string): string {
  const names: Record<string, string> = {
    string: 'a string',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
    object: 'a mapping of fields',
    array: 'a list',
  };
  return names[expected] ?? expected;
}

/** Parses `source.data` with `schema`, returning the typed value or every problem located in the file. */
export function validate<T extends z.ZodType>(
  schema: T,
  source: ParsedSource,
): { ok: true; value: z.output<T> } | { ok: false; issues: ConfigIssue[] } {
  const unknown = unknownFields(schema, source.data, []);
  const result = schema.safeParse(source.data, { error: policyErrorMap });
  const issues = [
    ...(result.success ? [] : result.error.issues.map((i) => ({ path: i.path, message: withGot(i, source.data) }))),
    ...unknown,
  ];
  if (result.success && issues.length === 0) return { ok: true, value: result.data };
  return { ok: false, issues: locate(source, issues) };
}

/** Turns path arrays into located ConfigIssues, ordered as they appear in the file. */
export function locate(source: ParsedSource, issues: { path: readonly PropertyKey[]; message: string }[]): ConfigIssue[] {
  return issues
    .map((i) => {
      const out: ConfigIssue = { path: formatPath(i.path), message: i.message };
      const line = source.lineOf(i.path);
      if (line !== undefined) out.line = line;
      return out;
    })
    .sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
}

/** `(got "ana")`: the admin sees what Warden read, which is not always what they meant to write. */
function withGot(issue: z.core.$ZodIssue, data: unknown): string {
  const value = valueAt(data, issue.path);
  if (value === undefined) return issue.message;
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
    return `${issue.message} (got ${showValue(value)})`;
  }
  if (issue.code === 'invalid_type') return `${issue.message} (got ${Array.isArray(value) ? 'a list' : 'a mapping'})`;
  return issue.message;
}

function showValue(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let node = data;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/**
 * zod drops unknown keys silently. In an access-control file that turns a typo like `quorom: 2` into
 * "quorum 1" without a word, so unknown fields are errors here (without making the shared schemas strict).
 */
function unknownFields(schema: z.ZodType, data: unknown, path: PropertyKey[]): { path: PropertyKey[]; message: string }[] {
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) {
    return unknownFields(schema.unwrap() as z.ZodType, data, path);
  }
  if (schema instanceof z.ZodArray && Array.isArray(data)) {
    return data.flatMap((item, i) => unknownFields(schema.element as z.ZodType, item, [...path, i]));
  }
  if (schema instanceof z.ZodUnion) {
    // Check against the option the value actually matches; when none does, zod already reports it.
    const match = (schema.options as z.ZodType[]).find((o) => o.safeParse(data).success);
    return match ? unknownFields(match, data, path) : [];
  }
  if (schema instanceof z.ZodObject && data !== null && typeof data === 'object' && !Array.isArray(data)) {
    const shape = schema.shape as Record<string, z.ZodType>;
    const allowed = Object.keys(shape);
    return Object.entries(data).flatMap(([key, value]) =>
      key in shape
        ? unknownFields(shape[key] as z.ZodType, value, [...path, key])
        : [{ path: [...path, key], message: unknownFieldMessage(key, allowed) }],
    );
  }
  return [];
}

function unknownFieldMessage(key: string, allowed: string[]): string {
  const guess = closest(key, allowed);
  const did = guess ? `did you mean "${guess}"? ` : '';
  return `unknown field; ${did}allowed here: ${allowed.join(', ')}`;
}

/** The allowed name a typo most likely meant, if any is close enough to be worth suggesting. */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  const lower = input.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const other = name.toLowerCase();
    // A shared prefix of 3+ letters counts as close: `maxDuration` → `maxDurationMinutes`, `eng` → `engineers`.
    const prefix = Math.min(lower.length, other.length) >= 3 && (other.startsWith(lower) || lower.startsWith(other));
    const distance = other === lower ? 0 : prefix ? 1 : editDistance(lower, other);
    if (distance <= Math.max(1, Math.floor(name.length / 4)) && (!best || distance < best.distance)) {
      best = { name, distance };
    }
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}
