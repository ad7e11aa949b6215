import { escapeHtml } from '../../block-kit/index.js';

/**
 * The Markdown subset Teams shows in messages and TextBlocks: **bold**, _italic_ and *italic*,
 * `code`, [links](https://…), "- " lists and line breaks. The text is escaped first, so anything a
 * user typed shows as text, never as markup.
 */
export function teamsMarkdown(text: string): string {
  const lines = escapeHtml(text).split('\n');
  const out: string[] = [];
  let list: string[] = [];
  const flush = () => {
    if (list.length > 0) out.push(`<ul class="tm-list">${list.map((item) => `<li>${item}</li>`).join('')}</ul>`);
    list = [];
  };
  for (const line of lines) {
    const item = /^\s*[-*] (.*)$/.exec(line);
    if (item) {
      list.push(inline(item[1] ?? ''));
      continue;
    }
    flush();
    out.push(inline(line));
  }
  flush();
  return out.join('<br>').replace(/<br>(<ul)/g, '$1').replace(/(<\/ul>)<br>/g, '$1');
}

function inline(text: string): string {
  return text
    .replace(/`([^`]+)`/g, '<code class="tm-code">$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[\s(])_([^_]+)_(?=$|[\s).,;:!?])/g, '$1<em>$2</em>')
    .replace(/(^|[\s(])\*([^*]+)\*(?=$|[\s).,;:!?])/g, '$1<em>$2</em>')
    .replace(/\[([^\]]+)\]\((https?:\/\/[^\s)"]+)\)/g, '<a class="mk-link" href="$2" target="_blank" rel="noopener noreferrer">$1</a>');
}
