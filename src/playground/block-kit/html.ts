/**
 * HTML building blocks. Every piece of text that reaches the page goes through `escapeHtml` or
 * `escapeAttr`; nothing the bot or a user wrote is ever inserted as markup.
 */
const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** Attribute values are always double-quoted by this module, and escaped the same way. */
export const escapeAttr = escapeHtml;

/** Only web and mail links become clickable: `javascript:` and friends stay text. */
export function safeLinkUrl(url: string): string | undefined {
  return /^(https?:\/\/|mailto:)/i.test(url.trim()) ? url.trim() : undefined;
}

/** Images may come from the web or be inline data images; nothing else is loaded. */
export function safeImageUrl(url: string): string | undefined {
  const trimmed = url.trim();
  return /^https?:\/\//i.test(trimmed) || /^data:image\/(png|gif|jpeg|webp);base64,[a-z0-9+/=]+$/i.test(trimmed) ? trimmed : undefined;
}

/** `data-*` attributes from a map; undefined values are left out. */
export function dataAttrs(attrs: Record<string, string | undefined>): string {
  return Object.entries(attrs)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => ` data-${name}="${escapeAttr(value)}"`)
    .join('');
}

/** A token safe inside an id attribute and a CSS selector. */
export function domToken(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.charCodeAt(0).toString(16)}`);
}
