import { escapeHtml, type RenderContext } from '../../block-kit/index.js';
import type { Conversation, LiveEvent, OrgInfo, OrgPerson, PageMessage, SlackSnapshot } from '../../api-types.js';
import { api } from '../api-client.js';
import { closest, required, setHtml } from '../dom.js';
import type { PlatformTab } from '../platform.js';
import { coalescing } from '../coalescing.js';
import { showToast } from '../toast.js';
import { wireBlockActions, type ActionTarget } from './block-actions.js';
import { wireComposer, type ComposerFile } from './composer.js';
import { channelMessages, renderMessageList, threadMessages, type Author, type MessageListOptions } from './message-list.js';
import { ModalHost } from './modal-host.js';
import { renderSidebar } from './sidebar.js';
import { UnreadTracker } from './unread.js';

const SKELETON = `
<div class="slack">
  <aside class="slack__sidebar sidebar"></aside>
  <section class="slack__channel pane" aria-label="Conversation">
    <header class="pane__header"><h1 class="pane__title"></h1><p class="pane__subtitle"></p></header>
    <div class="pane__messages" role="log" aria-live="polite" data-list="channel"></div>
    <form class="composer" data-composer="channel">
      <textarea class="composer__box" rows="2" aria-label="Message"></textarea>
      <div class="composer__bar"><label class="composer__attach" title="Attach a file (e.g. guardrails.yaml with \u201cguardrails set\u201d, or a Prowler output with \u201cscan import sandbox\u201d)"><input type="file" data-attach hidden aria-label="Attach a file"><span aria-hidden="true">📎</span></label><span class="composer__attached" data-attached></span><span class="composer__hint"></span><button type="submit" class="composer__send" aria-label="Send">Send</button></div>
    </form>
  </section>
  <section class="slack__thread pane pane--thread" aria-label="Thread" hidden>
    <header class="pane__header"><h2 class="pane__title">Thread</h2><p class="pane__subtitle" data-thread-where></p>
      <button type="button" class="pane__close" data-close-thread aria-label="Close thread">×</button></header>
    <div class="pane__messages" role="log" aria-live="polite" data-list="thread"></div>
    <form class="composer composer--thread" data-composer="thread">
      <textarea class="composer__box" rows="2" aria-label="Reply in thread" placeholder="Reply…"></textarea>
      <div class="composer__bar"><span class="composer__hint">Enter to send</span><button type="submit" class="composer__send" aria-label="Send reply">Send</button></div>
    </form>
  </section>
  <div class="overlay overlay--modal" data-modal-host hidden></div>
</div>`;

type Selection = { kind: 'im' } | { kind: 'channel'; id: string };

/**
 * The Slack tab: a Slack-like client over the fake Slack, acting as one member of the sample org.
 * It re-fetches what that person sees whenever the server says something changed.
 */
export class SlackTab implements PlatformTab {
  readonly id = 'slack';
  readonly label = 'Slack';

