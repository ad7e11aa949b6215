/** The publishing side only, so a part of the model can emit without being able to subscribe. */
export interface Emitter<Events extends object> {
  emit<K extends keyof Events>(event: K, payload: Events[K]): void;
}

/**
 * A tiny typed event emitter. Node's EventEmitter would type listeners as `any[]`; this keeps the
 * payload types of the fake's live events precise for the playground page and tests.
 */
export class TypedEmitter<Events extends object> implements Emitter<Events> {
  private readonly listeners = new Map<keyof Events, Set<(payload: never) => void>>();

  /** Subscribes; returns the unsubscribe function (handy for a page's SSE connection). */
  on<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as (payload: never) => void);
    return () => this.off(event, listener);
  }

  off<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): void {
    this.listeners.get(event)?.delete(listener as (payload: never) => void);
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      // A failing subscriber (e.g. a closed page) must not break the fake's answer to the bot,
      // so it is reported rather than thrown into the HTTP handler.
      try {
        (listener as (payload: Events[K]) => void)(payload);
      } catch (error) {
        console.error(`fake-slack: a '${String(event)}' listener failed`, error);
      }
    }
  }

  removeAll(): void {
    this.listeners.clear();
  }
}
