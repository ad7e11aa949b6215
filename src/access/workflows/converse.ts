import { draftPreviewCard, problemsCard, questionsCard } from '../../chat/cards/request-cards.js';
import { notice } from '../../chat/cards/request-cards.js';
import type { Conversation } from '../../store/store.js';
import { checkDraft } from '../checks.js';
import type { AccessDeps } from '../deps.js';
import type { DraftResult } from '../drafter.js';
import { UserFacingError } from '../errors.js';
import { transition } from '../transition.js';
import { syncCards } from './sync-cards.js';
import type { AccessRequest, Origin, PermissionDraft } from '../types.js';

export interface IncomingMessage {
  /** Org user id of the sender (already resolved from the chat user id). */
  userId: string;
  origin: Origin;
  text: string;
  /** The platform's delivery id; a second delivery of the same id is ignored. */
  deliveryId?: string;
}

const DELIVERY_TTL_SECONDS = 24 * 60 * 60;

export function conversationKey(origin: Origin): string {
  return `${origin.platform}:${origin.channel}:${origin.threadTs}`;
}

/**
 * A requester wrote in a DM or mentioned the bot. The whole thread's words are drafted again each
 * time, so answering a follow-up question simply completes the request.
 */
export async function handleRequesterMessage(deps: AccessDeps, message: IncomingMessage): Promise<void> {
  const now = deps.clock.now().toISOString();
  if (message.deliveryId && !(await deps.store.claimDelivery(`message:${message.deliveryId}`, now, DELIVERY_TTL_SECONDS))) return;

  const key = conversationKey(message.origin);
  const conversation: Conversation = (await deps.store.getConversation(key)) ?? {
    key,
    userId: message.userId,
    turns: [],
    requestId: null,
    updatedAt: now,
  };
  if (conversation.userId !== message.userId) {
    // Someone else replied in another person's thread: their words must not change that person's request.
    await deps.notifier.post({ kind: 'thread', origin: message.origin }, notice('Only the person who started this request can change it. Start your own thread to ask for access.'));
    return;
  }
  conversation.turns.push({ role: 'user', text: message.text, at: now });

  const userTexts = conversation.turns.filter((t) => t.role === 'user').map((t) => t.text);
  const history = conversation.turns.map(({ role, text }) => ({ role, text }));
  const result = await deps.drafter.fromText({ messages: userTexts, requesterId: message.userId, history });
  const reply = await presentDraftResult(deps, message.userId, message.origin, result, conversation.requestId);
  conversation.turns.push({ role: 'bot', text: reply.text, at: now });
  conversation.requestId = reply.requestId ?? conversation.requestId;
  conversation.updatedAt = now;
  await deps.store.saveConversation(conversation);
}

/**
 * Shows a drafting result in the request's thread: questions, an error, the problems found by the
 * checks, or the stored draft with its preview card. `existingRequestId` is the draft being edited.
 */
export async function presentDraftResult(
  deps: AccessDeps,
  requesterId: string,
  origin: Origin,
  result: DraftResult,
  existingRequestId: string | null,
): Promise<{ text: string; requestId?: string }> {
  const thread = { kind: 'thread', origin } as const;
  if (result.kind === 'questions') {
    await deps.notifier.post(thread, questionsCard(result.questions));
    return { text: result.questions.join('\n') };
  }
  if (result.kind === 'error') {
    await deps.notifier.post(thread, notice(result.message));
    return { text: result.message };
  }
  const checked = await checkDraft(deps, requesterId, result.draft);
  if (!checked.ok) {
    const card = problemsCard('I drafted a request but it cannot be submitted as it is:', checked.problems);
    await deps.notifier.post(thread, card);
    return { text: card.fallback };
  }
  const request = await saveDraft(deps, requesterId, origin, result.draft, checked, existingRequestId);
  // Earlier previews of an edited draft show the new version too, so no stale Submit remains.
  if (request.version > 1) await syncCards(deps, request);
  const ref = await deps.notifier.post(thread, draftPreviewCard(request, deps.directory), 'draft');
  await deps.store.addMessageRef(request.id, ref);
  return { text: `Drafted request ${request.id}.`, requestId: request.id };
}

async function saveDraft(
  deps: AccessDeps,
  requesterId: string,
  origin: Origin,
  draft: PermissionDraft,
  checked: Extract<Awaited<ReturnType<typeof checkDraft>>, { ok: true }>,
  existingRequestId: string | null,
): Promise<AccessRequest> {
  const fields = { draft, risk: checked.risk, approverIds: checked.route.approverIds, quorum: checked.route.quorum };
  const existing = existingRequestId ? await deps.store.getRequest(existingRequestId) : undefined;
  if (existing && existing.state === 'drafting' && existing.requesterId === requesterId) {
    const updated = await transition(deps, existing, { to: 'drafting', actorId: requesterId, event: 'request.redrafted', change: () => fields });
    if (!updated) throw new UserFacingError('This draft changed while you were editing it. Look at the latest preview in the thread and try again.');
    return updated;
  }
  const now = deps.clock.now().toISOString();
  const request: AccessRequest = {
    id: deps.ids.requestId(),
    state: 'drafting',
    version: 1,
    requesterId,
    ...fields,
    approvals: [],
    origin,
    createdAt: now,
    updatedAt: now,
  };
  await deps.store.createRequest(request, {
    id: deps.ids.eventId(),
    at: now,
    requestId: request.id,
    actorId: requesterId,
    type: 'request.drafted',
    detail: { draft },
  });
  return request;
}
