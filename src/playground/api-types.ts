/**
 * The playground page's JSON API: what the server answers. Types only, shared by the server and
 * the page (esbuild drops them from the bundle). Requests are parsed on the server with zod
 * (server/api-schemas.ts).
 */

/** A chat platform the page shows as a tab: Slack always, Teams when the playground runs it. */
export interface PlatformInfo {
  id: 'slack' | 'teams';
  label: string;
}

export interface OrgPerson {
  /** Org user id from org.yaml ("ana"). */
  id: string;
  name: string;
  email: string | null;
  /** The Slack member id the page acts as; null when the user has none (they cannot use Slack). */
  slackId: string | null;
  /** The Entra ID object id the Teams tab acts as; null when the user has none (they cannot use Teams). */
  aadObjectId: string | null;
  groups: string[];
  /** Names of the access rules that name this person as an approver. */
  approves: string[];
  role: 'approver' | 'requester';
}

export interface OrgInfo {
  workspace: string;
  bot: { slackId: string; name: string };
  people: OrgPerson[];
  channels: ChannelInfo[];
  platforms: PlatformInfo[];
  /** Slash commands the app registers (from the Slack app manifest). */
  commands: string[];
}

export interface ChannelInfo {
  id: string;
  name: string;
}

export interface Conversation {
  id: string;
  kind: 'channel' | 'im';
  /** "access-requests" for a channel; the bot's name for the DM with it. */
  name: string;
}

export interface PageMessage {
  ts: string;
  /** Set on thread replies (not on the parent). */
  threadTs: string | null;
  user: string;
  bot: boolean;
  text: string;
  blocks: unknown[] | null;
  replyCount: number;
  latestReply: string | null;
  edited: boolean;
  /** Only the acting user sees it (chat.postEphemeral, ephemeral responses). */
  ephemeral: boolean;
  /** Names of the files shared with it (an upload), if any. */
  files?: string[];
}

export interface PageModal {
  id: string;
  hash: string;
  view: unknown;
}

export interface SlackSnapshot {
  as: string;
  conversations: Conversation[];
  /** By conversation id: top-level messages and thread replies, oldest first. */
  messages: Record<string, PageMessage[]>;
  /** The acting user's open modal (top of their stack), if any. */
  modal: PageModal | null;
}

export interface AwsCallView {
  id: string;
  at: string;
  requestId: string | null;
  mode: string;
  service: string;
  operation: string;
  /** The call's input without its policy documents. */
  params: Record<string, unknown>;
  /** Policy documents of the input (PolicyDocument, AssumeRolePolicyDocument…), pretty-printed. */
  documents: { name: string; json: string }[];
}

export interface AuditEventView {
  id: string;
  at: string;
  requestId: string | null;
  actorId: string;
  actorName: string;
  type: string;
  detail: Record<string, unknown>;
}

/** The options the app answered for text typed into an external select, by group ('' when ungrouped). */
export interface SuggestResult {
  ok: true;
  groups: Array<{ label: string; options: Array<{ text: string; value: string; description?: string }> }>;
}

export interface SubmitViewResult {
  ok: true;
  /** `response_action: errors` from the bot, by block id; empty when the modal was accepted. */
  errors: Record<string, string>;
}

export interface ApiError {
  ok: false;
  error: string;
}

/** A conversation of the Teams tab: the acting person's personal chat with Warden, or a team channel. */
export interface TeamsConversationView {
  id: string;
  kind: 'personal' | 'channel';
  /** "Warden" for the personal chat; the channel's name. */
  name: string;
}

export interface TeamsPageMessage {
  id: string;
  /** The conversation the message is in (a channel post's own thread conversation). */
  conversationId: string;
  bot: boolean;
  fromName: string;
  text: string | null;
  /** The Adaptive Card as the acting person sees it (their refreshed view when the card names them). */
  card: unknown;
  createdAt: string;
  edited: boolean;
}

export interface TeamsSnapshot {
  as: string;
  conversations: TeamsConversationView[];
  /** By conversation id (a channel's id for all its threads), oldest first. */
  messages: Record<string, TeamsPageMessage[]>;
}

/** Server-sent events on /playground/events. */
export type LiveEvent =
  | { type: 'slack'; kind: 'message' | 'view'; channel: string | null }
  | { type: 'teams'; conversation: string }
  | { type: 'audit'; count: number };
