import './teams.css';
import type { LiveEvent, OrgInfo, OrgPerson, TeamsConversationView, TeamsPageMessage, TeamsSnapshot } from '../../api-types.js';
import { api } from '../api-client.js';
import { closest, element, required, setHtml } from '../dom.js';
import type { PlatformTab } from '../platform.js';
import { coalescing } from '../coalescing.js';
import { wireComposer } from '../slack/composer.js';
import { showToast } from '../toast.js';
import type { ExecuteClick } from './adaptive-card-view.js';
import { messageSignature, renderTeamsMessage } from './teams-message.js';
import { renderTeamsSidebar } from './teams-sidebar.js';

const SKELETON = `
<div class="teams">
  <aside class="teams__sidebar sidebar"></aside>
  <section class="teams__chat pane" aria-label="Teams conversation">
    <header class="pane__header"><h1 class="pane__title"></h1><p class="pane__subtitle"></p></header>
    <div class="pane__messages teams__messages" role="log" aria-live="polite" data-teams-list></div>
    <form class="composer" data-teams-composer>
      <textarea class="composer__box" rows="2" aria-label="Type a message"></textarea>
      <div class="composer__bar"><span class="composer__hint">Enter to send · Shift+Enter for a new line</span><button type="submit" class="composer__send" aria-label="Send">Send</button></div>
    </form>
  </section>
</div>`;

/**
 * The Teams tab: a Teams-like client over the fake Bot Connector, acting as one person of the
 * sample org (by Entra ID object id). Cards are drawn by the official Adaptive Cards renderer, as the
 * person's client would show them (refreshed for them, so buttons show only to whoever may act);
 * messages and clicks go to Warden's botbuilder endpoint as signed activities.
 */
export class TeamsTab implements PlatformTab {
  readonly id = 'teams';
  readonly label = 'Teams';

