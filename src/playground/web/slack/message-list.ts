import { escapeAttr, escapeHtml, renderBlocks, renderMrkdwn, type RenderContext } from '../../block-kit/index.js';
import type { PageMessage } from '../../api-types.js';
import { avatarColour, initials, timeOfTs } from '../format.js';

export interface Author {
  id: string;
  name: string;
  bot: boolean;
}

export interface MessageListOptions {
  channel: string;
  ctx: RenderContext;
  authorOf(message: PageMessage): Author;
  /** In the channel view a thread parent shows "N replies"; the thread view shows the parent itself. */
  mode: 'channel' | 'thread';
}

/** Top-level messages of a conversation (thread replies live in the thread view). */
export function channelMessages(messages: readonly PageMessage[]): PageMessage[] {
  return messages.filter((m) => m.threadTs === null);
}

/** A thread: its parent, then the replies (ephemeral ones included, for their one reader). */
export function threadMessages(messages: readonly PageMessage[], threadTs: string): PageMessage[] {
  return messages.filter((m) => m.ts === threadTs || m.threadTs === threadTs);
}

/** The message's content: Block Kit when it has blocks (as Slack shows it), else its mrkdwn text. */
function content(message: PageMessage, ctx: RenderContext): string {
  return message.blocks && message.blocks.length > 0 ? renderBlocks(message.blocks, ctx) : `<div class="msg__text">${renderMrkdwn(message.text, ctx)}</div>`;
}

export function renderMessage(message: PageMessage, options: MessageListOptions): string {
  const author = options.authorOf(message);
  const classes = ['msg', author.bot ? 'msg--bot' : '', message.ephemeral ? 'msg--ephemeral' : ''].filter(Boolean).join(' ');
  const replies =
    options.mode === 'channel' && message.replyCount > 0
      ? `<button type="button" class="msg__replies" data-open-thread="${escapeAttr(message.ts)}">${message.replyCount} ${message.replyCount === 1 ? 'reply' : 'replies'}</button>`
      : '';
  return [
    `<article class="${classes}" data-channel="${escapeAttr(options.channel)}" data-ts="${escapeAttr(message.ts)}" aria-label="${escapeAttr(`${author.name} at ${timeOfTs(message.ts)}`)}">`,
    `<div class="msg__avatar avatar ${avatarColour(author.id)}" aria-hidden="true">${escapeHtml(initials(author.name))}</div>`,
    '<div class="msg__main">',
    '<header class="msg__meta">',
    `<span class="msg__author">${escapeHtml(author.name)}</span>`,
    author.bot ? '<span class="msg__tag">APP</span>' : '',
    `<time class="msg__time">${escapeHtml(timeOfTs(message.ts))}</time>`,
    message.edited ? '<span class="msg__edited">(edited)</span>' : '',
    '</header>',
    `<div class="msg__content">${content(message, options.ctx)}</div>`,
    ...(message.files ?? []).map((name) => `<p class="msg__file"><span aria-hidden="true">📎</span> ${escapeHtml(name)}</p>`),
    message.ephemeral ? '<p class="msg__ephemeral-note"><span aria-hidden="true">👁</span> Only visible to you</p>' : '',
    replies,
    '</div></article>',
  ].join('');
}

export function renderMessageList(messages: readonly PageMessage[], options: MessageListOptions, empty: string): string {
  if (messages.length === 0) return `<div class="empty-state">${empty}</div>`;
  return messages.map((message) => renderMessage(message, options)).join('');
}
