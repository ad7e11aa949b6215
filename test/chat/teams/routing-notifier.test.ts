import { describe, expect, it } from 'vitest';
import type { ChatPlatform } from '../../../src/access/types.js';
import { notice } from '../../../src/chat/cards/request-cards.js';
import type { ChatTarget, Notifier } from '../../../src/chat/notifier.js';
import { RoutingNotifier, UnreachableError, withActingPlatform, type RoutedPlatform } from '../../../src/chat/routing-notifier.js';
import type { MessageRef } from '../../../src/store/store.js';

class Recording implements Notifier {
  readonly posts: ChatTarget[] = [];
  readonly updates: MessageRef[] = [];
  constructor(private readonly platform: ChatPlatform) {}
  async post(target: ChatTarget): Promise<MessageRef> {
    this.posts.push(target);
    return { platform: this.platform, channel: 'c', ts: String(this.posts.length), purpose: 'draft' };
  }
  async update(ref: MessageRef): Promise<void> {
    this.updates.push(ref);
  }
}

function platform(notifier: Recording, reachable: string[], channels: string[] = []): RoutedPlatform {
  return { notifier, canReachUser: async (id) => reachable.includes(id), knowsChannel: async (c) => channels.includes(c) };
}

const card = notice('hi');

describe('RoutingNotifier', () => {
  it('sends a thread and updates a message on the platform they live on', async () => {
    const slack = new Recording('slack');
    const teams = new Recording('teams');
    const router = new RoutingNotifier({ slack: platform(slack, []), teams: platform(teams, []) });
    await router.post({ kind: 'thread', origin: { platform: 'teams', channel: 'a:1', threadTs: '1' } }, card);
    await router.update({ platform: 'slack', channel: 'D1', ts: '1.0', purpose: 'approval' }, card);
    expect(teams.posts).toHaveLength(1);
    expect(slack.posts).toHaveLength(0);
    expect(slack.updates).toHaveLength(1);
  });

  it('messages a person where they can be reached, the acting platform first', async () => {
    const slack = new Recording('slack');
    const teams = new Recording('teams');
    const router = new RoutingNotifier({ slack: platform(slack, ['carla', 'both']), teams: platform(teams, ['ben', 'both']) });
    expect((await router.post({ kind: 'user', userId: 'ben' }, card)).platform).toBe('teams');
    expect((await router.post({ kind: 'user', userId: 'carla' }, card)).platform).toBe('slack');
    // Reachable on both: Slack by default, Teams while serving a Teams activity.
    expect((await router.post({ kind: 'user', userId: 'both' }, card)).platform).toBe('slack');
    expect((await withActingPlatform('teams', () => router.post({ kind: 'user', userId: 'both' }, card))).platform).toBe('teams');
    await expect(router.post({ kind: 'user', userId: 'nobody' }, card)).rejects.toBeInstanceOf(UnreachableError);
  });

  it('posts to a channel on a platform that knows it, and refuses a platform that is not configured', async () => {
    const slack = new Recording('slack');
    const teams = new Recording('teams');
    const router = new RoutingNotifier({ slack: platform(slack, [], ['#access-requests']), teams: platform(teams, [], ['#teams-only']) });
    expect((await router.post({ kind: 'channel', channel: '#teams-only' }, card)).platform).toBe('teams');
    expect((await router.post({ kind: 'channel', channel: '#access-requests' }, card)).platform).toBe('slack');
    const slackOnly = new RoutingNotifier({ slack: platform(slack, []) });
    await expect(slackOnly.update({ platform: 'teams', channel: 'a:1', ts: '1', purpose: 'draft' }, card)).rejects.toThrow(/teams is not configured/);
  });

  it('posts a channel named for one platform there only, whatever the other platform knows', async () => {
    const slack = new Recording('slack');
    const teams = new Recording('teams');
    const router = new RoutingNotifier({ slack: platform(slack, [], ['#access-requests']), teams: platform(teams, [], ['#access-requests']) });
    expect((await router.post({ kind: 'channel', channel: '#access-requests', platform: 'teams' }, card)).platform).toBe('teams');
    expect((await router.post({ kind: 'channel', channel: '#access-requests', platform: 'slack' }, card)).platform).toBe('slack');
    expect([slack.posts.length, teams.posts.length]).toEqual([1, 1]);
    const teamsOnly = new RoutingNotifier({ teams: platform(teams, [], ['#access-requests']) });
    await expect(teamsOnly.post({ kind: 'channel', channel: '#access-requests', platform: 'slack' }, card)).rejects.toThrow(/slack is not configured/);
  });
});
