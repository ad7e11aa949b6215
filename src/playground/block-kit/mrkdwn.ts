import { escapeAttr, escapeHtml, safeLinkUrl } from './html.js';
import type { RenderContext } from './context.js';

/**
 * Slack mrkdwn → HTML, the way a Slack client shows it.
 *
 * In Slack's wire format the only raw `<` and `>` are control sequences (mentions, links); text a
 * person typed arrives with `&`, `<`, `>` encoded as `&amp;`, `&lt;`, `&gt;`. So `&lt;script&gt;`
 * or `&lt;!channel&gt;` decode to literal text and are shown as text; only a raw `<!channel>` (which
 * the bot itself wrote) becomes a mention. Everything is escaped before any tag is added.
 */

// Private-use characters mark where already rendered pieces (code, links, mentions) go back in,
// so formatting regexes never see, and never break, their HTML. Input copies of them are dropped.
const OPEN = '\uE000';
const CLOSE = '\uE001';
const PLACEHOLDER = new RegExp(`${OPEN}(\\d+)${CLOSE}`, 'g');

/** Decodes the three entities Slack uses, once (so "&amp;lt;" stays the text "&lt;"). */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_m, name: string) => (name === 'amp' ? '&' : name === 'lt' ? '<' : '>'));
}

export function renderMrkdwn(text: string, ctx: RenderContext): string {
  const clean = text.replace(new RegExp(`[${OPEN}${CLOSE}]`, 'g'), '');
  const parts: string[] = [];
  let last = 0;
  // Code blocks first: nothing inside them is formatted.
  for (const match of clean.matchAll(/```([\s\S]*?)```/g)) {
    parts.push(renderLines(clean.slice(last, match.index), ctx));
    const code = (match[1] ?? '').replace(/^\n/, '').replace(/\n$/, '');
    parts.push(`<pre class="mk-pre">${escapeHtml(decodeSlackEntities(code))}</pre>`);
    last = match.index + match[0].length;
  }
  parts.push(renderLines(clean.slice(last), ctx));
  return parts.join('');
}

/** Plain text objects take no markup at all; line breaks still show. */
export function renderPlainText(text: string): string {
  return escapeHtml(text).replace(/\n/g, '<br>');
}

type LineGroup = { kind: 'text' | 'quote' | 'bullets' | 'numbers'; lines: string[] };

const QUOTE = /^(?:&gt;|>) ?/;
const BULLET = /^\s*[-•◦▪]\s+/;
const NUMBERED = /^\s*\d{1,3}[.)]\s+/;

/** Groups lines into paragraphs, block quotes and lists; an indented line continues a list item. */
function groupLines(text: string): LineGroup[] {
  const groups: LineGroup[] = [];
  for (const line of text.split('\n')) {
    const kind: LineGroup['kind'] = QUOTE.test(line) ? 'quote' : BULLET.test(line) ? 'bullets' : NUMBERED.test(line) ? 'numbers' : 'text';
    const current = groups.at(-1);
    const continuesItem = kind === 'text' && /^\s+\S/.test(line) && (current?.kind === 'bullets' || current?.kind === 'numbers');
    if (continuesItem && current) {
      current.lines[current.lines.length - 1] += `\n${line.trim()}`;
      continue;
    }
    const stripped = kind === 'quote' ? line.replace(QUOTE, '') : kind === 'bullets' ? line.replace(BULLET, '') : kind === 'numbers' ? line.replace(NUMBERED, '') : line;
    if (current && current.kind === kind) current.lines.push(stripped);
    else groups.push({ kind, lines: [stripped] });
  }
  return groups;
}

