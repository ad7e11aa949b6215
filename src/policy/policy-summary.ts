import { parse } from 'yaml';
import type { AccessRules } from '../config/schemas.js';
import type { Guardrails } from './guardrails/index.js';

/** What an admin needs to see at a glance; the full text is one `/warden … set` away. */
export function summarizeGuardrails(g: Guardrails): string[] {
  const denied = g.deniedActions.flatMap((d) => d.actions);
  const byLevel = Object.entries(g.durations.byAccessLevel).map(([k, v]) => `${k} ${v} min`);
  const byEnv = Object.entries(g.durations.byEnvironment).map(([k, v]) => `${k} ${v} min`);
  return [
    `*Never granted:* ${denied.length ? denied.map((a) => `\`${a}\``).join(', ') : 'nothing'}`,
    `*Accounts:* ${g.allowedAccounts.join(', ')} · *Regions:* ${g.allowedRegions?.join(', ') ?? 'any'}`,
    `*Durations:* default ${g.durations.defaultMinutes} min, max ${g.durations.maxMinutes} min${[...byLevel, ...byEnv].length ? ` (${[...byLevel, ...byEnv].join(', ')})` : ''}`,
    `*Wildcards:* actions ${g.actions.wildcards}, resources ${g.resources.wildcard} · *Resource rules:* ${g.resources.rules.map((r) => `${r.name} (${r.effect})`).join(', ') || 'none'}`,
  ];
}

export function summarizeRules(r: AccessRules): string[] {
  const people = (p: { users: string[]; groups: string[] }) => [...p.users, ...p.groups.map((g) => `@${g}`)].join(', ') || 'nobody';
  return [
    ...r.rules.map((rule) => `*${rule.name}:* ${rule.accounts.join(', ')} → approvers ${people(rule.approvers)}, quorum ${rule.quorum}${rule.maxDurationMinutes ? `, max ${rule.maxDurationMinutes} min` : ''}`),
    `*Defaults:* ${r.defaults.defaultDurationMinutes} min, max ${r.defaults.maxDurationMinutes} min · *Admins:* ${people(r.admins)}`,
  ];
}

export interface PolicyDiff {
  /** Top-level sections whose value changed (comments and layout do not count). */
  sections: string[];
  linesAdded: number;
  linesRemoved: number;
}

/** A diff summary for the audit log and the confirmation: which sections changed, and how many lines. */
export function diffPolicyText(before: string, after: string): PolicyDiff {
  const a = topLevel(before);
  const b = topLevel(after);
  const sections = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])).sort();
  const count = (lines: string[]) => lines.reduce((m, l) => m.set(l, (m.get(l) ?? 0) + 1), new Map<string, number>());
  const was = count(before.split('\n'));
  const now = count(after.split('\n'));
  let linesAdded = 0;
  let linesRemoved = 0;
  for (const [line, n] of now) linesAdded += Math.max(0, n - (was.get(line) ?? 0));
  for (const [line, n] of was) linesRemoved += Math.max(0, n - (now.get(line) ?? 0));
  return { sections, linesAdded, linesRemoved };
}

export function describeDiff(d: PolicyDiff): string {
  return `${d.sections.length ? `changed ${d.sections.join(', ')}` : 'no change in meaning'} (+${d.linesAdded} −${d.linesRemoved} lines)`;
}

function topLevel(text: string): Record<string, unknown> {
  try {
    const value: unknown = parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    // Only validated texts reach here; an unparsable old one simply shows every section as changed.
    return {};
  }
}
