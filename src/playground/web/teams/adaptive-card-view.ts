import { AdaptiveCard, ExecuteAction, HostConfig, type Action, type IMarkdownProcessingResult } from 'adaptivecards';
import { element } from '../dom.js';
import { teamsMarkdown } from './markdown.js';

/** A click on an Action.Execute: its verb and the values of the inputs it carries (a deny reason). */
export interface ExecuteClick {
  verb: string;
  inputs: Record<string, string>;
}

// Teams renders Markdown in TextBlocks; the library leaves that to the host.
AdaptiveCard.onProcessMarkdown = (text: string, result: IMarkdownProcessingResult) => {
  result.outputHtml = teamsMarkdown(text);
  result.didProcess = true;
};

const hostConfig = new HostConfig({
  fontFamily: 'inherit',
  supportsInteractivity: true,
  spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 28, padding: 14 },
  actions: { maxActions: 6, spacing: 'default', buttonSpacing: 8, showCard: { actionMode: 'inline', inlineTopMargin: 8 }, actionsOrientation: 'horizontal', actionAlignment: 'left' },
});

function inputValues(action: Action): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const [id, input] of Object.entries(action.getReferencedInputs() ?? {})) {
    const value: unknown = input.value;
    if (typeof value === 'string') inputs[id] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') inputs[id] = String(value);
  }
  return inputs;
}

/**
 * Renders an Adaptive Card with the official `adaptivecards` renderer, as Teams does. Action.Execute
 * clicks go to `onExecute`; a card the library cannot parse shows as a labelled placeholder.
 */
export function renderAdaptiveCard(json: unknown, onExecute: (click: ExecuteClick) => void): HTMLElement {
  const host = element('div', { class: 'ac-host' });
  try {
    const card = new AdaptiveCard();
    card.hostConfig = hostConfig;
    card.onExecuteAction = (action) => {
      if (action instanceof ExecuteAction) onExecute({ verb: action.verb, inputs: inputValues(action) });
    };
    card.parse(json);
    const rendered = card.render();
    if (rendered) host.append(rendered);
    else host.append(element('p', { class: 'ac-unrenderable' }, '[This card could not be shown]'));
  } catch (error) {
    host.append(element('p', { class: 'ac-unrenderable' }, `[This card could not be shown: ${error instanceof Error ? error.message : String(error)}]`));
  }
  return host;
}
