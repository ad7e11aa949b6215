/**
 * The platform-neutral message model. Workflows build these; each chat adapter renders them
 * (Slack Block Kit today, Teams Adaptive Cards later). Text uses a small markdown subset that both
 * platforms can express: **bold**, _italic_, `code`, [label](https://url) and lines starting "- ".
 */

export type ActionId =
  | 'draft.submit'
  | 'draft.edit'
  | 'draft.cancel'
  | 'request.approve'
  | 'request.deny'
  | 'grant.release'
  | 'scan.details'
  | 'scan.fix_access';

export interface CardAction {
  id: ActionId;
  label: string;
  /** The request id (scan.* actions: the scan's ids, see scan-message.ts). Never trusted alone: handlers re-check the clicking user. */
  value: string;
  style?: 'primary' | 'danger';
  confirm?: { title: string; text: string; confirm: string; deny: string };
}

export type CardBlock =
  | { type: 'header'; text: string }
  | { type: 'text'; text: string }
  | { type: 'fields'; fields: { label: string; value: string }[] }
  | { type: 'context'; text: string }
  | { type: 'divider' }
  | { type: 'actions'; actions: CardAction[] };

export interface Card {
  /** Plain text for notifications and clients that cannot show blocks. */
  fallback: string;
  blocks: CardBlock[];
}

/** Escapes text a person typed so it shows literally inside our markdown subset. */
export function literal(text: string): string {
  return text.replace(/([*_`[\]\\])/g, '\\$1');
}

export function code(text: string): string {
  return '`' + text.replace(/`/g, "'") + '`';
}

/**
 * A fenced block that shows typed text (a command, its output) character for character. A run of
 * three backticks inside would end the fence early, so callers keep it out (a `/run` command with
 * one is refused; output gets a zero-width space between them).
 */
export function codeBlock(text: string): string {
  return '```\n' + literal(text) + '\n```';
}
