import type { LiveEvent } from '../api-types.js';

export interface LiveHandlers {
  onEvent(event: LiveEvent): void;
  /** After a reconnect events may have been missed: everything should be fetched again. */
  onResync(): void;
}

/** Subscribes to the server's live updates; EventSource reconnects by itself after a drop. */
export function connectLive(handlers: LiveHandlers): () => void {
  const source = new EventSource('/playground/events');
  let dropped = false;
  const receive = (message: MessageEvent<string>) => {
    try {
      handlers.onEvent(JSON.parse(message.data) as LiveEvent);
    } catch {
      handlers.onResync();
    }
  };
  source.addEventListener('slack', receive);
  source.addEventListener('teams', receive);
  source.addEventListener('audit', receive);
  source.addEventListener('error', () => {
    dropped = true;
  });
  source.addEventListener('open', () => {
    if (dropped) handlers.onResync();
    dropped = false;
  });
  return () => source.close();
}
