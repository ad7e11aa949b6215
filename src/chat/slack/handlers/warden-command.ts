import type { App, RespondFn } from '@slack/bolt';
import type { View } from '@slack/types';
import { z } from 'zod';
import { UserFacingError } from '../../../access/errors.js';
import { ConfigError } from '../../../config/config-error.js';
import { POLICY_FILE_NAMES, type PolicyConfigHolder } from '../../../policy/policy-config-holder.js';
import { summarizeGuardrails, summarizeRules } from '../../../policy/policy-summary.js';
import type { PolicyKind } from '../../../store/store.js';
import { notice } from '../../cards/request-cards.js';
import {
  applyPolicyVersion,
  applyUploadedPolicy,
  describeConfigIssues,
  isPolicyAdmin,
  policyProvenance,
  POLICY_COMMAND,
  POLICY_LABEL,
  requirePolicyAdmin,
} from '../../policy-admin.js';
import { renderBlocks } from '../blocks.js';
import { registerPolicyFileUpload } from '../files/policy-file-upload.js';
import { explainError, reportError, resolveUser, type SlackHandlerContext } from '../context.js';

export const POLICY_MODAL_ID = 'warden_policy_edit';
const FIELD = 'policy';
// Slack refuses a plain_text_input value longer than this.
const SLACK_INPUT_MAX = 3000;
// Slack shows a field error as one short paragraph; the first few problems are what the admin fixes first.
const MAX_FIELD_ISSUES = 3;

const KINDS: Record<string, PolicyKind> = { guardrails: 'guardrails', rules: 'access-rules' };

export interface WardenCommandContext extends SlackHandlerContext {
  policyConfig: PolicyConfigHolder;
}

const MetadataSchema = z.object({ kind: z.enum(['guardrails', 'access-rules']), channel: z.string().optional() });
const ValuesSchema = z.object({ [FIELD]: z.object({ value: z.object({ value: z.string().nullable().optional() }) }) });

async function reply(respond: RespondFn, text: string): Promise<void> {
  await respond({ response_type: 'ephemeral', ...renderBlocks(notice(text)) });
}

/** How to apply a whole file, comments and all, when the form is too small for it. */
export function uploadHint(kind: PolicyKind): string {
  return `To apply a whole file (longer than ${SLACK_INPUT_MAX} characters, or keeping its comments), upload ${POLICY_FILE_NAMES[kind]} to me in a DM with the message \`${POLICY_COMMAND[kind]} set\`.`;
}

/** The text to prefill: comment lines go when the whole file does not fit Slack's input. */
function editableText(kind: PolicyKind, text: string): string {
  if (text.length <= SLACK_INPUT_MAX) return text;
  const bare = text.split('\n').filter((l) => !/^\s*#/.test(l)).join('\n').replace(/\n{3,}/g, '\n\n').trim();
  if (bare.length <= SLACK_INPUT_MAX) return `${bare}\n`;
  throw new UserFacingError(`The current file is ${bare.length} characters without comments, more than a Slack form holds (${SLACK_INPUT_MAX}). ${uploadHint(kind)}`);
}

function policyModal(kind: PolicyKind, text: string, metadata: z.infer<typeof MetadataSchema>): View {
  return {
    type: 'modal',
    callback_id: POLICY_MODAL_ID,
    private_metadata: JSON.stringify(metadata),
    title: { type: 'plain_text', text: `Edit ${POLICY_LABEL[kind].toLowerCase()}` },
    submit: { type: 'plain_text', text: 'Validate and apply' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: FIELD,
        label: { type: 'plain_text', text: POLICY_FILE_NAMES[kind] },
        hint: { type: 'plain_text', text: 'Checked like the file at start-up; applied to the next request on every replica, and recorded in the audit log.' },
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: SLACK_INPUT_MAX, initial_value: editableText(kind, text) },
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: uploadHint(kind) }] },
    ],
  };
}

