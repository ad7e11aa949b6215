import { pino } from 'pino';

/** What Warden's code logs through: structured fields, never a secret (see SECRET_PATHS). */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

// Field names that may carry credentials anywhere in a logged object. Values are never printed.
export const SECRET_PATHS = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'password',
  'authorization',
  '*.token',
  '*.botToken',
  '*.appToken',
  '*.signingSecret',
  '*.password',
  '*.authorization',
];

export function createLogger(level: string = 'info'): Logger {
  const base = pino({ level, redact: { paths: SECRET_PATHS, censor: '[redacted]' } });
  return {
    info: (message, fields) => base.info(fields ?? {}, message),
    error: (message, fields) => base.error(fields ?? {}, message),
  };
}

/** For tests: collects lines instead of printing them. */
export function memoryLogger(): Logger & { lines: { level: string; message: string; fields?: Record<string, unknown> }[] } {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  return {
    lines,
    info: (message, fields) => lines.push({ level: 'info', message, ...(fields ? { fields } : {}) }),
    error: (message, fields) => lines.push({ level: 'error', message, ...(fields ? { fields } : {}) }),
  };
}
