import type { ApiError, AuditEventView, AwsCallView, OrgInfo, SlackSnapshot, SubmitViewResult, SuggestResult, TeamsSnapshot } from '../api-types.js';
import type {
  BlockActionRequest,
  CloseViewRequest,
  PostMessageRequest,
  SubmitViewRequest,
  SuggestRequest,
  TeamsExecuteRequest,
  TeamsPostMessageRequest,
} from '../server/api-schemas.js';

/** Errors the server explains in words, shown to the person as they are. */
export class ApiFailure extends Error {}

function isApiError(value: unknown): value is ApiError {
  return typeof value === 'object' && value !== null && 'ok' in value && value.ok === false && 'error' in value && typeof value.error === 'string';
}

async function call<T>(path: string, init?: { body: unknown }): Promise<T> {
  const response = await fetch(path, init ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) } : {});
  // The server is this page's own: its answers have the shapes of api-types.ts.
  const body = (await response.json()) as unknown;
  if (!response.ok || isApiError(body)) throw new ApiFailure(isApiError(body) ? body.error : `HTTP ${response.status}`);
  return body as T;
}

/** The playground server's JSON API (src/playground/server). */
export const api = {
  org: () => call<OrgInfo>('/playground/org'),
  slackState: (as: string) => call<SlackSnapshot>(`/playground/slack/state?as=${encodeURIComponent(as)}`),
  postMessage: (body: PostMessageRequest) => call<{ ok: true }>('/playground/slack/messages', { body }),
  blockAction: (body: BlockActionRequest) => call<{ ok: true }>('/playground/slack/actions', { body }),
  submitView: (body: SubmitViewRequest) => call<SubmitViewResult>('/playground/slack/views/submit', { body }),
  closeView: (body: CloseViewRequest) => call<{ ok: true }>('/playground/slack/views/close', { body }),
  suggest: (body: SuggestRequest) => call<SuggestResult>('/playground/slack/views/suggest', { body }),
  teamsState: (as: string) => call<TeamsSnapshot>(`/playground/teams/state?as=${encodeURIComponent(as)}`),
  teamsMessage: (body: TeamsPostMessageRequest) => call<{ ok: true }>('/playground/teams/messages', { body }),
  teamsExecute: (body: TeamsExecuteRequest) => call<{ ok: true }>('/playground/teams/actions', { body }),
  awsCalls: async () => (await call<{ calls: AwsCallView[] }>('/playground/aws-calls')).calls,
  audit: async () => (await call<{ events: AuditEventView[] }>('/playground/audit')).events,
};
