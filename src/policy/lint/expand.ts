/**
 * Wildcard actions, expanded through the IAM catalog: "s3:Get*" is shown to the approver as the
 * actions it grants today (it will grant more when AWS adds actions, which is why it is flagged).
 */
import type { IamCatalog } from '../catalog.js';
import { compileAction } from '../evaluate/policy.js';

export interface ActionExpansion {
  pattern: string;
  /** Canonical names of the catalog's actions the pattern matches; empty for "*". */
  actions: string[];
  /** "*": every action of every service, present and future. */
  everyService: boolean;
}

export function isActionPattern(action: string): boolean {
  return /[*?]/.test(action);
}

export async function expandActionPattern(pattern: string, catalog: IamCatalog): Promise<ActionExpansion> {
  if (pattern.trim() === '*') return { pattern, actions: [], everyService: true };
  const matcher = compileAction(pattern.trim());
  if (!matcher?.service) return { pattern, actions: [], everyService: false };
  const { service, name } = matcher;
  const actions = (await catalog.actionsOf(service)).filter((a) => name.test(a.name)).map((a) => a.id);
  return { pattern, actions: actions.sort(), everyService: false };
}

/** "s3:GetObject, s3:GetObjectAcl and 42 more". */
export function summarizeActions(actions: readonly string[], shown = 5): string {
  if (actions.length <= shown) return actions.join(', ');
  return `${actions.slice(0, shown).join(', ')} and ${actions.length - shown} more`;
}
