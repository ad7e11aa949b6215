import type { ActionId, Card, CardAction, CardBlock } from '../cards/model.js';
import { plain, toAdaptiveMarkdown } from './markdown.js';
import { isScanAction } from '../cards/scan-message.js';

/*
 * The subset of Adaptive Cards 1.5 Warden renders, typed so a misspelt property is a compile error.
 * Teams runs Universal Actions (Action.Execute) from 1.4; 1.5 adds input labels and `style: heading`.
 */

type Spacing = 'None' | 'Small' | 'Default' | 'Medium';
interface Placed {
  spacing?: Spacing;
  separator?: boolean;
}

export interface TextBlock extends Placed {
  type: 'TextBlock';
  text: string;
  wrap: true;
  weight?: 'Bolder';
  size?: 'Small' | 'Medium' | 'Large';
  isSubtle?: boolean;
  color?: 'Attention' | 'Good' | 'Warning';
  style?: 'heading';
}
export interface FactSet extends Placed {
  type: 'FactSet';
  facts: { title: string; value: string }[];
}
export interface ActionSet extends Placed {
  type: 'ActionSet';
  actions: AdaptiveAction[];
}
export interface Container extends Placed {
  type: 'Container';
  items: AdaptiveElement[];
  style?: 'emphasis' | 'attention' | 'good';
}
interface InputBase extends Placed {
  id: string;
  label: string;
  isRequired?: boolean;
  errorMessage?: string;
}
export interface TextInput extends InputBase {
  type: 'Input.Text';
  isMultiline?: boolean;
  placeholder?: string;
  value?: string;
  maxLength?: number;
  regex?: string;
}
export interface ChoiceInput extends InputBase {
  type: 'Input.ChoiceSet';
  choices: { title: string; value: string }[];
  value?: string;
  style?: 'compact' | 'expanded' | 'filtered';
  isMultiSelect?: boolean;
  /** Typeahead from the bot: Teams sends an `application/search` invoke for the dataset as the person types. */
  'choices.data'?: { type: 'Data.Query'; dataset: string; associatedInputs?: 'auto' | 'none' };
}
export interface NumberInput extends InputBase {
  type: 'Input.Number';
  min?: number;
  max?: number;
  value?: number;
}
export type AdaptiveInput = TextInput | ChoiceInput | NumberInput;
export type AdaptiveElement = TextBlock | FactSet | ActionSet | Container | AdaptiveInput;

/** Every Execute carries the request id; the verb says what to do. Inputs on the card are merged in by the client. */
export interface ExecuteAction {
  type: 'Action.Execute';
  title: string;
  verb: string;
  data: Record<string, string>;
  style?: 'positive' | 'destructive';
  associatedInputs?: 'auto' | 'none';
}
export interface ShowCardAction {
  type: 'Action.ShowCard';
  title: string;
  card: InlineCard;
  style?: 'positive' | 'destructive';
}
export type AdaptiveAction = ExecuteAction | ShowCardAction;

/** A card shown inside Action.ShowCard: no schema or version of its own. */
export interface InlineCard {
  type: 'AdaptiveCard';
  body: AdaptiveElement[];
  actions?: AdaptiveAction[];
}

export interface Refresh {
  action: { type: 'Action.Execute'; title: string; verb: string; data: Record<string, string> };
  /** Teams user MRIs (`8:orgid:<object id>`) whose clients fetch their own view of the card. */
  userIds: string[];
}

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  version: '1.5';
  body: AdaptiveElement[];
  refresh?: Refresh;
  fallbackText: string;
  msteams: { width: 'Full' };
}

/** Extra inputs an action needs before it runs (a deny reason, the edit form), shown inline with Action.ShowCard. */
export interface ActionForm {
  inputs: AdaptiveInput[];
  submitLabel: string;
}

export interface RenderOptions {
  /** Which of the card's actions this viewer gets; the rest are left out. Default: all. */
  showAction?: (action: CardAction) => boolean;
  forms?: Partial<Record<ActionId, ActionForm>>;
  refresh?: Refresh;
  /** A line for this viewer only, above the card (e.g. why their click was refused). */
  note?: { text: string; tone: 'warning' | 'info' };
}

const STYLE = { primary: 'positive', danger: 'destructive' } as const;
// Teams caps the number of user-specific views of one card.
export const MAX_REFRESH_USERS = 60;