  private root!: HTMLElement;
  private org!: OrgInfo;
  private person: OrgPerson | undefined;
  private snapshot: SlackSnapshot | undefined;
  private selection: Selection = { kind: 'im' };
  private thread: { channel: string; ts: string } | undefined;
  private readonly unread = new UnreadTracker();
  private modal!: ModalHost;
  /** Fetches the acting person's view; calls during a fetch coalesce into one more fetch. */
  readonly refresh = coalescing(async () => {
    try {
      const snapshot = await api.slackState(this.actingAs());
      if (snapshot.as === this.actingAs()) {
        this.snapshot = snapshot;
        this.render();
      }
    } catch (error) {
      showToast(`Could not load Slack: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  private readonly rendered = new Map<string, string>();

  mount(container: HTMLElement, org: OrgInfo): void {
    this.org = org;
    setHtml(container, SKELETON);
    this.root = required(container, '.slack', HTMLElement);
    this.modal = new ModalHost(required(this.root, '[data-modal-host]', HTMLElement), {
      ctx: () => this.ctx(),
      actingAs: () => this.actingAs(),
      changed: () => this.refresh(),
    });
    wireBlockActions(this.root, {
      ctx: () => this.ctx(),
      actingAs: () => this.actingAs(),
      blocksOf: (target) => this.blocksOf(target),
      changed: () => this.refresh(),
    });
    wireComposer(required(this.root, 'form[data-composer="channel"]', HTMLFormElement), (text, file) => this.send(text, undefined, file));
    wireComposer(required(this.root, 'form[data-composer="thread"]', HTMLFormElement), (text) => this.send(text, this.thread?.ts));
    this.root.addEventListener('click', (event) => {
      const conversation = closest(event.target, '[data-conversation]');
      if (conversation) return this.select(conversation.getAttribute('data-conversation') ?? '');
      const opener = closest(event.target, '[data-open-thread]');
      if (opener) return this.openThread(opener.getAttribute('data-open-thread') ?? '');
      if (closest(event.target, '[data-close-thread]')) return this.closeThread();
    });
  }

  async actAs(person: OrgPerson): Promise<void> {
    this.person = person;
    // Another person's DM thread is not theirs to see; a channel thread stays open.
    if (this.selection.kind === 'im') this.thread = undefined;
    this.snapshot = undefined;
    this.rendered.clear();
    await this.refresh();
  }

  onLiveEvent(event: LiveEvent): void {
    if (event.type === 'slack') void this.refresh();
  }

  private actingAs(): string {
    const id = this.person?.slackId;
    if (!id) throw new Error('The page acts as nobody yet.');
    return id;
  }

  private ctx(): RenderContext {
    return {
      userName: (id) => (id === this.org.bot.slackId ? this.org.bot.name : this.org.people.find((p) => p.slackId === id)?.name),
      channelName: (id) => this.org.channels.find((c) => c.id === id)?.name,
    };
  }

  private authorOf(message: PageMessage): Author {
    if (message.bot || message.user === this.org.bot.slackId) return { id: this.org.bot.slackId, name: this.org.bot.name, bot: true };
    const person = this.org.people.find((p) => p.slackId === message.user);
    return { id: message.user, name: person?.name ?? message.user, bot: false };
  }

  private current(): Conversation | undefined {
    const conversations = this.snapshot?.conversations ?? [];
    const selection = this.selection;
    return selection.kind === 'im' ? conversations.find((c) => c.kind === 'im') : conversations.find((c) => c.id === selection.id);
  }

  private messagesOf(conversationId: string): PageMessage[] {
    return this.snapshot?.messages[conversationId] ?? [];
  }

  private blocksOf(target: ActionTarget): unknown {
    if (target.kind === 'view') {
      const view = this.snapshot?.modal?.id === target.viewId ? this.snapshot.modal.view : undefined;
      return view !== null && typeof view === 'object' && 'blocks' in view ? view.blocks : [];
    }
    return this.messagesOf(target.channel).find((m) => m.ts === target.ts)?.blocks ?? [];
  }

  private select(conversationId: string): void {
    const conversation = this.snapshot?.conversations.find((c) => c.id === conversationId);
    if (!conversation) return;
    const next: Selection = conversation.kind === 'im' ? { kind: 'im' } : { kind: 'channel', id: conversation.id };
    if (this.current()?.id !== conversation.id) this.thread = undefined;
    this.selection = next;
    this.rendered.clear();
    this.render();
    required(this.root, 'form[data-composer="channel"] textarea', HTMLTextAreaElement).focus();
  }

  private openThread(ts: string): void {
    const conversation = this.current();
    if (!conversation || !ts) return;
    this.thread = { channel: conversation.id, ts };
    this.rendered.delete('thread');
    this.render();
    required(this.root, 'form[data-composer="thread"] textarea', HTMLTextAreaElement).focus();
  }

  private closeThread(): void {
    this.thread = undefined;
    this.render();
  }

  private async send(text: string, threadTs?: string, file?: ComposerFile): Promise<void> {
    const conversation = this.current();
    if (!conversation) return;
    const channel = threadTs && this.thread ? this.thread.channel : conversation.id;
    await api.postMessage({ as: this.actingAs(), channel, text, ...(threadTs && { threadTs }), ...(file && { file }) });
    await this.refresh();
    this.scrollToEnd(threadTs ? 'thread' : 'channel');
  }

  // ---- rendering ---------------------------------------------------------------------------

  private render(): void {
    const snapshot = this.snapshot;
    const person = this.person;
    const conversation = this.current();
    if (!snapshot || !person || !conversation) return;
    const all = this.messagesOf(conversation.id);
    this.unread.markSeen(person.slackId ?? '', conversation.id, all);

    setHtml(
      required(this.root, '.sidebar', HTMLElement),
      renderSidebar(
        this.org.workspace,
        snapshot.conversations.map((c) => ({ conversation: c, selected: c.id === conversation.id, unread: this.unread.count(person.slackId ?? '', c.id, this.messagesOf(c.id)) })),
      ),
    );
    this.renderHeader(conversation);
    const options = (mode: MessageListOptions['mode']): MessageListOptions => ({ channel: conversation.id, ctx: this.ctx(), authorOf: (m) => this.authorOf(m), mode });
    this.renderList('channel', renderMessageList(channelMessages(all), options('channel'), this.emptyText(conversation)));

    const threadPane = required(this.root, '.slack__thread', HTMLElement);
    const thread = this.thread && this.thread.channel === conversation.id ? this.thread : undefined;
    threadPane.hidden = thread === undefined;
    this.root.classList.toggle('slack--with-thread', thread !== undefined);
    if (thread) {
      required(threadPane, '[data-thread-where]', HTMLElement).textContent = conversation.kind === 'channel' ? `#${conversation.name}` : conversation.name;
      this.renderList('thread', renderMessageList(threadMessages(all, thread.ts), options('thread'), 'This thread is gone.'));
    }
    this.modal.show(snapshot.modal);
  }

  private renderHeader(conversation: Conversation): void {
    const title = required(this.root, '.slack__channel .pane__title', HTMLElement);
    const subtitle = required(this.root, '.slack__channel .pane__subtitle', HTMLElement);
    const box = required(this.root, 'form[data-composer="channel"] textarea', HTMLTextAreaElement);
    const hint = required(this.root, 'form[data-composer="channel"] .composer__hint', HTMLElement);
    const commands = this.org.commands.join(', ');
    if (conversation.kind === 'im') {
      title.textContent = conversation.name;
      subtitle.textContent = `Your direct messages with ${conversation.name}: say what AWS access you need, in plain words.`;
      box.setAttribute('aria-label', `Message ${conversation.name}`);
      box.placeholder = `Message ${conversation.name}, or type ${commands || 'a command'}`;
      hint.textContent = 'Enter to send · Shift+Enter for a new line';
    } else {
      title.textContent = `# ${conversation.name}`;
      subtitle.textContent = 'Mention @warden to ask it something here.';
      box.setAttribute('aria-label', `Message #${conversation.name}`);
      box.placeholder = `Message #${conversation.name}`;
      hint.textContent = 'Enter to send · @warden to mention the bot';
    }
  }

  private emptyText(conversation: Conversation): string {
    if (conversation.kind === 'channel') return `<p>This is the very beginning of <b>#${escapeHtml(conversation.name)}</b>.</p>`;
    return [
      `<p><b>This is the start of your conversation with ${escapeHtml(conversation.name)}.</b></p>`,
      '<p>Describe the access you need, for example:</p>',
      '<blockquote>I need read access to the billing-reports S3 bucket in payments-prod to debug the export</blockquote>',
      '<p>or type <code>/access help</code>.</p>',
    ].join('');
  }

  /** Replaces a list only when its markup changed, keeping the reader's place (or the end, if they were there). */
  private renderList(name: 'channel' | 'thread', html: string): void {
    if (this.rendered.get(name) === html) return;
    const list = required(this.root, `[data-list="${name}"]`, HTMLElement);
    const atEnd = list.scrollHeight - list.scrollTop - list.clientHeight < 48 || !this.rendered.has(name);
    this.rendered.set(name, html);
    setHtml(list, html);
    if (atEnd) list.scrollTop = list.scrollHeight;
  }

  private scrollToEnd(name: 'channel' | 'thread'): void {
    const list = this.root.querySelector(`[data-list="${name}"]`);
    if (list) list.scrollTop = list.scrollHeight;
  }
}
