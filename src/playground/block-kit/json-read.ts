/**
 * Safe readers over untrusted JSON. Block Kit arrives as whatever the bot posted; the renderer must
 * cope with any shape (a missing field, a number where a string belongs) without throwing.
 */
export type JsonRecord = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(value: unknown, key: string): string | undefined {
  if (!isRecord(value)) return undefined;
  const field = value[key];
  return typeof field === 'string' ? field : undefined;
}

export function num(value: unknown, key: string): number | undefined {
  if (!isRecord(value)) return undefined;
  const field = value[key];
  if (typeof field === 'number' && Number.isFinite(field)) return field;
  if (typeof field === 'string' && field.trim() !== '' && Number.isFinite(Number(field))) return Number(field);
  return undefined;
}

export function bool(value: unknown, key: string): boolean {
  return isRecord(value) && value[key] === true;
}

export function rec(value: unknown, key: string): JsonRecord | undefined {
  if (!isRecord(value)) return undefined;
  const field = value[key];
  return isRecord(field) ? field : undefined;
}

export function records(value: unknown, key: string): JsonRecord[] {
  if (!isRecord(value)) return [];
  const field = value[key];
  return Array.isArray(field) ? field.filter(isRecord) : [];
}

export function strings(value: unknown, key: string): string[] {
  if (!isRecord(value)) return [];
  const field = value[key];
  return Array.isArray(field) ? field.filter((item): item is string => typeof item === 'string') : [];
}
