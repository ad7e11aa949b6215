import type { WebClient } from '@slack/web-api';
import { errorText } from '../../access/audit.js';
import type { AccessDeps } from '../../access/deps.js';
import type { VerifiedEmailSource } from '../../access/directory.js';
import { UserFacingError } from '../../access/errors.js';
import type { ResourceDiscovery } from '../../access/resource-discovery.js';
import type { User } from '../../config/schemas.js';
import { notice } from '../cards/request-cards.js';
import { renderBlocks } from './blocks.js';
import type { SlackNotifier } from './slack-notifier.js';

import type { Logger } from '../../logger.js';
export type { Logger };

/** Answers `/access help <question>` (the help assistant, grounded in Warden's docs and the asker's rules). */
export interface HelpAnswerer {
  answer(question: { userId: string; question: string }): Promise<{ text: string }>;
}

export interface SlackHandlerContext {
  deps: AccessDeps;
  notifier: SlackNotifier;
  logger: Logger;
  help?: HelpAnswerer;
  /** Resource discovery for the request form's picker; without it the form has no picker. */
  resources?: ResourceDiscovery;
}

/** Maps the clicking or typing Slack user to an org user, by exact member id only. */
export function resolveUser(ctx: SlackHandlerContext, slackUserId: string): User {
  const user = ctx.deps.directory.userBySlackId(slackUserId);
  if (!user) {
    throw new UserFacingError(
      `Your Slack account (${slackUserId}) is not in Warden's org config, so Warden cannot act for you. Ask the platform team to add your Slack member id.`,
    );
  }
  return user;
}

/**
 * The address Slack verified for an org user (users.info `profile.email`, which needs the
 * `users:read.email` scope). Users without a Slack member id are not Slack's to answer for.
 */
export function slackVerifiedEmails(client: WebClient): VerifiedEmailSource {
  return {
    platform: 'Slack',
    async verifiedEmail(user: User) {
      if (!user.slackId) return undefined;
      const out = await client.users.info({ user: user.slackId });
      const email = out.user?.profile?.email;
      // An address the member has not confirmed is only typed text: matching on it could hand one
      // person's Identity Center access to another.
      if (out.user?.is_email_confirmed === false) return { email: null };
      return { email: typeof email === 'string' && email.trim() !== '' ? email : null };
    },
  };
}

/**
 * What to tell a person about a failure. Errors not phrased for users are logged with their message
 * only — never the payload, which may carry tokens — and the person gets a generic next step.
 */
export function explainError(ctx: SlackHandlerContext, error: unknown): string {
  if (error instanceof UserFacingError) return error.message;
  ctx.logger.error('slack handler failed', { error: errorText(error) });
  return 'Something went wrong on Warden’s side. Try again in a minute; if it keeps failing, tell the platform team.';
}

/**
 * Tells the person what went wrong, only them (ephemeral).
 */
export async function reportError(
  ctx: SlackHandlerContext,
  client: WebClient,
  where: { channel?: string; user: string; threadTs?: string },
  error: unknown,
): Promise<void> {
  const { blocks, text: fallback } = renderBlocks(notice(`⚠️ ${explainError(ctx, error)}`));
  try {
    const channel = where.channel ?? (await ctx.notifier.dmChannel(where.user));
    await client.chat.postEphemeral({ channel, user: where.user, text: fallback, blocks, ...(where.threadTs ? { thread_ts: where.threadTs } : {}) });
  } catch (postError) {
    ctx.logger.error('could not tell the user about an error', { error: errorText(postError) });
  }
}