  private root!: HTMLElement;
  private person: OrgPerson | undefined;
  private snapshot: TeamsSnapshot | undefined;
  /** The personal chat (undefined) or a channel's id. */
  private selectedChannel: string | undefined;
  /** Fetches the acting person's view; calls during a fetch coalesce into one more fetch. */
  readonly refresh = coalescing(async () => {
    const as = this.person?.aadObjectId;
    if (!as) return;
    try {
      const snapshot = await api.teamsState(as);
      if (snapshot.as === this.person?.aadObjectId?.toLowerCase()) {
        this.snapshot = snapshot;
        this.render();
      }
    } catch (error) {
      showToast(`Could not load Teams: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  /** Drawn messages by id, with what they were drawn from: unchanged cards keep their inputs. */
  private readonly drawn = new Map<string, { signature: string; node: HTMLElement }>();

  mount(container: HTMLElement, _org: OrgInfo): void {
    setHtml(container, SKELETON);
    this.root = required(container, '.teams', HTMLElement);
    wireComposer(required(this.root, 'form[data-teams-composer]', HTMLFormElement), (text) => this.send(text));
    this.root.addEventListener('click', (event) => {
      const conversation = closest(event.target, '[data-teams-conversation]');
      if (conversation) this.select(conversation.getAttribute('data-teams-conversation') ?? '');
    });
  }

  async actAs(person: OrgPerson): Promise<void> {
    this.person = person;
    this.snapshot = undefined;
    this.selectedChannel = undefined;
    this.clearDrawn();
    if (!person.aadObjectId) {
      // Never leave the previous person's chat on screen.
      required(this.root, '[data-teams-list]', HTMLElement).replaceChildren(
        element('p', { class: 'empty-state' }, `${person.name} has no aadObjectId in org.yaml, so they cannot use Teams.`),
      );
      return;
    }
    await this.refresh();
  }

  onLiveEvent(event: LiveEvent): void {
    // A card's refresh for this person depends on the request, which Slack clicks change too.
    if (event.type === 'teams' || event.type === 'slack') void this.refresh();
  }

  private actingAs(): string {
    const id = this.person?.aadObjectId;
    if (!id) throw new Error(`${this.person?.name ?? 'This person'} has no aadObjectId in org.yaml, so they cannot use Teams.`);
    return id;
  }

  private current(): TeamsConversationView | undefined {
    const conversations = this.snapshot?.conversations ?? [];
    const channel = this.selectedChannel;
    return channel === undefined ? conversations.find((c) => c.kind === 'personal') : conversations.find((c) => c.id === channel);
  }

  private select(id: string): void {
    const conversation = this.snapshot?.conversations.find((c) => c.id === id);
    if (!conversation) return;
    this.selectedChannel = conversation.kind === 'personal' ? undefined : conversation.id;
    this.clearDrawn();
    this.render();
    required(this.root, 'form[data-teams-composer] textarea', HTMLTextAreaElement).focus();
  }

  private async send(text: string): Promise<void> {
    const conversation = this.current();
    if (!conversation) return;
    await api.teamsMessage({ as: this.actingAs(), text, ...(conversation.kind === 'channel' && { channel: conversation.name }) });
    await this.refresh();
  }

  private execute(message: TeamsPageMessage, click: ExecuteClick): void {
    const node = this.drawn.get(message.id)?.node;
    node?.classList.add('is-busy');
    api
      .teamsExecute({ as: this.actingAs(), conversationId: message.conversationId, messageId: message.id, verb: click.verb, inputs: click.inputs })
      .then(() => this.refresh())
      .catch((error: unknown) => showToast(error instanceof Error ? error.message : String(error)))
      .finally(() => node?.classList.remove('is-busy'));
  }

  // ---- rendering ---------------------------------------------------------------------------

  private render(): void {
    const snapshot = this.snapshot;
    const conversation = this.current();
    if (!snapshot || !conversation) return;
    setHtml(required(this.root, '.teams__sidebar', HTMLElement), renderTeamsSidebar(snapshot.conversations, conversation.id));
    const title = required(this.root, '.teams__chat .pane__title', HTMLElement);
    const subtitle = required(this.root, '.teams__chat .pane__subtitle', HTMLElement);
    const box = required(this.root, 'form[data-teams-composer] textarea', HTMLTextAreaElement);
    if (conversation.kind === 'personal') {
      title.textContent = conversation.name;
      subtitle.textContent = `Your chat with ${conversation.name}: say what AWS access you need, or type "access help".`;
      box.placeholder = `Type a message to ${conversation.name}`;
    } else {
      title.textContent = `# ${conversation.name}`;
      subtitle.textContent = 'A channel of the Warden team: a new post mentions @Warden.';
      box.placeholder = `Start a post in ${conversation.name} (it mentions @Warden)`;
    }
    box.setAttribute('aria-label', box.placeholder);
    this.renderMessages(snapshot.messages[conversation.id] ?? []);
  }

  /** Keeps unchanged messages' nodes (and what was typed into their cards), redraws changed ones. */
  private renderMessages(messages: TeamsPageMessage[]): void {
    const list = required(this.root, '[data-teams-list]', HTMLElement);
    const atEnd = list.scrollHeight - list.scrollTop - list.clientHeight < 48 || this.drawn.size === 0;
    if (messages.length === 0) {
      this.clearDrawn();
      list.replaceChildren(element('p', { class: 'empty-state' }, 'No messages yet. Describe the access you need, for example: "I need read access to the billing-reports S3 bucket in payments-prod to debug the export".'));
      return;
    }
    const keep = new Set(messages.map((m) => m.id));
    for (const [id, { node }] of this.drawn) {
      if (!keep.has(id)) {
        node.remove();
        this.drawn.delete(id);
      }
    }
    const nodes = messages.map((message) => {
      const signature = messageSignature(message);
      const known = this.drawn.get(message.id);
      if (known && known.signature === signature) return known.node;
      const node = renderTeamsMessage(message, (m, click) => this.execute(m, click));
      this.drawn.set(message.id, { signature, node });
      return node;
    });
    const current = [...list.children];
    if (current.length !== nodes.length || nodes.some((node, i) => current[i] !== node)) list.replaceChildren(...nodes);
    if (atEnd) list.scrollTop = list.scrollHeight;
  }

  private clearDrawn(): void {
    this.drawn.clear();
  }
}
