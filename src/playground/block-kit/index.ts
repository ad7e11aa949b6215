/**
 * The Block Kit renderer of the playground page: pure functions from the JSON a bot posts to safe
 * HTML strings (no DOM needed, so they run in the page and in unit tests alike).
 */
export { renderBlocks, renderBlock, blockIdOf } from './blocks.js';
export { renderMrkdwn, renderPlainText, decodeSlackEntities } from './mrkdwn.js';
export { renderModal } from './modal.js';
export { renderConfirm } from './confirm.js';
export { renderTextObject, textOf } from './text-object.js';
export { findElement, type FoundElement } from './find-element.js';
export { escapeHtml, escapeAttr } from './html.js';
export { toDateTimeLocal } from './elements.js';
export {
  actionSelection,
  buildViewState,
  inputFields,
  validateInputs,
  type RawInputs,
  type RawInputValue,
  type ViewStateValues,
} from './view-state.js';
export { anonymousContext, type RenderContext } from './context.js';
