import type { Clock } from '../../clock.js';
import { Conversations, type MessagePatch } from './conversations.js';
import { Directory } from './directory.js';
import { FakeFiles } from './files.js';
import { TypedEmitter } from './emitter.js';
import { Handles } from './handles.js';
import { TsGenerator } from './ids.js';
import type { FakeChannelInput, FakeMessage, FakeSlackEvents, FakeUserInput } from './types.js';
import { ViewStore } from './view-store.js';

/** Who the fake workspace and its one installed app are. */
export interface Identity {
  botToken: string;
  teamId: string;
  teamDomain: string;
  appId: string;
  botUserId: string;
  botId: string;
  botName: string;
}

export interface StateOptions {
  clock: Clock;
  triggerTtlMs: number;
  users: readonly FakeUserInput[];
  channels: readonly FakeChannelInput[];
}

export interface BotMessage extends MessagePatch {
  channel: string;
  threadTs?: string;
}

/**
 * Everything the fake workspace holds, in one place that HTTP-free code (method handlers, the
 * response_url handler, the event sender) can act on. It emits the live events.
 */
export class SlackState {
  readonly events = new TypedEmitter<FakeSlackEvents>();
  readonly conversations: Conversations;
  readonly views: ViewStore;
  readonly directory: Directory;
  readonly handles: Handles;
  readonly ts: TsGenerator;
  readonly files: FakeFiles;
  /** Where the server listens (set once it does): file download URLs point there. */
  fileBaseUrl = '';

  constructor(
    readonly identity: Identity,
    readonly options: StateOptions,
  ) {
    this.ts = new TsGenerator(options.clock);
    this.conversations = new Conversations(this.ts, this.events);
    this.views = new ViewStore(identity, this.events);
    this.directory = new Directory({ ...identity, users: options.users, channels: options.channels });
    this.handles = new Handles(options.clock, options.triggerTtlMs);
    this.files = new FakeFiles(() => options.clock.now());
  }

  now(): Date {
    return this.options.clock.now();
  }

  postAsBot(input: BotMessage): FakeMessage {
    return this.conversations.post({
      channel: input.channel,
      user: this.identity.botUserId,
      botId: this.identity.botId,
      appId: this.identity.appId,
      team: this.identity.teamId,
      text: input.text ?? '',
      ...optional(input),
    });
  }

  postEphemeralAsBot(input: BotMessage & { visibleTo: string }): FakeMessage {
    return this.conversations.postEphemeral({
      channel: input.channel,
      visibleTo: input.visibleTo,
      user: this.identity.botUserId,
      botId: this.identity.botId,
      appId: this.identity.appId,
      team: this.identity.teamId,
      text: input.text ?? '',
      ...optional(input),
    });
  }

  /** Clears conversations, views and handles; keeps the configured users and channels. */
  reset(): void {
    this.conversations.clear();
    this.views.reset();
    this.handles.reset();
    this.files.clear();
    this.directory.forgetOpenConversations();
  }
}

/** Optional content, passed through as is (undefined fields are left out when the message is built). */
function optional(input: BotMessage): MessagePatch & { threadTs?: string } {
  return { blocks: input.blocks, attachments: input.attachments, metadata: input.metadata, threadTs: input.threadTs };
}
