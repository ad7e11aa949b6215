import type { AccessLevel, PermissionDraft } from './types.js';

/** Free text from a conversation: every message the requester wrote in the thread, oldest first. */
export interface TextDraftInput {
  messages: string[];
  requesterId: string;
  /**
   * Optional: the whole thread, oldest first, the bot's replies (its questions) included, so a
   * conversational drafter knows what it asked. `messages` stays the requester's words alone; a
   * drafter that does not hold a conversation ignores this.
   */
  history?: ReadonlyArray<{ role: 'user' | 'bot'; text: string }>;
}

/** The fields of the `/access request` modal. */
export interface FieldsDraftInput {
  requesterId: string;
  /** Account name or 12-digit id. */
  account: string;
  /** The same access in more accounts (names or ids): one request per account at submit. */
  alsoIn?: string[];
  /** IAM service prefix, e.g. "s3". */
  service: string;
  accessLevel: AccessLevel;
  /** ARNs or plain resource names (bucket, table, function, queue…). */
  resources: string[];
  durationMinutes: number;
  justification: string;
}

export type DraftResult =
  | { kind: 'draft'; draft: PermissionDraft }
  /** Something needed is missing or ambiguous: ask these, then draft again with the answer. */
  | { kind: 'questions'; questions: string[] }
  /** Input that cannot become a request at all (e.g. empty, far too long): say why and what to do. */
  | { kind: 'error'; message: string };

/** Turns what a requester says into a least-privilege draft. The output is untrusted until checked. */
export interface Drafter {
  fromText(input: TextDraftInput): Promise<DraftResult>;
  fromFields(input: FieldsDraftInput): Promise<DraftResult>;
}
