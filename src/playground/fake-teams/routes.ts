import type { ConnectorOperation } from './types.js';

export interface Route {
  operation: ConnectorOperation;
  conversationId?: string;
  activityId?: string;
  memberId?: string;
}

/** The connector's path under the service URL, e.g. https://smba.trafficmanager.net/teams/. */
export const SERVICE_PATH = '/teams/';

const CONNECTOR = /^\/teams\/v3\/conversations(?:\/([^/]+)(?:\/(activities|members)(?:\/([^/]+))?)?)?$/;

/** Which Bot Framework operation a request is: the paths botbuilder's ConnectorClient and MSAL-like clients call. */
export function routeOf(method: string, path: string): Route {
  if (method === 'GET' && (path === '/v1/.well-known/openidconfiguration' || path === '/botframework.com/v2.0/.well-known/openid-configuration')) {
    return { operation: 'openid' };
  }
  if (method === 'GET' && (path === '/v1/.well-known/keys' || path === '/botframework.com/discovery/v2.0/keys')) return { operation: 'jwks' };
  if (method === 'POST' && /^\/[^/]+\/oauth2\/v2\.0\/token$/.test(path)) return { operation: 'token' };
  const match = CONNECTOR.exec(path);
  if (!match) return { operation: 'unknown' };
  const [, conversation, collection, item] = match;
  // Conversation ids carry ':', ';', '@' and '=', so the client percent-encodes them.
  const conversationId = conversation ? decodeURIComponent(conversation) : undefined;
  const itemId = item ? decodeURIComponent(item) : undefined;
  if (!conversationId) return { operation: method === 'POST' ? 'createConversation' : 'unknown' };
  if (collection === 'members' && method === 'GET') {
    return itemId ? { operation: 'getConversationMember', conversationId, memberId: itemId } : { operation: 'getConversationMembers', conversationId };
  }
  if (collection !== 'activities') return { operation: 'unknown', conversationId };
  if (!itemId) return { operation: method === 'POST' ? 'sendToConversation' : 'unknown', conversationId };
  const byMethod: Record<string, ConnectorOperation> = { POST: 'replyToActivity', PUT: 'updateActivity', DELETE: 'deleteActivity' };
  return { operation: byMethod[method] ?? 'unknown', conversationId, activityId: itemId };
}
