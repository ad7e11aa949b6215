import { z } from 'zod';

/**
 * Requests the page sends, parsed at the boundary. `as` names the workspace member the page acts
 * as; the server checks it is one before it signs anything on their behalf.
 */
const SlackUserId = z.string().regex(/^[UW][A-Z0-9]{2,20}$/, 'a Slack member id like "U0ANA"');
const ChannelId = z.string().regex(/^[CDG][A-Z0-9]{2,40}$/, 'a channel id like "C0ACCESSREQ" or "DU0ANA"');
const Ts = z.string().regex(/^\d{1,12}\.\d{1,6}$/, 'a Slack ts like "1700000000.000100"');
const ViewId = z.string().regex(/^V[A-Z0-9]{2,20}$/, 'a view id like "V0123ABCDE"');
const Identifier = z.string().min(1).max(255);

/** What a form control holds (see block-kit/view-state.ts). */
const RawValue = z.union([z.string().max(10_000), z.array(z.string().max(2_000)).max(100), z.null()]);

/** A file attached in the composer, read as text by the page (policy files, scanner output). */
const AttachedFile = z.strictObject({
  name: z.string().min(1).max(255).regex(/^[^/\\]+$/, 'a file name without folders'),
  // Under the server's request cap, with room for the rest of the request.
  text: z.string().max(480 * 1024),
});

export const PostMessageRequest = z
  .strictObject({
    as: SlackUserId,
    channel: ChannelId,
    // Slack truncates message text at 40,000 characters; the composer never sends an empty message.
    text: z.string().max(40_000),
    threadTs: Ts.optional(),
    /** Shared with the message, as an upload in Slack's composer is (a `file_share` message). */
    file: AttachedFile.optional(),
  })
  .refine((m) => m.text.trim() !== '' || m.file !== undefined, { message: 'the message is empty', path: ['text'] });
export type PostMessageRequest = z.infer<typeof PostMessageRequest>;

export const BlockActionRequest = z.strictObject({
  as: SlackUserId,
  actionId: Identifier,
  blockId: Identifier.optional(),
  target: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('message'), channel: ChannelId, ts: Ts }),
    z.strictObject({ kind: z.literal('view'), viewId: ViewId }),
  ]),
  /** The option, date or values chosen in a menu or picker; absent for a button. */
  selection: RawValue.optional(),
});
export type BlockActionRequest = z.infer<typeof BlockActionRequest>;

export const SubmitViewRequest = z.strictObject({
  as: SlackUserId,
  viewId: ViewId,
  values: z.record(Identifier, z.record(Identifier, RawValue)),
});
export type SubmitViewRequest = z.infer<typeof SubmitViewRequest>;

/** Text typed into an external select of an open modal, with the form's inputs so far. */
export const SuggestRequest = z.strictObject({
  as: SlackUserId,
  viewId: ViewId,
  blockId: Identifier,
  actionId: Identifier,
  value: z.string().max(2_000),
  values: z.record(Identifier, z.record(Identifier, RawValue)),
});
export type SuggestRequest = z.infer<typeof SuggestRequest>;

export const CloseViewRequest = z.strictObject({ as: SlackUserId, viewId: ViewId });
export type CloseViewRequest = z.infer<typeof CloseViewRequest>;

export const SnapshotQuery = z.strictObject({ as: SlackUserId });

/** Entra ID object id of the person the Teams tab acts as. */
const AadObjectId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'an Entra ID object id');
const TeamsConversationId = z.string().min(1).max(300);
const TeamsMessageId = z.string().regex(/^\d{1,20}$/, 'a Teams message id (digits)');

export const TeamsSnapshotQuery = z.strictObject({ as: AadObjectId });

export const TeamsPostMessageRequest = z.strictObject({
  as: AadObjectId,
  /** The personal chat (absent) or a channel name to mention Warden in. */
  channel: z.string().min(1).max(80).optional(),
  text: z.string().max(28_000).refine((t) => t.trim() !== '', 'the message is empty'),
});
export type TeamsPostMessageRequest = z.infer<typeof TeamsPostMessageRequest>;

/** A click on an Action.Execute of the card the person sees, with the card's input values. */
export const TeamsExecuteRequest = z.strictObject({
  as: AadObjectId,
  conversationId: TeamsConversationId,
  messageId: TeamsMessageId,
  verb: Identifier,
  inputs: z.record(Identifier, z.string().max(10_000)),
});
export type TeamsExecuteRequest = z.infer<typeof TeamsExecuteRequest>;

/** The part of a view_submission acknowledgement the page shows: field errors. */
export const ViewErrorsAck = z.looseObject({
  response_action: z.literal('errors'),
  errors: z.record(z.string(), z.string()),
});
