import { randomBytes, randomUUID } from 'node:crypto';
import type { TeamsAppOptions } from '../chat/teams/teams-app.js';
import type { Clock } from '../clock.js';
import type { AccessRules, Org } from '../config/schemas.js';
import { FakeBotConnector } from './fake-teams/index.js';
import { playgroundChannels } from './playground-slack.js';

export interface PlaygroundTeamsOptions {
  org: Org;
  rules: AccessRules;
  clock?: Clock;
}

/**
 * The local Teams of the playground: the fake Bot Connector (Bot Connector REST API, OpenID
 * metadata, keys and token endpoint) on a free loopback port, with the sample org's people who have
 * an `aadObjectId`. A random app id and password per run keep botbuilder's token checks on: only
 * this process can sign activities the bot accepts.
 */
export class PlaygroundTeams {
  private constructor(readonly fake: FakeBotConnector) {}

  static async start(options: PlaygroundTeamsOptions): Promise<PlaygroundTeams> {
    const fake = await FakeBotConnector.start({
      appId: randomUUID(),
      appPassword: randomBytes(24).toString('hex'),
      botName: 'Warden',
      users: options.org.users.flatMap((u) => (u.aadObjectId ? [{ aadObjectId: u.aadObjectId, name: u.name, ...(u.email ? { email: u.email } : {}) }] : [])),
      channels: playgroundChannels(options.rules).map((c) => ({ name: c.name })),
      ...(options.clock && { clock: options.clock }),
    });
    return new PlaygroundTeams(fake);
  }

  /** How Warden's botbuilder adapter runs: on a free loopback port, trusting this fake only. */
  get teamsOptions(): Omit<TeamsAppOptions, 'logger'> {
    return { auth: this.fake.teamsAuth(), port: 0 };
  }

  close(): Promise<void> {
    return this.fake.close();
  }
}
