import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiError } from '../api-types.js';
import { BodyTooLargeError, readCappedBody } from '../../http-body.js';

/** Larger than any form or message the page sends; protects the process from runaway bodies. */
const MAX_BODY_BYTES = 512 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  // Requiring JSON keeps other web pages out: a cross-site form cannot send this content type
  // without a CORS preflight, which this server never approves.
  if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
    throw new HttpError(415, 'send JSON (content-type: application/json)');
  }
  let text: string;
  try {
    text = await readCappedBody(req, MAX_BODY_BYTES);
  } catch (error) {
    throw error instanceof BodyTooLargeError ? new HttpError(413, 'request too large') : error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'the body is not valid JSON');
  }
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, error: string): void {
  const body: ApiError = { ok: false, error };
  sendJson(res, status, body);
}

/**
 * The page's own scripts and styles only; images may come from the web (Block Kit image blocks).
 * Even if the renderer ever let markup through, no inline script could run.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' https: data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function sendAsset(res: ServerResponse, contentType: string, body: string): void {
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': `${contentType}; charset=utf-8`,
    'content-length': Buffer.byteLength(body),
    'content-security-policy': CONTENT_SECURITY_POLICY,
  });
  res.end(body);
}

/**
 * A page on another site could reach a server on localhost through the visitor's browser, or
 * through DNS rebinding; only requests addressed to this server by its loopback names pass.
 */
export function isAllowedHost(req: IncomingMessage, port: number, loopbackOnly: boolean): boolean {
  if (!loopbackOnly) return true;
  const host = (req.headers.host ?? '').toLowerCase();
  const allowed = [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`];
  if (!allowed.includes(host)) return false;
  const origin = req.headers.origin;
  return origin === undefined || allowed.some((h) => origin.toLowerCase() === `http://${h}`);
}
