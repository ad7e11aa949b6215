import type { Emitter } from './emitter.js';
import { newViewHash, newViewId } from './ids.js';
import type { JsonObject } from './json.js';
import type { ViewPayload } from './schemas.js';
import type { FakeView, ViewChange, ViewStateValues } from './types.js';

export type ViewResult = { ok: true; view: FakeView } | { ok: false; error: string };

export interface ViewOwner {
  teamId: string;
  appId: string;
  botId: string;
}

/** Slack allows a modal stack of at most 3 views. */
const MAX_MODAL_STACK = 3;

const copy = (view: FakeView): FakeView => structuredClone(view);

/**
 * Open views: per user a stack of modals (views.open / views.push) and an App Home
 * (views.publish). Each version gets a new hash so stale views.update calls can be refused.
 */
export class ViewStore {
  private readonly byId = new Map<string, FakeView>();
  private readonly modalStacks = new Map<string, string[]>();
  private readonly homes = new Map<string, string>();

  constructor(
    private readonly owner: ViewOwner,
    private readonly events: Emitter<{ view: ViewChange }>,
  ) {}

  open(user: string, payload: ViewPayload): ViewResult {
    const duplicate = this.duplicateExternalId(payload);
    if (duplicate) return duplicate;
    // A new modal replaces whatever modal the user had open.
    this.clear(user);
    const id = newViewId();
    const view = this.build(user, payload, { id, root: id, previous: null });
    this.modalStacks.set(user, [id]);
    return this.store(view, 'opened');
  }

  push(user: string, payload: ViewPayload): ViewResult {
    const stack = this.modalStacks.get(user) ?? [];
    if (stack.length >= MAX_MODAL_STACK) return { ok: false, error: 'push_limit_reached' };
    const duplicate = this.duplicateExternalId(payload);
    if (duplicate) return duplicate;
    const id = newViewId();
    const previous = stack.at(-1) ?? null;
    const root = stack[0] ?? id;
    const view = this.build(user, payload, { id, root, previous });
    this.modalStacks.set(user, [...stack, id]);
    return this.store(view, 'pushed');
  }

  /** views.update: by id or external_id; a given hash must match the current version. */
  update(ref: { viewId?: string; externalId?: string }, payload: ViewPayload, hash?: string): ViewResult {
    const current = this.find(ref);
    if (!current) return { ok: false, error: 'not_found' };
    if (hash !== undefined && hash !== current.hash) return { ok: false, error: 'hash_conflict' };
    const view = this.build(current.user, payload, {
      id: current.id,
      root: current.root_view_id,
      previous: current.previous_view_id,
      state: current.state.values,
      externalId: payload.external_id ?? current.external_id,
    });
    return this.store(view, 'updated');
  }

  publish(user: string, payload: ViewPayload): ViewResult {
    const existing = this.homes.get(user);
    const id = existing ?? newViewId();
    const view = this.build(user, { ...payload, type: 'home' }, { id, root: id, previous: null });
    this.homes.set(user, id);
    return this.store(view, existing ? 'updated' : 'published');
  }

  get(viewId: string): FakeView | undefined {
    const view = this.byId.get(viewId);
    return view && copy(view);
  }

  all(): Map<string, FakeView> {
    return new Map([...this.byId].map(([id, view]) => [id, copy(view)]));
  }

  /** Records what the user typed, as the view's state at submission time. */
  setState(viewId: string, values: ViewStateValues): void {
    const view = this.byId.get(viewId);
    if (view) view.state = { values: structuredClone(values) };
  }

  /** Closes a modal and the ones pushed above it (what an empty view_submission ack does). */
  close(viewId: string): void {
    const view = this.byId.get(viewId);
    if (!view) return;
    const stack = this.modalStacks.get(view.user) ?? [];
    const index = stack.indexOf(viewId);
    if (index < 0) return;
    for (const id of stack.slice(index).reverse()) this.remove(id);
    if (index === 0) this.modalStacks.delete(view.user);
    else this.modalStacks.set(view.user, stack.slice(0, index));
  }

  /** Closes the user's whole modal stack (response_action "clear"). */
  clear(user: string): void {
    const stack = this.modalStacks.get(user);
    if (stack?.[0] !== undefined) this.close(stack[0]);
  }

  reset(): void {
    this.byId.clear();
    this.modalStacks.clear();
    this.homes.clear();
  }

  private remove(id: string): void {
    const view = this.byId.get(id);
    if (!view) return;
    this.byId.delete(id);
    this.events.emit('view', { kind: 'closed', view: copy(view) });
  }

  private find(ref: { viewId?: string; externalId?: string }): FakeView | undefined {
    if (ref.viewId) return this.byId.get(ref.viewId);
    if (ref.externalId) return [...this.byId.values()].find((view) => view.external_id === ref.externalId);
    return undefined;
  }

  private duplicateExternalId(payload: ViewPayload): ViewResult | undefined {
    if (!payload.external_id) return undefined;
    const taken = [...this.byId.values()].some((view) => view.external_id === payload.external_id);
    return taken ? { ok: false, error: 'duplicate_external_id' } : undefined;
  }

  private store(view: FakeView, kind: ViewChange['kind']): ViewResult {
    this.byId.set(view.id, view);
    this.events.emit('view', { kind, view: copy(view) });
    return { ok: true, view: copy(view) };
  }

  private build(
    user: string,
    payload: ViewPayload,
    place: { id: string; root: string; previous: string | null; state?: ViewStateValues; externalId?: string },
  ): FakeView {
    return {
      id: place.id,
      type: payload.type,
      user,
      team_id: this.owner.teamId,
      app_id: this.owner.appId,
      bot_id: this.owner.botId,
      hash: newViewHash(),
      callback_id: payload.callback_id ?? '',
      private_metadata: payload.private_metadata ?? '',
      external_id: place.externalId ?? payload.external_id ?? '',
      ...(payload.title !== undefined && { title: payload.title }),
      ...(payload.submit !== undefined && { submit: payload.submit }),
      ...(payload.close !== undefined && { close: payload.close }),
      blocks: payload.blocks,
      state: { values: place.state ?? {} },
      root_view_id: place.root,
      previous_view_id: place.previous,
      clear_on_close: payload.clear_on_close ?? false,
      notify_on_close: payload.notify_on_close ?? false,
    };
  }
}

/** The view as Slack's API returns it (without the fake's own `user` bookkeeping). */
export function toSlackView(view: FakeView): JsonObject {
  const { user: _user, ...slack } = view;
  return { ...structuredClone(slack), app_installed_team_id: view.team_id } as JsonObject;
}
