/**
 * A fake Teams for tests and the local playground: the Bot Connector REST API, OpenID metadata,
 * keys and token endpoint real botbuilder code talks to, and a sender that delivers signed
 * activities to a bot's /api/messages.
 */
export { FakeBotConnector, CHANNEL_TOKEN_ISSUER, CONNECTOR_SCOPE } from './connector.js';
export { TeamsActivitySender, NoSuchButtonError, type SendResult, type MessageResult, type InvokeResult, type MessageInput } from './sender.js';
export { adaptiveCardOf, cardText, executeActions, refreshOf, ADAPTIVE_CARD, type ExecuteActionJson } from './cards.js';
export { signJwt, unsignedJwt, generateSigningKey, type SigningKey } from './jwt.js';
export type { RequestPredicate } from './recorder.js';
export { FILE_DOWNLOAD_INFO, type FakeTeamsFile } from './files.js';
export type * from './types.js';
