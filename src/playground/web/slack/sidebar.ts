import { escapeAttr, escapeHtml } from '../../block-kit/index.js';
import type { Conversation } from '../../api-types.js';

export interface SidebarEntry {
  conversation: Conversation;
  unread: number;
  selected: boolean;
}

function entry({ conversation, unread, selected }: SidebarEntry): string {
  const icon = conversation.kind === 'channel' ? '<span class="sidebar__icon" aria-hidden="true">#</span>' : '<span class="sidebar__icon sidebar__icon--presence" aria-hidden="true">●</span>';
  const badge = unread > 0 ? `<span class="sidebar__badge" aria-label="${unread} unread">${unread}</span>` : '';
  const label = conversation.kind === 'im' ? `${escapeHtml(conversation.name)} <span class="msg__tag">APP</span>` : escapeHtml(conversation.name);
  return `<li><button type="button" class="sidebar__item${selected ? ' is-selected' : ''}${unread > 0 ? ' is-unread' : ''}" data-conversation="${escapeAttr(conversation.id)}"${selected ? ' aria-current="true"' : ''}>${icon}<span class="sidebar__name">${label}</span>${badge}</button></li>`;
}

/** The left bar: the workspace, its channels, and the DM with the bot. */
export function renderSidebar(workspace: string, entries: readonly SidebarEntry[]): string {
  const channels = entries.filter((e) => e.conversation.kind === 'channel');
  const dms = entries.filter((e) => e.conversation.kind === 'im');
  return [
    `<div class="sidebar__workspace">${escapeHtml(workspace)}</div>`,
    '<nav class="sidebar__nav" aria-label="Conversations">',
    '<h2 class="sidebar__heading">Channels</h2>',
    `<ul class="sidebar__list">${channels.map(entry).join('')}</ul>`,
    '<h2 class="sidebar__heading">Direct messages</h2>',
    `<ul class="sidebar__list">${dms.map(entry).join('')}</ul>`,
    '</nav>',
  ].join('');
}
