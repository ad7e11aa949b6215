import { type MethodHandler, ok } from './context.js';

const test: MethodHandler = (_args, state) => {
  const { teamDomain, teamId, botName, botUserId, botId } = state.identity;
  return ok({
    url: `https://${teamDomain}.slack.com/`,
    team: teamDomain,
    user: botName,
    team_id: teamId,
    user_id: botUserId,
    bot_id: botId,
    is_enterprise_install: false,
  });
};

/** api.test echoes its arguments and needs no token. */
const apiTest: MethodHandler = (args) => ok({ args });

export const authMethods: Record<string, MethodHandler> = { 'auth.test': test, 'api.test': apiTest };

/** Methods Slack answers without a token. */
export const UNAUTHENTICATED_METHODS = new Set(['api.test']);
