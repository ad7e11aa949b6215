import { randomBytes } from 'node:crypto';
import type { SlackAppOptions } from '../chat/slack/slack-app.js';
import type { Logger } from '../chat/slack/context.js';
import type { Clock } from '../clock.js';
import type { AccessRules, Org } from '../config/schemas.js';
import type { Store } from '../store/store.js';
import { FakeSlackWebApi, type FakeChannelInput } from './fake-slack/index.js';
import type { FakeBotConnector } from './fake-teams/index.js';
import { PlaygroundServer } from './server/playground-server.js';

const PLAYGROUND_TOKEN = 'xoxb-warden-playground';

/** Always there, so the page shows where `/scan` results will go. */
const EXTRA_CHANNELS = ['security'];

/** A readable channel id from a name, shaped like Slack's: "access-requests" → "C0ACCESSREQ". */
export function channelIdFor(name: string): string {
  return `C0${name.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 9)}`;
}

/** The approvers channels the access rules post to, and the security channel. */
export function playgroundChannels(rules: AccessRules): FakeChannelInput[] {
  const named = rules.rules.flatMap((rule) => (rule.notify.mode === 'channel' && rule.notify.channel ? [rule.notify.channel.replace(/^#/, '')] : []));
  return [...new Set([...named, ...EXTRA_CHANNELS])].map((name) => ({ id: channelIdFor(name), name }));
}

export interface PlaygroundSlackOptions {
  org: Org;
  rules: AccessRules;
  clock?: Clock;
}

export interface ServeOptions {
  /** The port Bolt's HTTP receiver listens on (Warden's `slackPort`). */
  boltPort: number | undefined;
  store: Store;
  /** The page's port (PORT); 0 picks a free one. */
  port: number;
  host?: string;
  logger: Logger;
  /** The Teams tab: the fake Bot Connector and Warden's `teamsUrl`, when Teams runs too. */
  teams?: { fake: FakeBotConnector; botUrl: string | undefined };
}

/**
 * The local Slack of the playground: the fake Web API on a free loopback port, with the sample
 * org's members and channels, and the secret Bolt verifies the page's signed requests with.
 */
export class PlaygroundSlack {
  private constructor(
    readonly fake: FakeSlackWebApi,
    readonly signingSecret: string,
    private readonly org: Org,
    private readonly rules: AccessRules,
  ) {}

  static async start(options: PlaygroundSlackOptions): Promise<PlaygroundSlack> {
    const fake = await FakeSlackWebApi.start({
      botToken: PLAYGROUND_TOKEN,
      botName: 'warden',
      port: 0,
      users: options.org.users.flatMap((u) => (u.slackId ? [{ id: u.slackId, name: u.id, realName: u.name, ...(u.email ? { email: u.email } : {}) }] : [])),
      channels: playgroundChannels(options.rules),
      ...(options.clock && { clock: options.clock }),
    });
    // A fresh secret per run: only this process can sign requests Bolt accepts.
    return new PlaygroundSlack(fake, randomBytes(24).toString('hex'), options.org, options.rules);
  }

  /** How Warden's Bolt app connects: an HTTP receiver on a free loopback port, Web API calls to the fake. */
  get slackOptions(): Omit<SlackAppOptions, 'logger'> {
    return {
      connection: { mode: 'http', botToken: PLAYGROUND_TOKEN, signingSecret: this.signingSecret, port: 0, host: '127.0.0.1' },
      clientOptions: { slackApiUrl: this.fake.apiUrl },
    };
  }

  /** Starts the page once Bolt is listening (and has checked its token with the fake). */
  async serve(options: ServeOptions): Promise<PlaygroundServer> {
    if (options.boltPort === undefined) throw new Error('The playground needs Bolt on an HTTP receiver, which reported no port.');
    await this.fake.waitFor('auth.test', { timeoutMs: 10_000, description: "Bolt's auth.test at start-up" });
    try {
      return await PlaygroundServer.start({
        fake: this.fake,
        boltUrl: `http://127.0.0.1:${options.boltPort}/slack/events`,
        signingSecret: this.signingSecret,
        store: options.store,
        org: this.org,
        rules: this.rules,
        port: options.port,
        ...(options.host !== undefined && { host: options.host }),
        logger: options.logger,
        ...(options.teams?.botUrl !== undefined && { teams: { fake: options.teams.fake, botUrl: options.teams.botUrl, channels: playgroundChannels(this.rules).map((c) => c.name) } }),
      });
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
        throw new Error(`Port ${options.port} is already in use. Stop what uses it, or set PORT to another port.`);
      }
      throw error;
    }
  }

  close(): Promise<void> {
    return this.fake.close();
  }
}
