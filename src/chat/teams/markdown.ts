/**
 * The card model's markdown subset (**bold**, _italic_, `code`, [label](https://url), "- " lists,
 * backslash escapes) is already the CommonMark that Adaptive Card TextBlocks render, so text passes
 * through nearly as is. What changes is what reads differently in Teams.
 */

// Teams has no slash commands: the same words are the bot's command menu ("access list").
const SLASH_COMMAND = /(^|[\s`(])\/access\b/g;

export function toAdaptiveMarkdown(markdown: string): string {
  return markdown.replace(SLASH_COMMAND, '$1access');
}

/** For fields that take no markup (titles, button labels): drops the model's escapes, caps the length. */
export function plain(text: string, max = 200): string {
  const unescaped = toAdaptiveMarkdown(text).replace(/\\([*_`[\]\\])/g, '$1');
  return unescaped.length <= max ? unescaped : `${unescaped.slice(0, max - 1)}…`;
}
