import { escapeHtml } from '../../block-kit/index.js';
import type { AuditEventView } from '../../api-types.js';
import { secondsOf } from '../format.js';
import { highlightJson } from './json-highlight.js';

/** One telling value of an event's detail, shown beside its type: the AWS operation, a reason. */
function summaryOf(event: AuditEventView): string | undefined {
  const { detail } = event;
  if (typeof detail['operation'] === 'string') return typeof detail['service'] === 'string' ? `${detail['service']}:${detail['operation']}` : detail['operation'];
  if (typeof detail['reason'] === 'string') return `“${detail['reason']}”`;
  return undefined;
}

function renderEvent(event: AuditEventView): string {
  const summary = summaryOf(event);
  const request = event.requestId ? ` · <code>${escapeHtml(event.requestId)}</code>` : '';
  const detail = Object.keys(event.detail).length > 0 ? `<details class="audit-event__detail"><summary>detail</summary><pre class="json">${highlightJson(JSON.stringify(event.detail, null, 2))}</pre></details>` : '';
  return [
    '<li class="audit-event">',
    `<div class="audit-event__line"><time>${escapeHtml(secondsOf(event.at))}</time> <span class="audit-event__type">${escapeHtml(event.type)}</span>${summary ? `<span class="audit-event__summary">${escapeHtml(summary)}</span>` : ''}</div>`,
    `<div class="audit-event__who">by ${escapeHtml(event.actorName)}${request}</div>`,
    detail,
    '</li>',
  ].join('');
}

/** The audit log, newest first: every step of every request, as the store recorded it. */
export function renderAuditPanel(events: readonly AuditEventView[]): string {
  const intro = '<p class="panel__intro">Every step of every request, as Warden recorded it.</p>';
  if (events.length === 0) return `${intro}<div class="empty-state">Nothing recorded yet.</div>`;
  return `${intro}<ol class="audit-list">${[...events].reverse().map(renderEvent).join('')}</ol>`;
}
