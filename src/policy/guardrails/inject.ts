/**
 * Puts the guardrails' conditions into the document to be granted. A guardrail condition replaces
 * a condition on the same operator and key: the organization's rule wins over the draft's.
 */
import type { IamPolicyDocument } from '../document.js';
import type { InjectedCondition } from './apply.js';

/** The document Warden grants: the identity policy, whose condition keys may hold several values. */
export type GrantPolicyDocument = IamPolicyDocument;

export function withInjectedConditions(document: IamPolicyDocument | GrantPolicyDocument, inject: readonly InjectedCondition[]): GrantPolicyDocument {
  return {
    Version: document.Version,
    Statement: document.Statement.map((statement) => {
      const condition: Record<string, Record<string, string | string[]>> = {};
      for (const [operator, block] of Object.entries(statement.Condition ?? {})) condition[operator] = { ...block };
      for (const c of inject) {
        if (c.statements && !c.statements.includes(statement.Sid)) continue;
        condition[c.operator] = { ...(condition[c.operator] ?? {}), [c.key]: c.values.length === 1 ? (c.values[0] ?? '') : [...c.values] };
      }
      return { Sid: statement.Sid, Effect: statement.Effect, Action: [...statement.Action], Resource: [...statement.Resource], Condition: condition };
    }),
  };
}
