/**
 * The structured output of the drafting model: zod schemas, from which the tools' JSON Schemas are
 * generated, so the contract the model sees and the parser that checks its reply are one definition.
 */
import { z } from 'zod';
import { ACCESS_LEVELS, type PermissionDraft } from '../access/types.js';
import type { JsonObject, LlmTool } from './llm.js';

const MAX_MINUTES = 7 * 24 * 60;

export const DraftStatementSchema = z.object({
  actions: z
    .array(z.string().min(3).max(128))
    .min(1)
    .max(25)
    .describe('IAM actions as "service:Action", e.g. "s3:GetObject". Never a wildcard.'),
  resources: z
    .array(z.string().min(1).max(2048))
    .min(1)
    .max(20)
    .describe('Full ARNs in the chosen account; "*" only for actions IAM cannot limit to a resource.'),
});

/** PermissionDraft (access/types.ts) as a schema; the type assertion below keeps the two in step. */
export const PermissionDraftSchema = z.object({
  accountId: z.string().regex(/^\d{12}$/).describe('The 12-digit id of one account from <accounts>.'),
  accountName: z.string().min(1),
  accessLevel: z.enum(ACCESS_LEVELS).describe('The highest IAM access level among the actions.'),
  statements: z.array(DraftStatementSchema).min(1).max(10).describe('Allow statements; actions that share resources share a statement.'),
  durationMinutes: z.number().int().min(5).max(MAX_MINUTES).describe('How long the access lasts, within the requester’s maximum for the account.'),
  justification: z.string().min(3).max(500).describe('Why the requester needs it, in their words, one sentence.'),
  broad: z.boolean(),
  notes: z.array(z.string()),
  /** Further accounts: built by Warden (the offline drafter, or from the model's `alsoInAccounts`), never written by the model. */
  alsoIn: z
    .array(z.object({ accountId: z.string().regex(/^\d{12}$/), accountName: z.string().min(1), statements: z.array(DraftStatementSchema).min(1).max(10) }))
    .optional(),
});

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// Fails to compile when PermissionDraft gains, loses or changes a field the schema does not.
const schemaMatchesDraft: Same<z.infer<typeof PermissionDraftSchema>, PermissionDraft> = true;
void schemaMatchesDraft;

/**
 * What the model proposes: the draft fields it decides, plus a short explanation for the requester.
 * Account name, notes, `broad` and the further accounts' statements are Warden's to fill, never the model's.
 */
export const DraftProposalSchema = PermissionDraftSchema.pick({
  accountId: true,
  accessLevel: true,
  statements: true,
  durationMinutes: true,
  justification: true,
}).extend({
  alsoInAccounts: z
    .array(z.string().min(1).max(64))
    .max(10)
    .optional()
    .describe(
      'Only when the requester asks for the same access in more accounts ("in payments-prod and sandbox"): the names or ids of the other accounts from <accounts>. accountId and statements are for the first account; Warden writes the same statements for each of these with that account’s id and region, and each account becomes its own request.',
    ),
  explanation: z.string().min(1).max(400).describe('One or two sentences for the requester: what this grants and why it is enough.'),
});
export type DraftProposal = z.infer<typeof DraftProposalSchema>;

export const QuestionsProposalSchema = z.object({
  questions: z
    .array(z.string().min(3).max(300))
    .min(1)
    .max(3)
    .describe('Short questions for the requester, one thing each: the account, the resource, the task or the duration.'),
});
export type QuestionsProposal = z.infer<typeof QuestionsProposalSchema>;

export const SUBMIT_DRAFT_TOOL = 'submit_draft';
export const ASK_QUESTIONS_TOOL = 'ask_questions';

/** The JSON Schema of a zod schema, as the Converse API takes it (no `$schema` key). */
export function toolInputSchema(schema: z.ZodType): JsonObject {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'throw' });
  // z.toJSONSchema's type is wider than JSON; the round trip through z.json() proves it is plain JSON.
  const parsed = z.record(z.string(), z.json()).parse(JSON.parse(JSON.stringify(json)));
  return parsed;
}

export function draftingTools(): LlmTool[] {
  return [
    {
      name: SUBMIT_DRAFT_TOOL,
      description: 'Propose the least-privilege access request. Warden checks it against the IAM catalog and the access rules before anyone sees it.',
      inputSchema: toolInputSchema(DraftProposalSchema),
    },
    {
      name: ASK_QUESTIONS_TOOL,
      description: 'Ask the requester what is missing or ambiguous instead of guessing.',
      inputSchema: toolInputSchema(QuestionsProposalSchema),
    },
  ];
}
