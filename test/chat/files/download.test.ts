import { describe, expect, it } from 'vitest';
import { downloadFile, FileTooLargeError, readText } from '../../../src/chat/files/download.js';

/** A fetch answering with `chunks` streamed, without a content-length (as a chunked download arrives). */
function streaming(chunks: string[], status = 200): { fetch: typeof fetch; pulled: () => number; headers: () => Headers | undefined } {
  let pulled = 0;
  let headers: Headers | undefined;
  const impl = async (_url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    headers = new Headers(init?.headers);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks[pulled++];
        if (next === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(next));
      },
    });
    return new Response(body, { status });
  };
  return { fetch: impl as typeof fetch, pulled: () => pulled, headers: () => headers };
}

describe('downloadFile', () => {
  it('streams the content with the given headers', async () => {
    const server = streaming(['ab', 'cd']);
    const text = await readText(await downloadFile({ url: 'http://127.0.0.1/f', name: 'f.json', headers: { Authorization: 'Bearer t' }, maxBytes: 10, fetch: server.fetch }));
    expect(text).toBe('abcd');
    expect(server.headers()?.get('authorization')).toBe('Bearer t');
  });

  it('stops a download that grows past the cap, without reading the rest', async () => {
    const server = streaming(['x'.repeat(600), 'x'.repeat(600), 'x'.repeat(600), 'x'.repeat(600)]);
    const chunks = await downloadFile({ url: 'http://127.0.0.1/f', name: 'big.json', headers: {}, maxBytes: 1000, fetch: server.fetch });
    await expect(readText(chunks)).rejects.toBeInstanceOf(FileTooLargeError);
    expect(server.pulled()).toBeLessThan(4);
  });

  it('a failed answer names the status and not the headers', async () => {
    const server = streaming([], 502);
    const failure = downloadFile({ url: 'http://127.0.0.1/f', name: 'f.json', headers: { Authorization: 'Bearer secret-token' }, maxBytes: 10, fetch: server.fetch });
    await expect(failure).rejects.toThrow(/Downloading `f\.json` failed \(HTTP 502\)/);
    await expect(failure).rejects.not.toThrow(/secret-token/);
  });
});
