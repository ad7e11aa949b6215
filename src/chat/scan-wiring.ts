import type { AccessDeps } from '../access/deps.js';
import type { ScanChat } from '../scans/chat.js';
import { randomScanIds } from '../scans/ids.js';
import { abortableSleep } from '../scans/poll.js';
import type { ScanPorts } from '../scans/ports.js';
import type { ChatMessageRef } from '../scans/scan.js';
import { ScanTracker } from '../scans/tracker.js';
import { wafrCatalog } from '../scans/wafr/catalog.js';
import type { ScanDeps } from '../scans/workflow.js';
import type { Card } from './cards/model.js';
import type { Logger } from './slack/context.js';

/** The scan workflows' ports and the one tracker, shared by every chat platform of a Warden. */
export interface SharedScans {
  deps: ScanDeps;
  tracker: ScanTracker;
}

/** A platform's ScanChat, with whether a conversation is one of its own. */
export interface OwnedScanChat extends ScanChat {
  owns(channel: string): Promise<boolean>;
}

/**
 * Sends each scan's messages to the platform its `/scan` came from: a Teams conversation Warden has
 * seen goes to Teams, anything else (a Slack channel id) to Slack. One tracker then serves scans of
 * both platforms, and a restart resumes each on its own platform.
 */
export class RoutingScanChat implements ScanChat {
  constructor(private readonly chats: { slack?: ScanChat | undefined; teams?: OwnedScanChat | undefined }) {}

  private async chatFor(channel: string): Promise<ScanChat> {
    const { slack, teams } = this.chats;
    if (teams && (!slack || (await teams.owns(channel)))) return teams;
    if (slack) return slack;
    throw new Error('Scans need a chat platform: configure Slack or Teams.');
  }

  async post(channel: string, card: Card, threadTs?: string): Promise<ChatMessageRef> {
    return (await this.chatFor(channel)).post(channel, card, threadTs);
  }

  async update(ref: ChatMessageRef, card: Card): Promise<void> {
    await (await this.chatFor(ref.channel)).update(ref, card);
  }

  async permalink(ref: ChatMessageRef): Promise<string | undefined> {
    return (await this.chatFor(ref.channel)).permalink(ref);
  }
}

/** The scan workflows' ports over the access deps (clock, directory, rules) and the given chat. */
export function sharedScans(access: AccessDeps, ports: ScanPorts, chat: ScanChat, logger: Logger): SharedScans {
  const deps: ScanDeps = {
    scans: ports.store,
    runner: ports.runner,
    results: ports.results,
    chat,
    catalog: wafrCatalog,
    clock: access.clock,
    ids: ports.ids ?? randomScanIds,
    directory: access.directory,
    // A getter, like AccessDeps.rules: an admin's change of the access rules applies to who may scan too.
    get rules() {
      return access.rules;
    },
    config: ports.config,
    logger,
    poll: ports.poll ?? { sleep: abortableSleep },
    ...(ports.classifier ? { classifier: ports.classifier } : {}),
  };
  return { deps, tracker: new ScanTracker(deps) };
}
