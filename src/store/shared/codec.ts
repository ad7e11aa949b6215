import { z } from 'zod';

/**
 * Conversions and checks every Store adapter shares: one timestamp form for compared values, one
 * error for stored records that do not parse, one page-cursor format.
 */

/**
 * Columns that are compared or ordered hold timestamps in one canonical form
 * (`YYYY-MM-DDTHH:mm:ss.sssZ`), because ISO-8601 strings only compare correctly as text when they
 * share a format: "…T10:00:00Z" sorts after "…T10:00:00.500Z".
 */
export function canonicalTime(value: string, what: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new RangeError(`${what} must be an ISO-8601 timestamp, got ${JSON.stringify(value)}.`);
  }
  return date.toISOString();
}

export function addSeconds(at: string, seconds: number): string {
  return new Date(new Date(at).getTime() + seconds * 1000).toISOString();
}

/**
 * A stored row whose content does not parse. Names the row so someone can find and fix it.
 * `location` replaces the default `<table> row "<key>"` for stores without rows (a DynamoDB item).
 */
export class CorruptRowError extends Error {
  constructor(
    readonly table: string,
    readonly key: string,
    problem: string,
    location = `${table} row ${JSON.stringify(key)}`,
  ) {
    super(`Stored ${location} is corrupted: ${problem}`);
    this.name = 'CorruptRowError';
  }
}

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** Checks a value read from `table` against `schema`; failures name the row (or `location`). */
export function parseValue<S extends z.ZodType>(
  schema: S,
  value: unknown,
  table: string,
  key: string,
  location?: string,
): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new CorruptRowError(table, key, describe(result.error), location);
  return result.data;
}

/**
 * Checks a value before it is written, so a caller's bug fails at the caller instead of becoming a
 * corrupt row that breaks a later read.
 */
export function checkBeforeWrite<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new TypeError(`Refusing to store ${what}: ${describe(result.error)}`);
  return result.data;
}

/** Parses a JSON column with `schema`, turning any failure into a CorruptRowError naming the row. */
export function parseStored<S extends z.ZodType>(
  schema: S,
  json: string,
  table: string,
  key: string,
  location?: string,
): z.infer<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    const problem = `not valid JSON (${error instanceof Error ? error.message : String(error)})`;
    throw new CorruptRowError(table, key, problem, location);
  }
  return parseValue(schema, raw, table, key, location);
}

const CursorSchema = z.tuple([z.string(), z.string()]);

/** The position after the last item of a page: (created_at, id) of that item. Opaque to callers. */
export function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: string; id: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    raw = undefined;
  }
  const parsed = CursorSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`Invalid page cursor ${JSON.stringify(cursor)}: pass back the cursor a previous page returned.`);
  }
  const [createdAt, id] = parsed.data;
  return { createdAt, id };
}
