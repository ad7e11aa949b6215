import type { TeamsPageMessage } from '../../api-types.js';
import { element } from '../dom.js';
import { avatarColour, initials, timeOf } from '../format.js';
import { renderAdaptiveCard, type ExecuteClick } from './adaptive-card-view.js';
import { teamsMarkdown } from './markdown.js';

/** What identifies a message's rendering: when this changes, the message is drawn again. */
export function messageSignature(message: TeamsPageMessage): string {
  return JSON.stringify([message.text, message.card, message.edited]);
}

/** One Teams message: author, time, text (Markdown) and its Adaptive Card, if any. */
export function renderTeamsMessage(message: TeamsPageMessage, onExecute: (message: TeamsPageMessage, click: ExecuteClick) => void): HTMLElement {
  const node = element('article', { class: `msg teams-msg${message.bot ? ' msg--bot' : ' teams-msg--mine'}`, 'data-message-id': message.id });
  node.append(element('div', { class: `msg__avatar avatar ${avatarColour(message.fromName)}`, 'aria-hidden': 'true' }, initials(message.fromName)));
  const main = element('div', { class: 'msg__main' });
  const meta = element('div', { class: 'msg__meta' });
  meta.append(element('span', { class: 'msg__author' }, message.fromName));
  meta.append(element('span', { class: 'msg__time' }, timeOf(new Date(message.createdAt))));
  if (message.edited) meta.append(element('span', { class: 'msg__edited' }, 'Edited'));
  main.append(meta);
  if (message.text) {
    const text = element('div', { class: 'msg__content teams-msg__text' });
    text.innerHTML = teamsMarkdown(message.text);
    main.append(text);
  }
  if (message.card) main.append(renderAdaptiveCard(message.card, (click) => onExecute(message, click)));
  node.append(main);
  return node;
}
