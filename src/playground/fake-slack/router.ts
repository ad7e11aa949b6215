import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { type SlackArgs, parseFormBody, parseRequestBody } from './body.js';
import type { JsonObject } from './json.js';
import { METHODS, type MethodHandler, UNAUTHENTICATED_METHODS } from './methods/index.js';
import { fail } from './methods/context.js';
import type { CallRecorder } from './recorder.js';
import { fileIdOfDownloadPath } from './files.js';
import { deliverResponse } from './responses.js';
import type { SlackState } from './state.js';
import type { MethodOverride } from './types.js';
import { BodyTooLargeError, readCappedBody } from '../../http-body.js';

export interface RouterDeps {
  state: SlackState;
  recorder: CallRecorder;
  overrides: ReadonlyMap<string, MethodOverride>;
}

/** Bigger than any Block Kit payload Slack accepts; protects the test process from runaway bodies. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** The method name in a recorded call for a POST to a response_url. */
export const RESPONSE_URL_METHOD = 'response_url';

/** The method name in a recorded call for a file download (url_private_download). */
export const FILE_DOWNLOAD_METHOD = 'file_download';

/** Routes `/api/<method>` to the method handlers and `/response/<id>` to the response_url handler. */
export function createRequestListener(deps: RouterDeps): RequestListener {
  return (req, res) => {
    route(deps, req, res).catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) return send(res, 413, fail('request_too_large'));
      console.error('fake-slack: request failed', error);
      send(res, 500, fail('fatal_error'));
    });
  };
}

async function route(deps: RouterDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fake-slack.local');
  const apiMatch = /^\/api\/([^/]+)$/.exec(url.pathname);
  if (apiMatch?.[1]) {
    const body = await readCappedBody(req, MAX_BODY_BYTES);
    return send(res, 200, answerApiCall(deps, decodeURIComponent(apiMatch[1]), req, url, body));
  }
  const responseMatch = /^\/response\/([^/]+)$/.exec(url.pathname);
  if (responseMatch?.[1] && req.method === 'POST') {
    const body = await readCappedBody(req, MAX_BODY_BYTES);
    const { status, body: answer } = answerResponseUrl(deps, responseMatch[1], req, body);
    return send(res, status, answer);
  }
  const fileId = fileIdOfDownloadPath(url.pathname);
  if (fileId !== undefined && req.method === 'GET') return serveFile(deps, fileId, req, res);
  if (url.pathname === '/' && req.method === 'GET') return send(res, 200, { ok: true, service: 'fake-slack' });
  send(res, 404, fail('not_found'));
}

/** One Web API call: parse, authenticate, dispatch, record. Slack answers errors with HTTP 200. */
function answerApiCall(deps: RouterDeps, method: string, req: IncomingMessage, url: URL, raw: string): JsonObject {
  const parsed = parseRequestBody(req.headers['content-type'], raw);
  // Slack reads arguments from the query string too; the body wins when both name one.
  const args: SlackArgs = { ...parseFormBody(url.search.slice(1)), ...(parsed.ok ? parsed.args : {}) };
  const token = bearerToken(req) ?? (parsed.ok && parsed.format !== 'json' ? stringArg(args.token) : undefined);
  delete args.token;

  const respond = (response: JsonObject): JsonObject => {
    deps.recorder.record(method, args, response);
    return response;
  };
  if (!parsed.ok) return respond(fail(parsed.error));
  const handler: MethodHandler | undefined = overrideAsHandler(deps.overrides.get(method)) ?? METHODS.get(method);
  if (!handler) return respond(fail('unknown_method'));
  if (!UNAUTHENTICATED_METHODS.has(method)) {
    if (token === undefined || token === '') return respond(fail('not_authed'));
    if (token !== deps.state.identity.botToken) return respond(fail('invalid_auth'));
  }
  try {
    return respond(handler(args, deps.state));
  } catch (error) {
    console.error(`fake-slack: ${method} failed`, error);
    return respond(fail('fatal_error'));
  }
}

function answerResponseUrl(
  deps: RouterDeps,
  id: string,
  req: IncomingMessage,
  raw: string,
): { status: number; body: JsonObject } {
  const parsed = parseRequestBody(req.headers['content-type'] ?? 'application/json', raw);
  const args = parsed.ok ? parsed.args : {};
  const target = deps.state.handles.responseTarget(id);
  const outcome = !parsed.ok
    ? { status: 400, body: fail('invalid_payload') }
    : target
      ? deliverResponse(deps.state, target, args)
      : { status: 404, body: fail('expired_url') };
  deps.recorder.record(RESPONSE_URL_METHOD, args, outcome.body);
  return outcome;
}

/**
 * A file's bytes, as Slack serves url_private_download: only with the bot token in an
 * `Authorization: Bearer` header (without it Slack answers a sign-in page; the fake, a plain 403).
 */
function serveFile(deps: RouterDeps, fileId: string, req: IncomingMessage, res: ServerResponse): void {
  const file = deps.state.files.get(fileId);
  const authorized = bearerToken(req) === deps.state.identity.botToken;
  const status = !authorized ? 403 : !file || file.deleted || file.channels.length === 0 ? 404 : 200;
  // The token is never recorded: whether it was right is all a test needs.
  deps.recorder.record(FILE_DOWNLOAD_METHOD, { file: fileId, authorized }, { ok: status === 200, status });
  if (status !== 200 || !file) {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(status === 403 ? 'forbidden' : 'not found');
    return;
  }
  res.writeHead(200, { 'content-type': file.mimetype, 'content-length': file.content.length });
  res.end(file.content);
}

function overrideAsHandler(override: MethodOverride | undefined): MethodHandler | undefined {
  return override && ((args) => override(args));
}

function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

const stringArg = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function send(res: ServerResponse, status: number, body: JsonObject): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
