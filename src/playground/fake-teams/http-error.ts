/** An answer the fake gives with an error status, in the Bot Framework's `{ error: { code, message } }` shape. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
