import { approvalCard, draftPreviewCard } from '../../chat/cards/request-cards.js';
import { errorText, recordAudit } from '../audit.js';
import type { AccessDeps } from '../deps.js';
import type { AccessRequest } from '../types.js';

/**
 * Re-renders every posted copy of a request's cards so approvers and the requester all see the
 * current state. A copy that fails to update is logged in the audit trail, not fatal: the state is
 * already stored and the other copies should still update.
 */
export async function syncCards(deps: Pick<AccessDeps, 'store' | 'notifier' | 'directory' | 'clock' | 'ids'>, request: AccessRequest): Promise<void> {
  const refs = await deps.store.listMessageRefs(request.id);
  await Promise.all(
    refs.map(async (ref) => {
      const card = ref.purpose === 'approval' ? approvalCard(request, deps.directory) : draftPreviewCard(request, deps.directory);
      try {
        await deps.notifier.update(ref, card);
      } catch (error) {
        await recordAudit(deps, {
          requestId: request.id,
          actorId: 'warden',
          type: 'card.update_failed',
          detail: { channel: ref.channel, ts: ref.ts, error: errorText(error) },
        });
      }
    }),
  );
}
