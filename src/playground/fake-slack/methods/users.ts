import { z } from 'zod';
import { requiredString } from '../schemas.js';
import { type MethodHandler, fail, ok, parseArgs } from './context.js';

const InfoArgs = z.looseObject({ user: requiredString('user') });
const LookupArgs = z.looseObject({ email: requiredString('email') });

const info: MethodHandler = (args, state) => {
  const parsed = parseArgs(InfoArgs, args);
  if (!parsed.ok) return parsed.response;
  const user = state.directory.slackUser(parsed.data.user);
  return user ? ok({ user }) : fail('user_not_found');
};

const lookupByEmail: MethodHandler = (args, state) => {
  const parsed = parseArgs(LookupArgs, args);
  if (!parsed.ok) return parsed.response;
  const found = state.directory.userByEmail(parsed.data.email);
  const user = found && state.directory.slackUser(found.id);
  // Slack's error for this method is the plural "users_not_found".
  return user ? ok({ user }) : fail('users_not_found');
};

const list: MethodHandler = (_args, state) => {
  const ids = [state.identity.botUserId, ...state.directory.listUsers().map((user) => user.id)];
  const members = ids.flatMap((id) => state.directory.slackUser(id) ?? []);
  return ok({ members, response_metadata: { next_cursor: '' } });
};

export const userMethods: Record<string, MethodHandler> = {
  'users.info': info,
  'users.lookupByEmail': lookupByEmail,
  'users.list': list,
};
