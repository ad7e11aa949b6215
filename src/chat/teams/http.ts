import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CloudAdapter, Request, Response, TurnContext } from 'botbuilder';
import { z } from 'zod';
import { BodyTooLargeError, readCappedBody } from '../../http-body.js';

export const MESSAGES_PATH = '/api/messages';
// Teams activities are small; a card-heavy one stays well under this. Anything bigger is not Teams.
const MAX_BODY_BYTES = 1024 * 1024;

function reply(res: ServerResponse, status: number, body?: string): void {
  res.statusCode = status;
  if (body !== undefined) res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.end(body);
}

/**
 * botbuilder's CloudAdapter.process expects an express- or restify-like request with a parsed body
 * and a response with status/header/send/end. This bridges plain node:http to it, so Warden needs
 * no web framework for one endpoint.
 */
function responseFor(res: ServerResponse): Response {
  let body: string | undefined;
  return {
    socket: res.socket,
    status(code: number) {
      res.statusCode = code;
      return this;
    },
    header(name: string, value: unknown) {
      res.setHeader(name, String(value));
      return this;
    },
    send(payload: unknown) {
      if (payload === undefined || payload === null) return this;
      if (typeof payload === 'string') {
        body = payload;
        if (!res.hasHeader('content-type')) res.setHeader('content-type', 'text/plain; charset=utf-8');
      } else {
        body = JSON.stringify(payload);
        res.setHeader('content-type', 'application/json; charset=utf-8');
      }
      return this;
    },
    end() {
      res.end(body);
      return this;
    },
  };
}

/**
 * The HTTP endpoint Teams (through the Bot Connector) posts activities to. botbuilder verifies the
 * bearer token of every request before `logic` runs; a request it cannot verify gets 401 and never
 * reaches Warden.
 */
export function createMessagesHandler(adapter: CloudAdapter, logic: (context: TurnContext) => Promise<void>) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== MESSAGES_PATH) return reply(res, 404, 'Not found');
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return reply(res, 405, 'Method not allowed');
    }
    let raw: string;
    try {
      raw = await readCappedBody(req, MAX_BODY_BYTES);
    } catch (error) {
      // The rest of the body is never read, so this connection cannot carry another request.
      res.setHeader('connection', 'close');
      return reply(res, error instanceof BodyTooLargeError ? 413 : 400, 'Unreadable body');
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return reply(res, 400, 'The body must be a JSON activity');
    }
    const activity = z.record(z.string(), z.unknown()).safeParse(body);
    if (!activity.success) return reply(res, 400, 'The body must be a JSON activity');
    const request: Request = { body: activity.data, headers: req.headers, method: req.method };
    await adapter.process(request, responseFor(res), logic);
  };
}
