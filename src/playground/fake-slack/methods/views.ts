import { z } from 'zod';
import { ViewPayloadSchema, requiredString } from '../schemas.js';
import { type ViewResult, toSlackView } from '../view-store.js';
import { type MethodHandler, fail, ok, parseArgs } from './context.js';

const TriggeredArgs = z.looseObject({
  trigger_id: requiredString('trigger_id'),
  view: ViewPayloadSchema,
});
const UpdateArgs = z.looseObject({
  view_id: z.string().optional(),
  external_id: z.string().optional(),
  hash: z.string().optional(),
  view: ViewPayloadSchema,
});
const PublishArgs = z.looseObject({
  user_id: requiredString('user_id'),
  view: ViewPayloadSchema,
});

const answer = (result: ViewResult) => (result.ok ? ok({ view: toSlackView(result.view) }) : fail(result.error));

/** views.open / views.push need a fresh trigger_id, which also tells whose screen the modal is on. */
function triggered(kind: 'open' | 'push'): MethodHandler {
  return (args, state) => {
    const parsed = parseArgs(TriggeredArgs, args);
    if (!parsed.ok) return parsed.response;
    const trigger = state.handles.exchangeTrigger(parsed.data.trigger_id);
    if (!trigger.ok) return fail(trigger.error);
    return answer(state.views[kind](trigger.user, parsed.data.view));
  };
}

const update: MethodHandler = (args, state) => {
  const parsed = parseArgs(UpdateArgs, args);
  if (!parsed.ok) return parsed.response;
  const { view_id: viewId, external_id: externalId, hash, view } = parsed.data;
  if (!viewId && !externalId) return fail('not_found');
  return answer(state.views.update({ viewId, externalId }, view, hash));
};

const publish: MethodHandler = (args, state) => {
  const parsed = parseArgs(PublishArgs, args);
  if (!parsed.ok) return parsed.response;
  return answer(state.views.publish(parsed.data.user_id, parsed.data.view));
};

export const viewMethods: Record<string, MethodHandler> = {
  'views.open': triggered('open'),
  'views.push': triggered('push'),
  'views.update': update,
  'views.publish': publish,
};
