import {
  TeamsActivityHandler,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type SearchInvokeResponse,
  type SearchInvokeValue,
  type TurnContext,
} from 'botbuilder';
import { z } from 'zod';
import { accessHelpCard } from '../cards/help-card.js';
import { renderAdaptiveCard } from './adaptive.js';
import { tenantOf } from './addresses.js';
import type { TeamsHandlerContext } from './context.js';
import { onCardAction } from './handlers/card-actions.js';
import { onMessage } from './handlers/messages.js';
import { onResourceSearch } from './handlers/resource-search.js';

const ChannelNameSchema = z.object({ channel: z.object({ name: z.string().min(1) }) });
const ChannelIdSchema = z.object({ channel: z.object({ id: z.string().min(1) }) });

/**
 * Warden's Teams bot: botbuilder's TeamsActivityHandler routes each verified activity to the
 * handlers in ./handlers. Every activity first leaves its conversation reference in the Store,
 * because Teams can only be written to through one.
 */
export class WardenTeamsBot extends TeamsActivityHandler {
  constructor(private readonly ctx: TeamsHandlerContext) {
    super();
    this.onMessage(async (context, next) => {
      await onMessage(ctx, context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      const conversation = context.activity.conversation;
      if (conversation.conversationType === 'personal') {
        // Installed for someone: say what Warden does, the way `help` would.
        const card = accessHelpCard();
        ctx.background.run('teams welcome', () => ctx.notifier.send(conversation.id, renderAdaptiveCard(card), card.fallback).then(() => undefined));
      }
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    const tenant = tenantOf(context.activity);
    if (this.ctx.allowedTenants.size > 0 && (!tenant || !this.ctx.allowedTenants.has(tenant))) {
      // A multi-tenant registration can be installed anywhere; only the configured tenant's people are served.
      this.ctx.logger.info('teams activity from another tenant ignored', { tenant: tenant ?? 'none' });
      if (context.activity.type === 'invoke') {
        await context.sendActivity({ type: 'invokeResponse', value: { status: 403, body: { code: 'Forbidden', message: 'This Warden serves another tenant.' } } });
      }
      return;
    }
    const reference = await this.ctx.addresses.remember(context.activity);
    // Teams names channels only in some events (created, renamed); an access rule can then notify "#<name>".
    const named = ChannelNameSchema.safeParse(context.activity.channelData);
    if (reference && named.success) await this.ctx.addresses.saveChannel(`#${named.data.channel.name}`, reference);
    // Every channel activity (a mention of Warden there) also teaches the channel's id, which a rule's
    // `teamsChannel` may name: "mention Warden there once" is then enough for approval cards to reach it.
    const byId = ChannelIdSchema.safeParse(context.activity.channelData);
    if (reference && byId.success && reference.conversation.conversationType === 'channel') await this.ctx.addresses.saveChannel(byId.data.channel.id, reference);
    // A message or a card click may become a request: know the person's verified e-mail (Identity
    // Center match) before it is handled. Cached per person; no lookup at all unless Identity Center needs it.
    const { type, name } = context.activity;
    if (type === 'message' || (type === 'invoke' && name === 'adaptiveCard/action')) await this.ctx.verifiedEmails?.observe(context);
    await super.run(context);
  }

  /** `application/search`: the request form's resource picker typing. */
  protected override async onSearchInvoke(context: TurnContext, _value: SearchInvokeValue): Promise<SearchInvokeResponse> {
    return onResourceSearch(this.ctx, context);
  }

  protected override async onAdaptiveCardInvoke(context: TurnContext, _value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    return onCardAction(this.ctx, context);
  }
}
