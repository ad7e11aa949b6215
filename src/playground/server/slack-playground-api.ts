import { newClientMsgId } from '../fake-slack/ids.js';
import { messageEvent } from '../fake-slack/payloads.js';
import type { FakeSlackWebApi, SendResult, SlackEventSender } from '../fake-slack/index.js';
import { actionSelection, buildViewState, findElement } from '../block-kit/index.js';
import type { SlackSnapshot, SubmitViewResult, SuggestResult } from '../api-types.js';
import type { BlockActionRequest, CloseViewRequest, PostMessageRequest, SubmitViewRequest, SuggestRequest } from './api-schemas.js';
import { ViewErrorsAck } from './api-schemas.js';
import { type MentionDirectory, parseComposerInput } from './composer-text.js';
import { HttpError } from './http.js';
import { slackSnapshot } from './slack-snapshot.js';

export interface SlackPlaygroundDeps {
  fake: FakeSlackWebApi;
  sender: SlackEventSender;
  botName: string;
  /** Commands the app registered; undefined lets every command through. */
  commands: readonly string[] | undefined;
}

/**
 * What a person does in the Slack tab, done the way Slack does it: the fake records what they
 * typed, and the sender delivers the signed event, command or interaction to the real Bolt app.
 */
export class SlackPlaygroundApi {
  private readonly mentions: MentionDirectory;

  constructor(private readonly deps: SlackPlaygroundDeps) {
    const { fake } = deps;
    this.mentions = {
      users: new Map([[deps.botName.toLowerCase(), fake.botUserId], ...fake.users().map((u): [string, string] => [u.name.toLowerCase(), u.id])]),
      channels: new Map(fake.channels().map((c): [string, string] => [c.name.toLowerCase(), c.id])),
    };
  }

  snapshot(as: string): SlackSnapshot {
    this.requireMember(as);
    return slackSnapshot(this.deps.fake, as, this.deps.botName);
  }

  async postMessage(request: PostMessageRequest): Promise<void> {
    const { fake, sender } = this.deps;
    this.requireMember(request.as);
    const kind = this.requireConversation(request.as, request.channel);
    const input = parseComposerInput(request.text, this.mentions);
    if (input.kind === 'command') {
      if (request.file) throw new HttpError(400, `Slack cannot attach a file to ${input.command}. Send the file with a message such as \`guardrails set\` or \`scan import sandbox\` instead.`);
      if (this.deps.commands && !this.deps.commands.includes(input.command)) {
        throw new HttpError(404, `${input.command} is not a valid command. This app has ${this.deps.commands.join(', ') || 'no commands'}.`);
      }
      // Slack has no slash commands in threads: the command runs in the conversation.
      expectAck(await sender.command(input.command, input.text, { user: request.as, channel: request.channel }), input.command);
      return;
    }
    if (request.file) {
      // An upload: the file is stored, then shared with the message. Slack would also send
      // app_mention for words that mention Warden; Warden acts on the file_share message only.
      const file = fake.putFile({ user: request.as, name: request.file.name, content: request.file.text });
      const shared = await sender.fileShare({ user: request.as, channel: request.channel, text: input.text, channelType: kind, files: [file.id], ...(request.threadTs && { threadTs: request.threadTs }) });
      expectAck(shared, 'the file_share message event');
      return;
    }
    const message = fake.postUserMessage({ user: request.as, channel: request.channel, text: input.text, ...(request.threadTs && { threadTs: request.threadTs }) });
    const clientMsgId = newClientMsgId();
    // Slack sends a channel message that mentions the app twice, as `message` and `app_mention`.
    expectAck(await sender.event(messageEvent(message, 'message', { channelType: kind, clientMsgId })), 'the message event');
    if (kind === 'channel' && input.text.includes(`<@${fake.botUserId}>`)) {
      expectAck(await sender.event(messageEvent(message, 'app_mention', { clientMsgId })), 'the app_mention event');
    }
  }

  async blockAction(request: BlockActionRequest): Promise<void> {
    const { fake, sender } = this.deps;
    this.requireMember(request.as);
    const { target } = request;
    let blocks: unknown;
    if (target.kind === 'message') {
      this.requireConversation(request.as, target.channel);
      const message = fake.message(target.channel, target.ts);
      if (!message || (message.ephemeralTo !== undefined && message.ephemeralTo !== request.as)) throw new HttpError(404, 'no such message');
      blocks = message.blocks;
    } else {
      blocks = this.requireView(request.as, target.viewId).blocks;
    }
    const found = findElement(blocks, request.actionId, request.blockId);
    if (!found) throw new HttpError(404, `no element ${request.actionId} to use`);
    const action = actionSelection(found.element, request.selection ?? null);
    const place = target.kind === 'message' ? { message: { channel: target.channel, ts: target.ts } } : { viewId: target.viewId };
    const result = await sender.blockAction({ user: request.as, actionId: request.actionId, blockId: found.blockId, action, ...place });
    expectAck(result, 'the block_actions payload');
  }

  async submitView(request: SubmitViewRequest): Promise<SubmitViewResult> {
    const view = this.requireView(request.as, request.viewId);
    const values = buildViewState(view.blocks, request.values);
    const result = await this.deps.sender.viewSubmission({ user: request.as, viewId: view.id, values });
    expectAck(result, 'the view_submission payload');
    const ack = ViewErrorsAck.safeParse(result.body);
    return { ok: true, errors: ack.success ? ack.data.errors : {} };
  }

  /** Typing into an external select: the app's options for the text, asked as Slack asks (block_suggestion). */
  async suggest(request: SuggestRequest): Promise<SuggestResult> {
    const view = this.requireView(request.as, request.viewId);
    const values = buildViewState(view.blocks, request.values);
    const result = await this.deps.sender.blockSuggestion({ user: request.as, viewId: view.id, blockId: request.blockId, actionId: request.actionId, value: request.value, values });
    expectAck(result, 'the block_suggestion payload');
    return { ok: true, groups: result.options.groups };
  }

  closeView(request: CloseViewRequest): void {
    this.requireView(request.as, request.viewId);
    this.deps.fake.closeView(request.viewId);
  }

  private requireMember(user: string): void {
    if (!this.deps.fake.users().some((u) => u.id === user)) throw new HttpError(404, `${user} is not a member of this workspace`);
  }

  /** A person may write in the channels and in their own DM with the bot, nowhere else. */
  private requireConversation(user: string, channel: string): 'im' | 'channel' {
    const { fake } = this.deps;
    if (channel === fake.dmChannelOf(user)) return 'im';
    if (fake.channels().some((c) => c.id === channel)) return 'channel';
    throw new HttpError(404, `${user} has no conversation ${channel}`);
  }

  private requireView(user: string, viewId: string) {
    const view = this.deps.fake.view(viewId);
    if (!view || view.user !== user) throw new HttpError(404, 'no such open view');
    return view;
  }
}

/** Bolt answers 200 once a listener acked; anything else means the app refused or failed it. */
function expectAck(result: SendResult, what: string): void {
  if (result.status !== 200) throw new HttpError(502, `the app answered ${what} with HTTP ${result.status}`);
}
