import { conversationKey } from '../../access/workflows/converse.js';
import type { Origin } from '../../access/types.js';
import type { TeamsHandlerContext } from './context.js';

// A personal chat left this long without an answer starts afresh: the next words are a new request.
const SESSION_IDLE_MS = 60 * 60_000;

/**
 * Where a message in a personal chat belongs. Slack DMs have threads, one per request; a Teams
 * personal chat is one endless stream. So the chat holds one open request conversation (a session,
 * named by the id of the message that began it): words go to it while it still asks questions or
 * shows an unsubmitted draft, and a message after a submitted, cancelled or idle request begins a
 * new one. Without this, a second request would be drafted from the first request's words too.
 */
export async function personalOrigin(
  ctx: Pick<TeamsHandlerContext, 'deps' | 'addresses'>,
  conversationId: string,
  userId: string,
  activityId: string,
): Promise<Origin> {
  const current = await ctx.addresses.session(conversationId);
  if (current) {
    const origin: Origin = { platform: 'teams', channel: conversationId, threadTs: current };
    if (await isOpen(ctx, origin, userId)) return origin;
  }
  await ctx.addresses.saveSession(conversationId, activityId);
  return { platform: 'teams', channel: conversationId, threadTs: activityId };
}

/** Starts a new session (e.g. for a request made with the form), so following words refine that draft. */
export async function startSession(ctx: Pick<TeamsHandlerContext, 'addresses'>, conversationId: string, threadTs: string): Promise<Origin> {
  await ctx.addresses.saveSession(conversationId, threadTs);
  return { platform: 'teams', channel: conversationId, threadTs };
}

async function isOpen(ctx: Pick<TeamsHandlerContext, 'deps'>, origin: Origin, userId: string): Promise<boolean> {
  const conversation = await ctx.deps.store.getConversation(conversationKey(origin));
  if (!conversation || conversation.userId !== userId) return false;
  if (ctx.deps.clock.now().getTime() - new Date(conversation.updatedAt).getTime() > SESSION_IDLE_MS) return false;
  if (!conversation.requestId) return true;
  const request = await ctx.deps.store.getRequest(conversation.requestId);
  return request?.state === 'drafting';
}

/**
 * A channel message's thread. Teams names a channel thread's conversation `<channel>;messageid=<root>`,
 * and posting to that conversation replies in the thread.
 */
export function channelOrigin(conversationId: string, activityId: string): Origin {
  const root = /;messageid=(\d+)$/.exec(conversationId)?.[1];
  return root
    ? { platform: 'teams', channel: conversationId, threadTs: root }
    : { platform: 'teams', channel: `${conversationId};messageid=${activityId}`, threadTs: activityId };
}
