/**
 * Converts the card model's markdown subset to Slack mrkdwn. Slack's control characters (&, <, >)
 * are escaped first so text a person typed can never become a mention like <!channel> or a link.
 */
export function toMrkdwn(markdown: string): string {
  const escaped = markdown.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return escaped
    // Only the card's own links: typed text reaches here with its brackets backslash-escaped, and an
    // escaped bracket must stay a bracket, or a justification could carry a disguised link.
    .replace(/(?<!\\)\[((?:\\.|[^\]\\])+)\]\((https?:\/\/[^)\s]+)\)/g, (_m, label: string, url: string) => `<${url}|${label}>`)
    .replace(/\*\*(.+?)\*\*/g, '*$1*')
    .replace(/\\([*_`[\]\\])/g, '$1');
}

/** Plain text fields (headers, button labels) take no markup; Slack caps their length. */
export function plain(text: string, max: number): string {
  const unescaped = text.replace(/\\([*_`[\]\\])/g, '$1');
  return unescaped.length <= max ? unescaped : `${unescaped.slice(0, max - 1)}…`;
}
