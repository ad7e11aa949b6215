import { escapeAttr, escapeHtml } from '../../block-kit/index.js';
import type { TeamsConversationView } from '../../api-types.js';

function entry(conversation: TeamsConversationView, selected: boolean): string {
  const icon = conversation.kind === 'channel' ? '#' : '●';
  return `<li><button type="button" class="teams-sidebar__item${selected ? ' is-selected' : ''}" data-teams-conversation="${escapeAttr(conversation.id)}"${selected ? ' aria-current="true"' : ''}><span class="sidebar__icon" aria-hidden="true">${icon}</span><span class="sidebar__name">${escapeHtml(conversation.name)}</span></button></li>`;
}

/** The Teams left rail: the personal chat with Warden, and the team's channels. */
export function renderTeamsSidebar(conversations: readonly TeamsConversationView[], selectedId: string | undefined): string {
  const chats = conversations.filter((c) => c.kind === 'personal');
  const channels = conversations.filter((c) => c.kind === 'channel');
  return [
    '<div class="sidebar__workspace">Teams</div>',
    '<nav class="sidebar__nav" aria-label="Teams conversations">',
    '<h2 class="sidebar__heading">Chat</h2>',
    `<ul class="sidebar__list">${chats.map((c) => entry(c, c.id === selectedId)).join('')}</ul>`,
    '<h2 class="sidebar__heading">Warden team · channels</h2>',
    `<ul class="sidebar__list">${channels.map((c) => entry(c, c.id === selectedId)).join('')}</ul>`,
    '</nav>',
  ].join('');
}