/** `/warden guardrails|rules [set|rollback]`: admins' view and changes of the policy files. */
export function registerWardenCommand(app: App, ctx: WardenCommandContext): void {
  app.command('/warden', async ({ command, ack, respond, client }) => {
    await ack();
    const [target = '', action = 'show'] = command.text.trim().split(/\s+/).filter(Boolean);
    try {
      const kind = KINDS[target.toLowerCase()];
      if (!kind) {
        await reply(respond, '`/warden guardrails` or `/warden rules` shows what is in force; admins add `set` to change it, or `rollback` to go back one version.');
        return;
      }
      const user = resolveUser(ctx, command.user_id);
      switch (action.toLowerCase()) {
        case 'show': {
          await ctx.policyConfig.refresh();
          const { guardrails, rules } = ctx.policyConfig.current();
          const lines = kind === 'guardrails' ? summarizeGuardrails(guardrails) : summarizeRules(rules);
          await reply(respond, [`*${POLICY_LABEL[kind]} in force* (${policyProvenance(ctx, kind)})`, ...lines].join('\n'));
          return;
        }
        case 'set': {
          requirePolicyAdmin(ctx, user, kind);
          await ctx.policyConfig.refresh();
          const view = policyModal(kind, ctx.policyConfig.active(kind).text, { kind, channel: command.channel_id });
          await client.views.open({ trigger_id: command.trigger_id, view });
          return;
        }
        case 'rollback': {
          requirePolicyAdmin(ctx, user, kind);
          const previous = await ctx.policyConfig.previous(kind);
          if (!previous) {
            await reply(respond, `Nothing to roll back: the ${POLICY_LABEL[kind].toLowerCase()} in force are the file Warden started with.`);
            return;
          }
          await reply(respond, `↩️ ${await applyPolicyVersion(ctx, user, kind, previous.text, previous.version)} (back to version ${previous.version})`);
          return;
        }
        default:
          await reply(respond, `⚠️ I don't know \`/warden ${target} ${action}\`. Try \`/warden ${POLICY_COMMAND[kind]}\`, \`set\` or \`rollback\`.`);
      }
    } catch (error) {
      await reply(respond, `⚠️ ${explainError(ctx, error)}`);
    }
  });

  registerPolicyFileUpload(app, ctx, (slackUserId, kind, read) => applyUploadedPolicy(ctx, resolveUser(ctx, slackUserId), kind, read));

  app.view(POLICY_MODAL_ID, async ({ ack, body, view, client }) => {
    const metadata = MetadataSchema.safeParse(safeJson(view.private_metadata));
    const values = ValuesSchema.safeParse(view.state.values);
    if (!metadata.success || !values.success) {
      await ack({ response_action: 'errors', errors: { [FIELD]: 'This form is out of date. Close it and run the command again.' } });
      return;
    }
    const { kind, channel } = metadata.data;
    const text = values.data[FIELD].value.value ?? '';
    const user = ctx.deps.directory.userBySlackId(body.user.id);
    // Checked again on submit: the form may have been opened before the person stopped being an admin.
    if (!user || !isPolicyAdmin(ctx, user)) {
      await ack({ response_action: 'errors', errors: { [FIELD]: `Only Warden admins can change the ${POLICY_LABEL[kind].toLowerCase()}.` } });
      return;
    }
    try {
      ctx.policyConfig.validate(kind, text);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      await ack({ response_action: 'errors', errors: { [FIELD]: describeConfigIssues(error, MAX_FIELD_ISSUES) } });
      return;
    }
    await ack();
    try {
      const done = await applyPolicyVersion(ctx, user, kind, text);
      const { blocks, text: fallback } = renderBlocks(notice(`✅ ${done}`));
      const where = channel ?? (await ctx.notifier.dmChannel(body.user.id));
      await client.chat.postEphemeral({ channel: where, user: body.user.id, text: fallback, blocks });
    } catch (error) {
      await reportError(ctx, client, { user: body.user.id, ...(channel ? { channel } : {}) }, error);
    }
  });
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw || '{}');
  } catch {
    return {};
  }
}
