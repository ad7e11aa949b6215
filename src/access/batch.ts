import type { PermissionDraft } from './types.js';

/**
 * One draft per account of a multi-account draft, the first being the account the draft was made
 * for. Each is a whole single-account draft: it is checked, routed, approved and granted on its own.
 */
export function draftsPerAccount(draft: PermissionDraft): PermissionDraft[] {
  const { alsoIn, ...first } = draft;
  return [
    first,
    ...(alsoIn ?? []).map((other): PermissionDraft => ({ ...first, accountId: other.accountId, accountName: other.accountName, statements: other.statements })),
  ];
}
