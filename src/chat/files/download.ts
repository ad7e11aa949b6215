import { UserFacingError } from '../../access/errors.js';

/** A file's bytes are more than this use of it accepts. */
export class FileTooLargeError extends UserFacingError {
  constructor(
    readonly fileName: string,
    readonly maxBytes: number,
  ) {
    super(`\`${fileName}\` is larger than ${formatBytes(maxBytes)}, the most I accept for this. Trim it, or ask the platform team.`);
    this.name = 'FileTooLargeError';
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

export interface DownloadRequest {
  url: string;
  /** Shown in errors. */
  name: string;
  /** Sent with the request, e.g. `Authorization`; never logged or put in an error. */
  headers: Record<string, string>;
  maxBytes: number;
  fetch?: typeof fetch;
}

/**
 * Streams a chat platform's file: the answer's status is checked before the first byte is handed
 * on, and the bytes are counted as they arrive, so a file over the cap fails without being held in
 * memory (a consumer that stops early cancels the download).
 */
export async function downloadFile(request: DownloadRequest): Promise<AsyncIterable<Buffer>> {
  let response: Response;
  try {
    response = await (request.fetch ?? fetch)(request.url, { headers: request.headers, redirect: 'follow' });
  } catch (error) {
    throw new UserFacingError(`Downloading \`${request.name}\` failed: ${error instanceof Error ? error.message : String(error)}. Try again in a minute.`);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    throw new UserFacingError(`Downloading \`${request.name}\` failed (HTTP ${response.status}). Share the file again, or try again in a minute.`);
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > request.maxBytes) {
    await response.body.cancel().catch(() => undefined);
    throw new FileTooLargeError(request.name, request.maxBytes);
  }
  return capped(response.body, request.name, request.maxBytes);
}

async function* capped(body: ReadableStream<Uint8Array>, name: string, maxBytes: number): AsyncGenerator<Buffer> {
  let seen = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      seen += value.byteLength;
      if (seen > maxBytes) throw new FileTooLargeError(name, maxBytes);
      yield Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    }
  } finally {
    // Stopping early (a format sniff, a parse error, the cap) must not leave the download running.
    await reader.cancel().catch(() => undefined);
  }
}

/** The whole file as UTF-8 text, for small files (policy files) only: the cap bounds memory. */
export async function readText(chunks: AsyncIterable<Buffer>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}
