import { toSlackMessage } from './conversations.js';
import type { Json, JsonObject } from './json.js';
import type { FakeMessage, FakeView, ViewStateValues } from './types.js';
import { toSlackView } from './view-store.js';

/**
 * Builders for the bodies Slack delivers to an app. Pure functions over what the fake knows, so
 * the shapes can be read (and checked against Slack's docs) in one place.
 */

/** Who the app is in the workspace, and how to name users and channels in payloads. */
export interface PayloadContext {
  teamId: string;
  teamDomain: string;
  appId: string;
  botUserId: string;
  userName(userId: string): string;
  channelName(channelId: string): string;
}

export interface EventEnvelope extends JsonObject {
  token: string;
  team_id: string;
  api_app_id: string;
  event: JsonObject;
  type: 'event_callback';
  event_id: string;
  event_time: number;
  authorizations: JsonObject[];
  is_ext_shared_channel: boolean;
}

/** Slack still sends the deprecated verification token; Bolt ignores it in favour of the signature. */
export const VERIFICATION_TOKEN = 'fake-verification-token';

export function eventEnvelope(ctx: PayloadContext, event: JsonObject, eventId: string, now: Date): EventEnvelope {
  return {
    token: VERIFICATION_TOKEN,
    team_id: ctx.teamId,
    api_app_id: ctx.appId,
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(now.getTime() / 1000),
    authorizations: [
      { enterprise_id: null, team_id: ctx.teamId, user_id: ctx.botUserId, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
  };
}

/** The `message` / `app_mention` event for a message the fake recorded. */
export function messageEvent(
  message: FakeMessage,
  type: 'message' | 'app_mention',
  extra: { channelType?: string; clientMsgId?: string } = {},
): JsonObject {
  return {
    ...(extra.clientMsgId !== undefined && { client_msg_id: extra.clientMsgId }),
    type,
    text: message.text,
    user: message.user,
    ts: message.ts,
    ...(message.blocks !== undefined && { blocks: message.blocks }),
    team: message.team,
    ...(message.thread_ts !== undefined && message.thread_ts !== message.ts && { thread_ts: message.thread_ts }),
    channel: message.channel,
    event_ts: message.ts,
    ...(extra.channelType !== undefined && { channel_type: extra.channelType }),
  };
}

export interface CommandFields {
  command: string;
  text: string;
  user: string;
  channel: string;
  triggerId: string;
  responseUrl: string;
}

/** A slash command, form-urlencoded as Slack posts it. */
export function commandForm(ctx: PayloadContext, c: CommandFields): URLSearchParams {
  return new URLSearchParams({
    token: VERIFICATION_TOKEN,
    team_id: ctx.teamId,
    team_domain: ctx.teamDomain,
    channel_id: c.channel,
    channel_name: ctx.channelName(c.channel),
    user_id: c.user,
    user_name: ctx.userName(c.user),
    command: c.command,
    text: c.text,
    api_app_id: ctx.appId,
    is_enterprise_install: 'false',
    response_url: c.responseUrl,
    trigger_id: c.triggerId,
  });
}

/** Interactivity payloads travel as a form with one `payload` field holding JSON. */
export function interactivityForm(payload: JsonObject): URLSearchParams {
  return new URLSearchParams({ payload: JSON.stringify(payload) });
}

function userRef(ctx: PayloadContext, user: string): JsonObject {
  const name = ctx.userName(user);
  return { id: user, username: name, name, team_id: ctx.teamId };
}

function interactionBase(ctx: PayloadContext, type: string, user: string, triggerId: string): JsonObject {
  return {
    type,
    user: userRef(ctx, user),
    api_app_id: ctx.appId,
    token: VERIFICATION_TOKEN,
    trigger_id: triggerId,
    team: { id: ctx.teamId, domain: ctx.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
  };
}

/** Where an interactive element lives in a message's or view's blocks, and the element itself. */
export function findActionElement(
  blocks: readonly JsonObject[],
  actionId: string,
): { blockId: string; element: JsonObject } | undefined {
  for (const [index, block] of blocks.entries()) {
    const candidates: Json[] = [
      ...(Array.isArray(block.elements) ? block.elements : []),
      ...(block.accessory !== undefined ? [block.accessory] : []),
      ...(block.element !== undefined ? [block.element] : []),
    ];
    for (const element of candidates) {
      if (typeof element === 'object' && element !== null && !Array.isArray(element) && element.action_id === actionId) {
        // Slack assigns a random block_id to blocks posted without one; a positional id is stable.
        const blockId = typeof block.block_id === 'string' ? block.block_id : `block-${index}`;
        return { blockId, element };
      }
    }
  }
  return undefined;
}

export interface BlockActionFields {
  user: string;
  triggerId: string;
  actionId: string;
  actionTs: string;
  blockId?: string;
  value?: string;
  /** Extra or overriding fields of the action, e.g. `{ type: 'static_select', selected_option }`. */
  action?: JsonObject;
}

function actionObject(blocks: readonly JsonObject[], f: BlockActionFields): JsonObject {
  const found = findActionElement(blocks, f.actionId);
  const element = found?.element ?? {};
  const value = f.value ?? (typeof element.value === 'string' ? element.value : undefined);
  return {
    action_id: f.actionId,
    block_id: f.blockId ?? found?.blockId ?? 'block-0',
    ...(element.text !== undefined && { text: element.text }),
    ...(value !== undefined && { value }),
    ...(element.style !== undefined && { style: element.style }),
    type: typeof element.type === 'string' ? element.type : 'button',
    action_ts: f.actionTs,
    ...f.action,
  };
}

/** block_actions for a click in a message; ephemeral messages are not echoed back, as in Slack. */
export function messageBlockActions(
  ctx: PayloadContext,
  f: BlockActionFields & { message: FakeMessage; responseUrl: string },
): JsonObject {
  const ephemeral = f.message.ephemeralTo !== undefined;
  return {
    ...interactionBase(ctx, 'block_actions', f.user, f.triggerId),
    container: { type: 'message', message_ts: f.message.ts, channel_id: f.message.channel, is_ephemeral: ephemeral },
    channel: { id: f.message.channel, name: ctx.channelName(f.message.channel) },
    ...(!ephemeral && { message: toSlackMessage(f.message) }),
    state: { values: {} },
    response_url: f.responseUrl,
    actions: [actionObject(f.message.blocks ?? [], f)],
  };
}

/** block_actions for a click inside a modal or App Home (no response_url there). */
export function viewBlockActions(ctx: PayloadContext, f: BlockActionFields & { view: FakeView }): JsonObject {
  return {
    ...interactionBase(ctx, 'block_actions', f.user, f.triggerId),
    container: { type: 'view', view_id: f.view.id },
    view: toSlackView(f.view),
    actions: [actionObject(f.view.blocks, f)],
  };
}

/**
 * block_suggestion: a user typing into an external select in a modal. Slack sends the view with the
 * form's state as it is at that moment (so the app can read earlier choices) and no trigger_id.
 */
export function blockSuggestion(
  ctx: PayloadContext,
  f: { user: string; view: FakeView; values: ViewStateValues; actionId: string; blockId: string; value: string },
): JsonObject {
  const { trigger_id: _noTrigger, ...base } = interactionBase(ctx, 'block_suggestion', f.user, '');
  return {
    ...base,
    container: { type: 'view', view_id: f.view.id },
    action_id: f.actionId,
    block_id: f.blockId,
    value: f.value,
    view: { ...toSlackView(f.view), state: { values: f.values } },
  };
}

export function viewSubmission(
  ctx: PayloadContext,
  f: { user: string; triggerId: string; view: FakeView; values: ViewStateValues },
): JsonObject {
  return {
    ...interactionBase(ctx, 'view_submission', f.user, f.triggerId),
    view: { ...toSlackView(f.view), state: { values: f.values } },
    response_urls: [],
  };
}
