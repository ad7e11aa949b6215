import { TeamsInfo, type CloudAdapter, type TeamsChannelAccount, type TurnContext } from 'botbuilder';
import { errorText } from '../../access/audit.js';
import type { Directory, VerifiedEmailAnswer, VerifiedEmailSource } from '../../access/directory.js';
import type { Clock } from '../../clock.js';
import type { User } from '../../config/schemas.js';
import type { Logger } from '../slack/context.js';
import { toConversationReference, type TeamsAddressBook } from './addresses.js';

/** How long an address read from Teams is trusted before the person's next activity reads it again. */
export const DEFAULT_TEAMS_EMAIL_TTL_MS = 60 * 60_000;
/** After a failed lookup, the next activity tries again no sooner than this. */
const RETRY_AFTER_FAILURE_MS = 60_000;

type Known = { email: string | null } | { error: string };
interface Entry {
  known: Known;
  /** When the next activity of this person reads the address again. */
  checkAgainAt: number;
}

export interface TeamsVerifiedEmailsOptions {
  directory: Pick<Directory, 'userByAadObjectId'>;
  clock: Clock;
  logger: Logger;
  ttlMs?: number;
  /** The Bot Connector's member lookup; default botbuilder's `TeamsInfo.getMember` for the turn. */
  getMember?: (context: TurnContext, aadObjectId: string) => Promise<Pick<TeamsChannelAccount, 'email' | 'userPrincipalName'>>;
  /**
   * Reads, between activities, the address of someone not in the cache (after a restart) through
   * their stored personal chat with the bot, so a request made before the restart can still be
   * granted. Without it, or without such a chat, they are matched at their next activity.
   */
  proactive?: { adapter: Pick<CloudAdapter, 'continueConversationAsync'>; appId: string; addresses: Pick<TeamsAddressBook, 'user'> };
}

/**
 * The e-mail address Teams verified for a person, for matching them to their IAM Identity Center
 * user (the `VerifiedEmailSource` port).
 *
 * Teams has no "look anyone up" call a bot may make without a conversation, so the address is read
 * when the person acts (a message or a card action, before it is handled): botbuilder's
 * `TeamsInfo.getMember(context, aadObjectId)`, i.e. GET /v3/conversations/{id}/members/{aadObjectId}
 * on the Bot Connector (the team's roster in a channel). Answers are kept per Entra ID object id
 * for `ttlMs`; a later activity reads again after that. A stale answer is still served until then,
 * so a request approved hours later is granted to the person matched when they asked. A failed read
 * keeps the last good answer (a flaky call must not unmap anyone) and is retried a minute later.
 *
 * Which field: the member's `email`, which Teams fills from the Entra ID user's `mail` attribute —
 * the primary SMTP address an administrator (or Exchange) sets, which the user cannot edit. It is
 * also what Entra's provisioning to IAM Identity Center writes as the user's e-mail by default
 * (`mail` → emails[type eq "work"]), so the two sides name the same address. The
 * `userPrincipalName` is a sign-in name, not an address: it need not be a mailbox (guests have
 * `…#EXT#@tenant.onmicrosoft.com`), so it is never used; a member without `email` is told why and
 * needs `identityCenterUserId` in the org file.
 */
export class TeamsVerifiedEmails implements VerifiedEmailSource {
  readonly platform = 'Teams';
  private readonly entries = new Map<string, Entry>();
  /** Member calls in flight, per person. Never waits on the listeners, so a refresh may wait on it. */
  private readonly fetching = new Map<string, Promise<void>>();
  /** Activities being read (call, then listeners), per person. */
  private readonly observing = new Map<string, Promise<void>>();
  private readonly listeners: ((user: User) => Promise<void>)[] = [];
  private readonly ttlMs: number;

  constructor(private readonly options: TeamsVerifiedEmailsOptions) {
    this.ttlMs = options.ttlMs ?? DEFAULT_TEAMS_EMAIL_TTL_MS;
  }

