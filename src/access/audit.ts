import type { AccessDeps } from './deps.js';

/** Appends an audit event that is not part of a state transition (those are written with it). */
export async function recordAudit(
  deps: Pick<AccessDeps, 'store' | 'clock' | 'ids'>,
  event: { requestId: string | null; actorId: string; type: string; detail: Record<string, unknown> },
): Promise<void> {
  await deps.store.appendAudit({ id: deps.ids.eventId(), at: deps.clock.now().toISOString(), ...event });
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
