import { authMethods } from './auth.js';
import { chatMethods } from './chat.js';
import type { MethodHandler } from './context.js';
import { conversationMethods } from './conversations.js';
import { fileMethods } from './files.js';
import { userMethods } from './users.js';
import { viewMethods } from './views.js';

export { UNAUTHENTICATED_METHODS } from './auth.js';
export type { MethodHandler } from './context.js';

/** Every Web API method the fake emulates; anything else gets `unknown_method`, as from Slack. */
export const METHODS: ReadonlyMap<string, MethodHandler> = new Map(
  Object.entries({ ...authMethods, ...chatMethods, ...viewMethods, ...conversationMethods, ...userMethods, ...fileMethods }),
);