function textLines(text: string, extra: Omit<TextBlock, 'type' | 'text' | 'wrap'> = {}): TextBlock[] {
  // One TextBlock per line: how single line breaks render differs between Teams clients, blocks do not.
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line, i) => ({ type: 'TextBlock', text: toAdaptiveMarkdown(line), wrap: true, ...extra, ...(i > 0 ? { spacing: 'None' } : {}) }));
}

function execute(action: CardAction, title = action.label): ExecuteAction {
  return {
    type: 'Action.Execute',
    title: plain(title, 60),
    verb: action.id,
    // A scan button names scan ids, not a request (see cards/scan-message.ts).
    data: isScanAction(action.id) ? { scan: action.value } : { requestId: action.value },
    ...(action.style ? { style: STYLE[action.style] } : {}),
  };
}

function renderAction(action: CardAction, forms: RenderOptions['forms']): AdaptiveAction {
  const form = forms?.[action.id];
  if (form) {
    return {
      type: 'Action.ShowCard',
      title: plain(action.label, 60),
      card: { type: 'AdaptiveCard', body: form.inputs, actions: [{ ...execute(action, form.submitLabel), associatedInputs: 'auto' }] },
      ...(action.style ? { style: STYLE[action.style] } : {}),
    };
  }
  if (action.confirm) {
    const { confirm } = action;
    return {
      type: 'Action.ShowCard',
      title: plain(action.label, 60),
      card: { type: 'AdaptiveCard', body: textLines(`**${confirm.title}**\n${confirm.text}`), actions: [execute(action, confirm.confirm)] },
    };
  }
  return execute(action);
}

function renderBlock(block: Exclude<CardBlock, { type: 'divider' }>, options: RenderOptions): AdaptiveElement | null {
  switch (block.type) {
    case 'header':
      return { type: 'TextBlock', text: plain(block.text), wrap: true, style: 'heading', weight: 'Bolder', size: 'Medium' };
    case 'text':
      return { type: 'Container', items: textLines(block.text) };
    case 'fields':
      return { type: 'FactSet', facts: block.fields.map((f) => ({ title: plain(f.label, 80), value: toAdaptiveMarkdown(f.value) })) };
    case 'context':
      return { type: 'Container', items: textLines(block.text, { isSubtle: true, size: 'Small' }) };
    case 'actions': {
      const shown = block.actions.filter(options.showAction ?? (() => true));
      return shown.length > 0 ? { type: 'ActionSet', actions: shown.map((a) => renderAction(a, options.forms)) } : null;
    }
  }
}

/**
 * Renders a platform-neutral card as an Adaptive Card 1.5, block for block. Buttons become
 * Action.Execute (verb = the model's action id, data = { requestId }), so a click reaches the bot as
 * an `adaptiveCard/action` invoke whose answer replaces the card in place.
 */
export function renderAdaptiveCard(card: Card, options: RenderOptions = {}): AdaptiveCard {
  const body: AdaptiveElement[] = [];
  if (options.note) {
    const color = options.note.tone === 'warning' ? 'Attention' : 'Good';
    body.push({ type: 'Container', style: 'emphasis', items: textLines(options.note.text, { color, weight: 'Bolder' }) });
  }
  let separate = false;
  for (const block of card.blocks) {
    if (block.type === 'divider') {
      separate = true;
      continue;
    }
    const element = renderBlock(block, options);
    if (!element) continue;
    body.push(separate ? { ...element, separator: true, spacing: 'Medium' } : element);
    separate = false;
  }
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    ...(options.refresh ? { refresh: { ...options.refresh, userIds: options.refresh.userIds.slice(0, MAX_REFRESH_USERS) } } : {}),
    fallbackText: plain(card.fallback, 1000),
    // Approval facts are long lines (ARNs); full width keeps them readable in channels.
    msteams: { width: 'Full' },
  };
}

/** The request a card's buttons act on: how the Teams adapter tells which request a posted card shows. */
export function cardRequestId(card: Card): string | undefined {
  for (const block of card.blocks) {
    if (block.type === 'actions') {
      if (block.actions.some((a) => isScanAction(a.id))) return undefined;
      const value = block.actions[0]?.value;
      if (value) return value;
    }
  }
  return undefined;
}

export function cardActionIds(card: Card): ActionId[] {
  return card.blocks.flatMap((b) => (b.type === 'actions' ? b.actions.map((a) => a.id) : []));
}
