/**
 * Text the model wrote is shown to requesters and approvers. It is untrusted like the rest of its
 * output: a prompt injection could make it say "pre-approved by security" or carry a link. This keeps
 * it one plain, short paragraph; the renderers escape it as well.
 */
export function modelText(text: string, maxLength: number): string {
  const plain = text
    // Markdown links become their label: no clickable target the model chose.
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    // Slack's own link and mention syntax (<https://…|label>, <!channel>, <@U…>, <#C…>); placeholders like <id> stay.
    .replace(/<(?:[a-z][a-z0-9+.-]*:|[!@#])[^>]*>/gi, '')
    .replace(/https?:\/\/\S+/g, '[link removed]')
    // Control characters, then runs of whitespace, so one reply cannot fill a card with blank lines.
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length <= maxLength ? plain : `${plain.slice(0, maxLength - 1).trimEnd()}…`;
}

/** Like modelText, but keeps up to `maxLines` lines, for answers that list things. */
export function modelLines(text: string, maxLength: number, maxLines: number): string {
  const lines = text
    .split(/\r?\n/)
    .map((line) => modelText(line, maxLength))
    .filter((line) => line !== '')
    .slice(0, maxLines);
  const joined = lines.join('\n');
  return joined.length <= maxLength ? joined : `${joined.slice(0, maxLength - 1).trimEnd()}…`;
}
