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
  | 'grant.release';

export interface CardAction {
  id: ActionId;
  label: string;
  /** The request id the action is about. Never trusted alone: handlers re-check the clicking user. */
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
