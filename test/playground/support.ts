import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel, type Logger } from '@slack/bolt';
import { FakeSlackWebApi, SlackEventSender, type FakeSlackOptions } from '../../src/playground/fake-slack/index.js';

export const BOT_TOKEN = 'xoxb-fake-test-token';
export const SIGNING_SECRET = 'fake-signing-secret';
export const ALICE = 'U0ALICE';
export const BOB = 'U0BOB';

export const USERS = [
  { id: ALICE, name: 'alice', email: 'alice@example.com', realName: 'Alice Example' },
  { id: BOB, name: 'bob', email: 'bob@example.com' },
];

/** Keeps Bolt quiet but lets a test look at what it logged (e.g. a refused signature). */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  let level = LogLevel.DEBUG;
  const log = (prefix: string) => (...msg: unknown[]) => {
    lines.push(`${prefix} ${msg.map(String).join(' ')}`);
  };
  return {
    lines,
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

export interface Harness {
  fake: FakeSlackWebApi;
  app: App;
  sender: SlackEventSender;
  logger: ReturnType<typeof recordingLogger>;
  close(): Promise<void>;
}

/**
 * A real Bolt App on an HTTP receiver (free port), its WebClient pointed at the fake, and a sender
 * aimed at its /slack/events endpoint. `register` adds listeners before the app starts.
 */
export async function startHarness(
  register: (app: App) => void,
  fakeOptions: Partial<FakeSlackOptions> = {},
): Promise<Harness> {
  const fake = await FakeSlackWebApi.start({ botToken: BOT_TOKEN, users: USERS, ...fakeOptions });
  const logger = recordingLogger();
  const receiver = new HTTPReceiver({ signingSecret: SIGNING_SECRET, logger });
  const app = new App({
    token: BOT_TOKEN,
    receiver,
    logger,
    // No retries: a failing call should fail the test now, not after WebClient's backoff.
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
  });
  // Bolt calls auth.test from the App constructor without awaiting it; wait for it here so a test
  // that closes quickly never turns that call into an unhandled rejection.
  await fake.waitFor('auth.test');
  register(app);
  const server = (await app.start(0)) as Server;
  const { port } = server.address() as AddressInfo;
  const sender = new SlackEventSender({ url: `http://127.0.0.1:${port}/slack/events`, signingSecret: SIGNING_SECRET, fake });
  return {
    fake,
    app,
    sender,
    logger,
    close: async () => {
      await app.stop();
      await fake.close();
    },
  };
}

/** A promise and its resolver, to hand a value out of a Bolt listener. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