  /** True once something needs the addresses: before that, activities cost no member lookup. */
  get active(): boolean {
    return this.listeners.length > 0;
  }

  onLearned(listener: (user: User) => Promise<void>): void {
    this.listeners.push(listener);
  }

  async verifiedEmail(user: User): Promise<VerifiedEmailAnswer | undefined> {
    if (!user.aadObjectId) return undefined;
    const aad = user.aadObjectId.toLowerCase();
    if (!this.entries.has(aad) && this.active) await this.readProactively(aad);
    const entry = this.entries.get(aad);
    if (!entry) return { pending: 'Warden has not read your e-mail address from Teams yet; send Warden a message in Teams, then try again' };
    if ('error' in entry.known) throw new Error(entry.known.error);
    return { email: entry.known.email };
  }

  /**
   * Reads the acting person's address when it is not known or older than the TTL, then tells the
   * listeners (who update the Identity Center match) before the activity is handled. Never throws:
   * a failure is logged and becomes the reason the person is given.
   */
  async observe(context: TurnContext): Promise<void> {
    if (!this.active) return;
    const aad = context.activity.from?.aadObjectId?.toLowerCase();
    if (!aad) return;
    const user = this.options.directory.userByAadObjectId(aad);
    // Only the org's people: no one else can request anything, and the cache stays as small as the org.
    if (!user) return;
    const entry = this.entries.get(aad);
    if (entry && this.options.clock.now().getTime() < entry.checkAgainAt) return;
    // Two activities at once (a click while a message is handled) share one lookup.
    const running = this.observing.get(aad);
    if (running) return running;
    const read = this.read(context, aad, user).finally(() => this.observing.delete(aad));
    this.observing.set(aad, read);
    return read;
  }

  /** Through the person's stored personal chat, when there is one; the listeners are not told (the caller is asking). */
  private async readProactively(aad: string): Promise<void> {
    // Their activity is being read right now: that answer, not a second call.
    const running = this.fetching.get(aad);
    if (running) return running;
    const proactive = this.options.proactive;
    if (!proactive) return;
    const stored = await proactive.addresses.user(aad).catch(() => undefined);
    if (!stored) return;
    await this.fetchOnce(aad, () =>
      proactive.adapter
        .continueConversationAsync(proactive.appId, toConversationReference(stored), (context) => this.fetch(context, aad))
        .catch((error: unknown) => this.options.logger.error('teams member lookup failed', { error: errorText(error) })),
    );
  }

  private fetchOnce(aad: string, run: () => Promise<void>): Promise<void> {
    const running = this.fetching.get(aad);
    if (running) return running;
    const fetched = run().finally(() => this.fetching.delete(aad));
    this.fetching.set(aad, fetched);
    return fetched;
  }

  private async read(context: TurnContext, aad: string, user: User): Promise<void> {
    await this.fetchOnce(aad, () => this.fetch(context, aad));
    for (const listener of this.listeners) {
      try {
        await listener(user);
      } catch (error) {
        this.options.logger.error('teams e-mail listener failed', { error: errorText(error) });
      }
    }
  }

  private async fetch(context: TurnContext, aad: string): Promise<void> {
    const now = this.options.clock.now().getTime();
    const previous = this.entries.get(aad);
    try {
      const member = await (this.options.getMember ?? ((c, id) => TeamsInfo.getMember(c, id)))(context, aad);
      const email = typeof member.email === 'string' && member.email.trim() !== '' ? member.email.trim() : null;
      this.entries.set(aad, { known: { email }, checkAgainAt: now + this.ttlMs });
    } catch (error) {
      this.options.logger.error('teams member lookup failed', { error: errorText(error) });
      const known: Known = previous && !('error' in previous.known) ? previous.known : { error: errorText(error) };
      this.entries.set(aad, { known, checkAgainAt: now + RETRY_AFTER_FAILURE_MS });
    }
  }
}
