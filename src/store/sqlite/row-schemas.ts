import { z } from 'zod';
import { ACCESS_LEVELS, CHAT_PLATFORMS, REQUEST_STATES, RISK_CODES, RISK_LEVELS, RUN_DOCUMENT, type AccessRequest, type AuditEvent } from '../../access/types.js';
import type { Conversation, MessageRef } from '../store.js';

/*
 * What comes back out of the database is untrusted: a hand edit, a bug in an older version or a
 * half-written migration can leave a row the domain types do not describe. These schemas check it at
 * the boundary so the rest of the code can rely on the types.
 */

const DecisionSchema = z.object({ userId: z.string(), at: z.string(), reason: z.string() });

export const AccessRequestSchema = z.object({
  id: z.string().min(1),
  state: z.enum(REQUEST_STATES),
  version: z.number().int().min(1),
  requesterId: z.string(),
  draft: z.object({
    accountId: z.string(),
    accountName: z.string(),
    accessLevel: z.enum(ACCESS_LEVELS),
    statements: z.array(z.object({ actions: z.array(z.string()), resources: z.array(z.string()) })),
    durationMinutes: z.number(),
    justification: z.string(),
    broad: z.boolean(),
    notes: z.array(z.string()),
    alsoIn: z
      .array(z.object({ accountId: z.string(), accountName: z.string(), statements: z.array(z.object({ actions: z.array(z.string()), resources: z.array(z.string()) })) }))
      .optional(),
  }),
  risk: z.object({
    level: z.enum(RISK_LEVELS),
    reasons: z.array(z.string()),
    factors: z.array(z.object({ code: z.enum(RISK_CODES), level: z.enum(RISK_LEVELS), reason: z.string() })).optional(),
  }),
  approverIds: z.array(z.string()),
  quorum: z.number().int(),
  approvals: z.array(z.object({ userId: z.string(), at: z.string() })),
  denial: DecisionSchema.optional(),
  cancellation: DecisionSchema.optional(),
  grant: z
    .object({
      grantedAt: z.string(),
      expiresAt: z.string(),
      mode: z.string(),
      handle: z.record(z.string(), z.string()),
    })
    .optional(),
  failure: z.string().optional(),
  batchId: z.string().optional(),
  run: z.object({ instanceId: z.string(), instanceName: z.string().optional(), command: z.string(), document: z.literal(RUN_DOCUMENT) }).optional(),
  review: z
    .object({
      verdicts: z.array(z.string()),
      findings: z.array(z.string()),
      conditions: z.array(
        z.object({ operator: z.string(), key: z.string(), values: z.array(z.string()), reason: z.string(), statements: z.array(z.string()).optional() }),
      ),
      scpNote: z.string().optional(),
    })
    .optional(),
  origin: z.object({ platform: z.enum(CHAT_PLATFORMS), channel: z.string(), threadTs: z.string() }),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const AuditDetailSchema = z.record(z.string(), z.unknown());

export const AuditEventSchema = z.object({
  id: z.string().min(1),
  at: z.string(),
  requestId: z.string().nullable(),
  actorId: z.string(),
  type: z.string().min(1),
  detail: AuditDetailSchema,
});

export const MessageRefSchema = z.object({
  platform: z.enum(CHAT_PLATFORMS),
  channel: z.string(),
  ts: z.string(),
  purpose: z.enum(['approval', 'draft']),
});

export const ConversationSchema = z.object({
  key: z.string(),
  userId: z.string(),
  turns: z.array(z.object({ role: z.enum(['user', 'bot']), text: z.string(), at: z.string() })),
  requestId: z.string().nullable(),
  updatedAt: z.string(),
});

/*
 * Compile-time guard: zod strips keys it does not know, so a field added to a domain type but not
 * here would be silently dropped on every read. Requiring the inferred type to be identical to the
 * domain type turns that into a type error.
 */
type Identical<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertIdentical<_T extends true>(): void {}
assertIdentical<Identical<z.infer<typeof AccessRequestSchema>, AccessRequest>>();
assertIdentical<Identical<z.infer<typeof MessageRefSchema>, MessageRef>>();
assertIdentical<Identical<z.infer<typeof ConversationSchema>, Conversation>>();
assertIdentical<Identical<z.infer<typeof AuditEventSchema>, AuditEvent>>();
