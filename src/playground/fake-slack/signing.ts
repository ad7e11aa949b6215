import { createHmac } from 'node:crypto';

/**
 * Slack's request signature: "v0=" + hex(HMAC-SHA256(signingSecret, "v0:<timestamp>:<raw body>")).
 * It covers the exact bytes sent, so the body must be signed after it is serialized.
 */
export function computeSlackSignature(signingSecret: string, timestampSec: number, rawBody: string): string {
  const digest = createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${rawBody}`).digest('hex');
  return `v0=${digest}`;
}

/** The two headers Bolt verifies; the timestamp must be within 5 minutes of Bolt's clock. */
export function signatureHeaders(signingSecret: string, rawBody: string, now: Date = new Date()): Record<string, string> {
  const timestampSec = Math.floor(now.getTime() / 1000);
  return {
    'x-slack-request-timestamp': String(timestampSec),
    'x-slack-signature': computeSlackSignature(signingSecret, timestampSec, rawBody),
  };
}
