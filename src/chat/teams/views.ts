import type { Directory } from '../../access/directory.js';
import type { AccessRequest } from '../../access/types.js';
import type { ActionId, Card } from '../cards/model.js';
import { approvalCard, draftPreviewCard, statusCard } from '../cards/request-cards.js';
import { prefillFromDraft } from '../slack/modals.js';
import { cardActionIds, renderAdaptiveCard, type AdaptiveCard, type Refresh, type RenderOptions } from './adaptive.js';
import { denyForm, requestForm } from './forms.js';

/** Which card of a request a Teams message shows, so a refresh re-renders the same one. */
export const CARD_VIEWS = ['approval', 'draft', 'status'] as const;
export type CardView = (typeof CARD_VIEWS)[number];

/** The Action.Execute verb Teams clients send to fetch a user's own view of a card. */
export const REFRESH_VERB = 'refresh';

export function modelCard(view: CardView, request: AccessRequest, directory: Directory): Card {
  switch (view) {
    case 'approval':
      return approvalCard(request, directory);
    case 'draft':
      return draftPreviewCard(request, directory);
    case 'status':
      return statusCard(request, directory);
  }
}

/** The view a posted card shows, from the purpose the workflow gave it and the buttons it has. */
export function viewOfPostedCard(card: Card, purpose: 'approval' | 'draft' | undefined): CardView {
  if (purpose === 'approval') return 'approval';
  return cardActionIds(card).includes('grant.release') ? 'status' : 'draft';
}

/**
 * What this person may click on this request now. It mirrors the workflows' own checks (submit,
 * cancel and release are the requester's; approve and deny are for named approvers other than the
 * requester who have not voted yet) and only decides which buttons are shown: every click is
 * checked again by the workflow itself.
 */
export function allowedActions(request: AccessRequest, userId: string): Set<ActionId> {
  const isRequester = request.requesterId === userId;
  switch (request.state) {
    case 'drafting':
      return new Set(isRequester ? (['draft.submit', 'draft.edit', 'draft.cancel'] as const) : []);
    case 'pending_approval': {
      const mayVote = !isRequester && request.approverIds.includes(userId) && !request.approvals.some((a) => a.userId === userId);
      return new Set(mayVote ? (['request.approve', 'request.deny'] as const) : []);
    }
    case 'active':
      return new Set(isRequester ? (['grant.release'] as const) : []);
    default:
      return new Set();
  }
}

/** Everyone who may act on the request now, as org user ids. */
export function actors(request: AccessRequest): string[] {
  const people = new Set([request.requesterId, ...request.approverIds]);
  return [...people].filter((id) => allowedActions(request, id).size > 0);
}

/** Teams addresses users in `refresh.userIds` by MRI; an Entra ID user's is `8:orgid:<object id>`. */
export function teamsMri(aadObjectId: string): string {
  return `8:orgid:${aadObjectId.toLowerCase()}`;
}

export function refreshFor(request: AccessRequest, view: CardView, directory: Directory): Refresh | undefined {
  const userIds = actors(request).flatMap((id) => {
    const aad = directory.user(id)?.aadObjectId;
    return aad ? [teamsMri(aad)] : [];
  });
  if (userIds.length === 0) return undefined;
  return { action: { type: 'Action.Execute', title: 'Refresh', verb: REFRESH_VERB, data: { requestId: request.id, view } }, userIds };
}

/**
 * The card everyone in the conversation sees: the facts and the state, no buttons. People who may
 * act are listed in `refresh`, so their clients fetch `viewFor` them, with the buttons they may use.
 */
export function sharedView(request: AccessRequest, view: CardView, directory: Directory): AdaptiveCard {
  return renderCard(modelCard(view, request, directory), request, view, directory, { showAction: () => false });
}

/** One person's view: the buttons they may use (Deny with its reason input, Edit with the form), and an optional note. */
export function viewFor(
  request: AccessRequest,
  view: CardView,
  userId: string | undefined,
  directory: Directory,
  note?: RenderOptions['note'],
): AdaptiveCard {
  const allowed = userId ? allowedActions(request, userId) : new Set<ActionId>();
  return renderCard(modelCard(view, request, directory), request, view, directory, {
    showAction: (action) => allowed.has(action.id),
    forms: {
      'request.deny': denyForm(),
      'draft.edit': requestForm(directory.org.accounts, prefillFromDraft(request.draft), 'Redraft'),
    },
    ...(note ? { note } : {}),
  });
}

function renderCard(card: Card, request: AccessRequest, view: CardView, directory: Directory, options: RenderOptions): AdaptiveCard {
  const refresh = refreshFor(request, view, directory);
  return renderAdaptiveCard(card, { ...options, ...(refresh ? { refresh } : {}) });
}
