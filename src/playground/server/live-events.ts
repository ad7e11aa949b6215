import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LiveEvent } from '../api-types.js';

/** Proxies and browsers drop a silent connection; a comment line now and then keeps it open. */
const HEARTBEAT_MS = 15_000;

/**
 * Server-sent events to every open page. Events only say *that* something changed (a message in
 * a channel, a modal, the audit log); the page then fetches what its acting user may see, so
 * ephemeral messages never travel to a page acting as someone else.
 */
export class LiveEvents {
  private readonly clients = new Set<ServerResponse>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor() {
    this.heartbeat = setInterval(() => this.write(': keep-alive\n\n'), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  connect(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
    });
    // Tells EventSource how soon to reconnect after the server restarts.
    res.write('retry: 1000\n\n');
    this.clients.add(res);
    req.on('close', () => this.clients.delete(res));
  }

  publish(event: LiveEvent): void {
    this.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private write(chunk: string): void {
    for (const res of this.clients) res.write(chunk);
  }
}
