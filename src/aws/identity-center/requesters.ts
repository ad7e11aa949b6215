/**
 * Who each chat user is in IAM Identity Center, as a snapshot the request checks read without
 * waiting: the org file's `identityCenterUserId` when set (the override), else the identity-store
 * user whose e-mail is exactly the address the chat platform verified for them.
 *
 * The snapshot (identity store + every org user's verified address) is read again on a schedule,
 * so a user added to Identity Center is found without a restart. A failed read keeps the previous
 * snapshot: a flaky call must not unmap everyone.
 */
import { errorText } from '../../access/audit.js';
import type { VerifiedEmailAnswer, VerifiedEmailSource } from '../../access/directory.js';
import type { Clock } from '../../clock.js';
import type { User } from '../../config/schemas.js';
import type { IdentityStoreDirectory } from './identity-store-directory.js';
import type { IdentityCenterPrincipals } from './principals.js';

export type RequesterMatch =
  | { ok: true; userId: string; via: 'org-file' | 'email' }
  /** `reason` completes "… because <reason>", worded for the requester. */
  | { ok: false; reason: string };

type EmailAnswer = { email: string } | { reason: string };

export interface IdentityCenterRequestersOptions {
  identityStore: Pick<IdentityStoreDirectory, 'refresh' | 'match'>;
  /** The org users, read at each refresh (admins may change them). */
  users: () => readonly User[];
  clock: Clock;
  refreshIntervalMs: number;
  /** A failed refresh, for the log; the previous snapshot stays in use. */
  onError?: (error: unknown) => void;
}

export class IdentityCenterRequesters implements IdentityCenterPrincipals {
  private readonly sources: VerifiedEmailSource[] = [];
  private emails = new Map<string, EmailAnswer>();
  private loaded = false;
  private nextRefreshAt = 0;
  private running: Promise<void> | undefined;

  constructor(private readonly options: IdentityCenterRequestersOptions) {}

  /** The chat platforms are built after the granter: each adds itself when it is up. */
  addEmailSource(source: VerifiedEmailSource): void {
    this.sources.push(source);
    // A platform that reads addresses as people act (Teams) updates that one person at once.
    source.onLearned?.((user) => this.refreshUser(user));
    // Read again soon, so users of this platform are found without waiting a whole interval.
    this.nextRefreshAt = 0;
  }

  /** Reads the identity store and every org user's verified address, and swaps them in at once. */
  async refresh(): Promise<{ users: number; matched: number; unmatched: number }> {
    await this.options.identityStore.refresh();
    const emails = new Map<string, EmailAnswer>();
    for (const user of this.options.users()) emails.set(user.id, await this.verifiedEmail(user));
    this.emails = emails;
    this.loaded = true;
    const matches = this.options.users().map((u) => this.match(u));
    return { users: matches.length, matched: matches.filter((m) => m.ok).length, unmatched: matches.filter((m) => !m.ok).length };
  }

  /**
   * Asks the platforms again for one person's address and swaps that answer in, leaving everyone
   * else's as they are. Waits for a full refresh in flight first, so it cannot overwrite this answer.
   */
  async refreshUser(user: User): Promise<void> {
    if (this.running) await this.running;
    const answer = await this.verifiedEmail(user);
    this.emails = new Map(this.emails).set(user.id, answer);
  }

  /**
   * Refreshes when the interval has passed since the last attempt (the first call always does).
   * Concurrent callers share one refresh. Never throws: a failure is reported and retried next interval.
   */
  async refreshIfDue(): Promise<boolean> {
    const now = this.options.clock.now().getTime();
    if (this.running) {
      await this.running;
      return false;
    }
    if (now < this.nextRefreshAt) return false;
    this.nextRefreshAt = now + this.options.refreshIntervalMs;
    this.running = this.refresh().then(
      () => undefined,
      (error: unknown) => this.options.onError?.(error),
    );
    try {
      await this.running;
    } finally {
      this.running = undefined;
    }
    return true;
  }

  /** Calls `refreshIfDue` every `everyMs` until the returned function is called. */
  start(everyMs = 60_000): () => void {
    const timer = setInterval(() => void this.refreshIfDue(), everyMs);
    timer.unref();
    void this.refreshIfDue();
    return () => clearInterval(timer);
  }

  match(user: User): RequesterMatch {
    if (user.identityCenterUserId) return { ok: true, userId: user.identityCenterUserId, via: 'org-file' };
    if (!this.loaded) return { ok: false, reason: 'Warden has not read the IAM Identity Center directory yet; try again in a minute' };
    const answer = this.emails.get(user.id);
    if (!answer) return { ok: false, reason: `Warden has not looked up your chat e-mail address yet; try again in ${Math.ceil(this.options.refreshIntervalMs / 60_000)} minutes` };
    if ('reason' in answer) return { ok: false, reason: answer.reason };
    const found = this.options.identityStore.match(answer.email);
    return found.ok ? { ok: true, userId: found.person.userId, via: 'email' } : { ok: false, reason: found.reason };
  }

  async userId(requester: User): Promise<string> {
    const found = this.match(requester);
    if (!found.ok) throw new Error(`${requester.id} cannot be matched to an IAM Identity Center user: ${found.reason}`);
    return found.userId;
  }

  /**
   * Asks each platform the user is on: the first verified address, in the order the platforms were
   * added, is the one matched. When none has one, the first platform's reason is the answer (a
   * failed lookup is a reason, never a guess), so someone on Slack and Teams is still found when
   * only one of them shows their address.
   */
  private async verifiedEmail(user: User): Promise<EmailAnswer> {
    const tried: string[] = [];
    let firstReason: string | undefined;
    for (const source of this.sources) {
      let answer: VerifiedEmailAnswer | undefined;
      try {
        answer = await source.verifiedEmail(user);
      } catch (error) {
        firstReason ??= `${source.platform} could not be asked for your e-mail address (${errorText(error)}); try again later`;
        continue;
      }
      if (answer === undefined) {
        tried.push(source.platform);
        continue;
      }
      if ('pending' in answer) {
        firstReason ??= answer.pending;
        continue;
      }
      if (answer.email === null || answer.email.trim() === '') {
        firstReason ??= `your ${source.platform} profile shows Warden no e-mail address, so your IAM Identity Center user cannot be found; ask the platform team to set identityCenterUserId for you in the org file`;
        continue;
      }
      return { email: answer.email };
    }
    if (firstReason !== undefined) return { reason: firstReason };
    const where = tried.length > 0 ? `none of ${tried.join(', ')} knows you` : 'no chat platform that verifies e-mail addresses is connected';
    return { reason: `${where}, so Warden has no verified e-mail address to find your IAM Identity Center user by; ask the platform team to set identityCenterUserId for you in the org file` };
  }
}
