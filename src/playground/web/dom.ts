/** Small DOM helpers: typed lookups that fail loudly, and text-only element creation. */

export function required<T extends Element>(root: ParentNode, selector: string, type: new () => T): T {
  const found = root.querySelector(selector);
  if (!(found instanceof type)) throw new Error(`The page is missing ${selector}.`);
  return found;
}

/** An element with attributes and text; never parses HTML, so any text is shown as text. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The closest ancestor (or self) matching, from an event target that may be a text node. */
export function closest(target: EventTarget | null, selector: string): HTMLElement | null {
  const start = target instanceof Element ? target : target instanceof Node ? target.parentElement : null;
  const found = start?.closest(selector);
  return found instanceof HTMLElement ? found : null;
}

/** Replaces a container's markup with HTML built by the escaping renderers in block-kit/. */
export function setHtml(container: Element, html: string): void {
  container.innerHTML = html;
}
