import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Checks over the renderer's HTML strings without a DOM. The renderer builds markup from fixed
 * templates and escapes every value, so its output has a regular shape these checks rely on:
 * tags with double-quoted attributes, and text in which no raw `<` or `>` survives.
 */

const ALLOWED_TAGS = new Set([
  'a', 'b', 'i', 's', 'br', 'code', 'pre', 'span', 'div', 'p', 'h2', 'h3', 'ul', 'ol', 'li', 'blockquote', 'hr', 'img',
  'figure', 'figcaption', 'button', 'details', 'summary', 'select', 'option', 'optgroup', 'input', 'textarea', 'label',
  'form', 'header', 'footer',
]);
const ALLOWED_ATTRIBUTES = new Set([
  'class', 'href', 'target', 'rel', 'src', 'alt', 'loading', 'referrerpolicy', 'type', 'role', 'aria-label', 'aria-modal',
  'aria-labelledby', 'id', 'for', 'value', 'selected', 'checked', 'multiple', 'size', 'name', 'placeholder', 'rows',
  'minlength', 'maxlength', 'min', 'max', 'step', 'inputmode', 'label', 'novalidate',
]);
const TAG = /<\/?([a-z0-9]+)((?:\s+[a-z-]+(?:="[^"<>]*")?)*)\s*>/g;
const ATTRIBUTE = /\s+([a-z-]+)(?:="([^"]*)")?/g;

/** Every tag and attribute is one the renderer is meant to produce; no text contains markup. */
export function safetyProblems(html: string, also: { tags?: string[]; attributes?: string[] } = {}): string[] {
  const allowedTags = new Set([...ALLOWED_TAGS, ...(also.tags ?? [])]);
  const allowedAttributes = new Set([...ALLOWED_ATTRIBUTES, ...(also.attributes ?? [])]);
  const problems: string[] = [];
  for (const match of html.matchAll(TAG)) {
    const [, tag = '', attributes = ''] = match;
    if (!allowedTags.has(tag)) problems.push(`unexpected tag <${tag}>`);
    for (const attribute of attributes.matchAll(ATTRIBUTE)) {
      const [, name = '', value = ''] = attribute;
      if (!allowedAttributes.has(name) && !name.startsWith('data-')) problems.push(`unexpected attribute ${name} on <${tag}>`);
      if ((name === 'href' || name === 'src') && !/^(https?:\/\/|mailto:|data:image\/)/i.test(value)) problems.push(`unsafe ${name}="${value}"`);
    }
  }
  const text = html.replace(TAG, '');
  if (/[<>]/.test(text)) problems.push(`raw < or > outside a tag: …${text.slice(Math.max(0, text.search(/[<>]/) - 40), text.search(/[<>]/) + 40)}…`);
  return problems;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** What a reader sees: tags removed, entities decoded, whitespace collapsed. */
export function visibleText(html: string): string {
  return html
    .replace(/<br>/g, '\n')
    // Inline elements run on with their neighbours; block elements and controls are set apart.
    .replace(/<\/?(b|i|s|code|a|span)(\s[^>]*)?>/g, '')
    .replace(TAG, ' ')
    .replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity)
    .replace(/[ \t]+/g, ' ')
    .trim();
}

/** The start tags of an element, e.g. tags(html, 'button'). */
export function startTags(html: string, tag: string): string[] {
  return [...html.matchAll(TAG)].filter((m) => m[1] === tag && !m[0].startsWith('</')).map((m) => m[0]);
}

export interface BlocksFixture {
  name: string;
  description: string;
  blocks?: unknown[];
  view?: unknown;
}

export function loadFixtures(dir: string): BlocksFixture[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ name: file.replace(/\.json$/, ''), ...(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Omit<BlocksFixture, 'name'>) }));
}

export function fixture(dir: string, name: string): BlocksFixture {
  const found = loadFixtures(dir).find((f) => f.name === name);
  if (!found) throw new Error(`no fixture ${name}`);
  return found;
}
