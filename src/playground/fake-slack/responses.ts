import type { ResponseTarget } from './handles.js';
import type { JsonObject } from './json.js';
import { type ResponseMessage, ResponseMessageSchema } from './schemas.js';
import type { SlackState } from './state.js';

export interface ResponseOutcome {
  status: number;
  body: JsonObject;
}

const fail = (status: number, error: string): ResponseOutcome => ({ status, body: { ok: false, error } });
const done: ResponseOutcome = { status: 200, body: { ok: true } };

/**
 * Applies a message sent to a response_url (Bolt's `respond()`), or returned as a slash command's
 * HTTP reply, the way Slack shows it: ephemeral to the user by default, to the channel with
 * `response_type: 'in_channel'`, or acting on the originating message with replace/delete_original.
 */
export function deliverResponse(state: SlackState, target: ResponseTarget, raw: unknown): ResponseOutcome {
  const parsed = ResponseMessageSchema.safeParse(raw);
  if (!parsed.success) return fail(400, 'invalid_payload');
  const message = parsed.data;

  if (message.delete_original === true) return deleteOriginal(state, target);
  if (message.text === undefined && message.blocks === undefined && message.attachments === undefined) {
    return fail(400, 'no_text');
  }
  if (message.replace_original === true && target.messageTs !== undefined) {
    return replaceOriginal(state, { ...target, messageTs: target.messageTs }, message);
  }
  const content = { text: message.text, blocks: message.blocks, attachments: message.attachments };
  if (message.response_type === 'in_channel') {
    state.postAsBot({ channel: target.channel, threadTs: message.thread_ts, ...content });
  } else {
    state.postEphemeralAsBot({ channel: target.channel, visibleTo: target.user, threadTs: message.thread_ts, ...content });
  }
  return done;
}

function deleteOriginal(state: SlackState, target: ResponseTarget): ResponseOutcome {
  const ts = target.messageTs;
  // A slash command has no original message, so there is nothing to delete.
  if (ts === undefined) return fail(404, 'message_not_found');
  const deleted = state.conversations.deleteEphemeral(ts) ?? state.conversations.delete(target.channel, ts);
  return deleted ? done : fail(404, 'message_not_found');
}

function replaceOriginal(
  state: SlackState,
  target: ResponseTarget & { messageTs: string },
  message: ResponseMessage,
): ResponseOutcome {
  // Unlike chat.update, a replacement is the whole new message: what it leaves out is gone.
  const patch = { text: message.text ?? '', blocks: message.blocks ?? [], attachments: message.attachments ?? [] };
  // The original is an ephemeral message when the button was clicked in one.
  const replaced =
    state.conversations.updateEphemeral(target.messageTs, patch) ??
    state.conversations.update(target.channel, target.messageTs, patch, state.identity.botUserId);
  return replaced ? done : fail(404, 'message_not_found');
}