function renderLines(text: string, ctx: RenderContext): string {
  if (text === '') return '';
  return groupLines(text)
    .map((group) => {
      const inline = (line: string) => renderInline(line, ctx).replace(/\n/g, '<br>');
      switch (group.kind) {
        case 'quote':
          return `<blockquote class="mk-quote">${group.lines.map(inline).join('<br>')}</blockquote>`;
        case 'bullets':
          return `<ul class="mk-list">${group.lines.map((l) => `<li>${inline(l)}</li>`).join('')}</ul>`;
        case 'numbers':
          return `<ol class="mk-list">${group.lines.map((l) => `<li>${inline(l)}</li>`).join('')}</ol>`;
        case 'text':
          return `<span class="mk-text">${group.lines.map(inline).join('<br>')}</span>`;
      }
    })
    .join('');
}

// Slack's emphasis needs a boundary on the outside and no space just inside: "*bold*", not "a*b*c".
// The content may not cross a line. Letters and digits of any script count as word characters.
const EMPHASIS: [RegExp, string][] = [
  [/(^|[^\p{L}\p{N}*])\*(?!\s)([^*\n]*?[^\s*])\*(?![\p{L}\p{N}*])/gu, '$1<b>$2</b>'],
  [/(^|[^\p{L}\p{N}_])_(?!\s)([^_\n]*?[^\s_])_(?![\p{L}\p{N}_])/gu, '$1<i>$2</i>'],
  [/(^|[^\p{L}\p{N}~])~(?!\s)([^~\n]*?[^\s~])~(?![\p{L}\p{N}~])/gu, '$1<s>$2</s>'],
];

function renderInline(line: string, ctx: RenderContext): string {
  const pieces: string[] = [];
  const hold = (html: string) => `${OPEN}${pieces.push(html) - 1}${CLOSE}`;
  const marked = line.replace(/`([^`\n]+)`|<([^<>\n]*)>/g, (_m, code: string | undefined, control: string | undefined) =>
    code !== undefined ? hold(`<code class="mk-code">${escapeHtml(decodeSlackEntities(code))}</code>`) : hold(renderControl(control ?? '', ctx)),
  );
  let html = escapeHtml(decodeSlackEntities(marked));
  for (const [pattern, replacement] of EMPHASIS) html = html.replace(pattern, replacement);
  return html.replace(PLACEHOLDER, (_m, index: string) => pieces[Number(index)] ?? '');
}

/** `<@U123>`, `<#C123|name>`, `<!here>`, `<https://…|label>`; anything else is shown as typed. */
function renderControl(inner: string, ctx: RenderContext): string {
  const bar = inner.indexOf('|');
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? undefined : decodeSlackEntities(inner.slice(bar + 1));
  if (/^@[UW][A-Z0-9]+$/.test(target)) {
    const id = target.slice(1);
    const name = ctx.userName(id) ?? label ?? id;
    return `<span class="mk-mention" data-user-id="${escapeAttr(id)}">@${escapeHtml(name)}</span>`;
  }
  if (/^#[CG][A-Z0-9]+$/.test(target)) {
    const id = target.slice(1);
    const name = label ?? ctx.channelName(id) ?? id;
    return `<span class="mk-channel">#${escapeHtml(name)}</span>`;
  }
  if (target.startsWith('!')) return renderSpecial(target.slice(1), label);
  const url = safeLinkUrl(decodeSlackEntities(target));
  if (url) {
    const text = label ?? url.replace(/^mailto:/i, '');
    return `<a class="mk-link" href="${escapeAttr(url)}" target="_blank" rel="noopener noreferrer">${escapeHtml(text)}</a>`;
  }
  return escapeHtml(`<${decodeSlackEntities(inner)}>`);
}

function renderSpecial(command: string, label: string | undefined): string {
  const [name = ''] = command.split('^');
  if (name === 'here' || name === 'channel' || name === 'everyone') {
    return `<span class="mk-mention mk-mention--broadcast">@${name}</span>`;
  }
  if (name === 'subteam') return `<span class="mk-mention">${escapeHtml(label ?? '@group')}</span>`;
  // <!date^…|fallback>: the fallback text is what Slack shows when it cannot format the date.
  if (name === 'date') return escapeHtml(label ?? '');
  return escapeHtml(label ?? `<!${command}>`);
}
