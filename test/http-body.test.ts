import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BodyTooLargeError, readCappedBody } from '../src/http-body.js';

let server: Server | undefined;

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A loopback server that answers with what readCappedBody made of the request. */
async function echo(maxBytes: number): Promise<string> {
  server = createServer((req, res) => {
    readCappedBody(req, maxBytes).then(
      (text) => res.end(`ok:${text}`),
      (error: unknown) => {
        res.statusCode = error instanceof BodyTooLargeError ? 413 : 500;
        res.end();
      },
    );
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

describe('reading a request body with a cap', () => {
  it('returns the UTF-8 text of a body within the cap, multi-byte characters intact', async () => {
    const url = await echo(64);
    const response = await fetch(url, { method: 'POST', body: 'café ☕' });
    expect(await response.text()).toBe('ok:café ☕');
  });

  it('refuses a body over the cap', async () => {
    const url = await echo(1024);
    const response = await fetch(url, { method: 'POST', body: 'x'.repeat(1025) }).catch(() => undefined);
    // The server may answer before the client has sent everything; either way nothing over the cap is accepted.
    if (response) expect(response.status).toBe(413);
  });
});
