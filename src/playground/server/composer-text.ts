/**
 * What the composer sends, turned into what a Slack client would send: a slash command, or message
 * text in Slack's wire format.
 */

export interface MentionDirectory {
  /** Lower-case handle ("ana", "warden") → Slack member id. */
  users: ReadonlyMap<string, string>;
  /** Channel name ("access-requests") → channel id. */
  channels: ReadonlyMap<string, string>;
}

export type ComposerInput = { kind: 'command'; command: string; text: string } | { kind: 'message'; text: string };

/** "/access list" is a command; "/ not a command" or "//x" is a message, as in Slack. */
export function parseComposerInput(input: string, directory: MentionDirectory): ComposerInput {
  const command = /^\/([a-z0-9][a-z0-9_-]*)(?:\s+([\s\S]*))?$/i.exec(input.trim());
  if (command?.[1]) return { kind: 'command', command: `/${command[1].toLowerCase()}`, text: (command[2] ?? '').trim() };
  return { kind: 'message', text: encodeMessageText(input, directory) };
}

/**
 * Slack clients escape `&`, `<` and `>` in what people type, so typed text can never form a control
 * sequence (`<!channel>`, a link, a mention). Real mentions are written by the client from the
 * `@name` / `#channel` a person picked, which is what this does for known names.
 */
export function encodeMessageText(input: string, directory: MentionDirectory): string {
  const escaped = input.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return escaped
    .replace(/(^|[^\w@])@([a-z0-9][a-z0-9._-]*)/gi, (match, before: string, handle: string) => {
      const id = directory.users.get(handle.toLowerCase());
      return id ? `${before}<@${id}>` : match;
    })
    .replace(/(^|[^\w#&])#([a-z0-9][a-z0-9._-]*)/gi, (match, before: string, name: string) => {
      const id = directory.channels.get(name.toLowerCase());
      return id ? `${before}<#${id}|${name.toLowerCase()}>` : match;
    });
}
