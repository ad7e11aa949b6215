import { escapeHtml } from '../../block-kit/index.js';
import type { AwsCallView } from '../../api-types.js';
import { secondsOf } from '../format.js';
import { highlightJson } from './json-highlight.js';

/** Documents people come to read stay open; the trust policy is one click away. */
const OPEN_DOCUMENTS = new Set(['PolicyDocument']);

type Tag = { Key: string; Value: string };

/** IAM tags ([{ Key, Value }, …]) read best as "key = value" lines. */
function isTagList(value: unknown): value is Tag[] {
  return Array.isArray(value) && value.every((t: unknown) => typeof t === 'object' && t !== null && 'Key' in t && 'Value' in t && typeof t.Key === 'string' && typeof t.Value === 'string');
}

function paramValue(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return escapeHtml(String(value));
  if (isTagList(value)) return `<ul class="aws-call__tags">${value.map((t) => `<li>${escapeHtml(t.Key)} = ${escapeHtml(t.Value)}</li>`).join('')}</ul>`;
  return `<pre class="json">${highlightJson(JSON.stringify(value, null, 2))}</pre>`;
}

function renderCall(call: AwsCallView): string {
  const params = Object.entries(call.params)
    .map(([name, value]) => `<dt>${escapeHtml(name)}</dt><dd>${paramValue(value)}</dd>`)
    .join('');
  const documents = call.documents
    .map(
      (doc) =>
        `<details class="aws-call__document"${OPEN_DOCUMENTS.has(doc.name) ? ' open' : ''}><summary>${escapeHtml(doc.name)}</summary><pre class="json">${highlightJson(doc.json)}</pre></details>`,
    )
    .join('');
  return [
    `<article class="aws-call" data-operation="${escapeHtml(call.operation)}">`,
    '<header class="aws-call__header">',
    `<span class="aws-call__service">${escapeHtml(call.service)}</span><span class="aws-call__operation">${escapeHtml(call.operation)}</span>`,
    `<time class="aws-call__time">${escapeHtml(secondsOf(call.at))}</time>`,
    '</header>',
    params ? `<dl class="aws-call__params">${params}</dl>` : '',
    documents,
    '</article>',
  ].join('');
}

/** The calls the dry-run granter recorded, grouped by request, the newest request first. */
export function renderAwsPanel(calls: readonly AwsCallView[]): string {
  const intro =
    '<p class="panel__intro">What Warden would call in AWS. In dry-run mode nothing is sent: each call is recorded with its exact input.</p>';
  if (calls.length === 0) return `${intro}<div class="empty-state">No AWS calls yet. Approve a request to see the grant.</div>`;
  const groups = new Map<string, AwsCallView[]>();
  for (const call of calls) {
    const key = call.requestId ?? '(no request)';
    groups.set(key, [...(groups.get(key) ?? []), call]);
  }
  const sections = [...groups]
    .reverse()
    .map(([requestId, group]) => `<section class="aws-group"><h3 class="aws-group__title">Request <code>${escapeHtml(requestId)}</code></h3>${group.map(renderCall).join('')}</section>`);
  return intro + sections.join('');
}
