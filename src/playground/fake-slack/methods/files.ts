import { z } from 'zod';
import { toSlackFile } from '../files.js';
import { requiredString } from '../schemas.js';
import { type MethodHandler, fail, ok, parseArgs } from './context.js';

const InfoArgs = z.looseObject({ file: requiredString('file') });

/**
 * files.info: the bot sees a file only once it is shared in a conversation (the fake's bot is in
 * every one); an unshared file answers `file_not_found`, as Slack does for files the bot cannot see.
 */
const info: MethodHandler = (args, state) => {
  const parsed = parseArgs(InfoArgs, args);
  if (!parsed.ok) return parsed.response;
  const file = state.files.get(parsed.data.file);
  if (file?.deleted) return fail('file_deleted');
  if (!file || file.channels.length === 0) return fail('file_not_found');
  const { teamId, teamDomain } = state.identity;
  return ok({ file: toSlackFile(file, state.fileBaseUrl, teamId, teamDomain), comments: [], response_metadata: { next_cursor: '' } });
};

export const fileMethods: Record<string, MethodHandler> = {
  'files.info': info,
};
