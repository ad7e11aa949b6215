/**
 * JSON value types. Everything the fake receives or returns is plain JSON, so the public API can be
 * precise without `any` and snapshots can be copied with structuredClone.
 */
export type Json = string | number | boolean | null | Json[] | JsonObject;
export type JsonObject = { [key: string]: Json };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses JSON text, or returns undefined instead of throwing (inbound text is untrusted). */
export function tryParseJson(text: string): Json | undefined {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

/** A short one-line rendering for error messages (timeouts list the recorded calls). */
export function preview(value: unknown, max = 160): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
