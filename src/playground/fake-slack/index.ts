/**
 * A fake Slack for tests and the local playground: a Web API server real Bolt code talks to, and a
 * sender that delivers signed events, slash commands and interactions to a Bolt HTTP receiver.
 */
export { FakeSlackWebApi, DEFAULT_TRIGGER_TTL_MS, type UserMessageInput } from './web-api-server.js';
export {
  SlackEventSender,
  toStateValues,
  type SlackEventSenderOptions,
  type SendResult,
  type EventDelivery,
  type RetryOptions,
  type MessageInput,
  type BlockActionInput,
  type ViewSubmissionInput,
  type BlockSuggestionInput,
  type ViewInputValue,
  type ViewValuesInput,
} from './event-sender.js';
export { computeSlackSignature, signatureHeaders } from './signing.js';
export { parseRequestBody, parseFormBody, parseJsonBody, type SlackArgs, type ParsedBody } from './body.js';
export { RESPONSE_URL_METHOD, FILE_DOWNLOAD_METHOD } from './router.js';
export type { FakeFile, FakeFileInput } from './files.js';
export type { EventEnvelope } from './payloads.js';
export { parseOptionsAnswer, type SuggestedOption, type SuggestedOptions } from './suggestions.js';
export type { CallPredicate } from './recorder.js';
export type { ResponseOutcome } from './responses.js';
export type { Json, JsonObject } from './json.js';
export type * from './types.js';
