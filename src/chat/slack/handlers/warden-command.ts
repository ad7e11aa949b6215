import type { App, RespondFn } from '@slack/bolt';
import type { View } from '@slack/types';
import { z } from 'zod';
import { recordAudit } from '../../../access/audit.js';
import { UserFacingError } from '../../../access/errors.js';
import type { User } from '../../../config/schemas.js';
import { ConfigError } from '../../../config/config-error.js';
import { POLICY_FILE_NAMES, type PolicyConfigHolder } from '../../../policy/policy-config-holder.js';
import { describeDiff, diffPolicyText, summarizeGuardrails, summarizeRules } from '../../../policy/policy-summary.js';
import type { PolicyKind } from '../../../store/store.js';
import { notice } from '../../cards/request-cards.js';
import { renderBlocks } from '../blocks.js';
import { explainError, reportError, resolveUser, type SlackHandlerContext } from '../context.js';

export const POLICY_MODAL_ID = 'warden_policy_edit';
const FIELD = 'policy';
// Slack refuses a plain_text_input value longer than this.
const SLACK_INPUT_MAX = 3000;
// Slack shows a field error as one short paragraph; the first few problems are what the admin fixes first.
const MAX_FIELD_ISSUES = 3;

const KINDS: Record<string, PolicyKind> = { guardrails: 'guardrails', rules: 'access-rules' };
const LABEL: Record<PolicyKind, string> = { guardrails: 'Guardrails', 'access-rules': 'Access rules' };
const COMMAND: Record<PolicyKind, string> = { guardrails: 'guardrails', 'access-rules': 'rules' };

export interface WardenCommandContext extends SlackHandlerContext {
  policyConfig: PolicyConfigHolder;
}

const MetadataSchema = z.object({ kind: z.enum(['guardrails', 'access-rules']), channel: z.string().optional() });
const ValuesSchema = z.object({ [FIELD]: z.object({ value: z.object({ value: z.string().nullable().optional() }) }) });

/** Admins are named in the access rules in force, so a rules change can add or remove one. */
function isAdmin(ctx: WardenCommandContext, user: User): boolean {
  return ctx.deps.directory.expand(ctx.policyConfig.current().rules.admins).includes(user.id);
}

function requireAdmin(ctx: WardenCommandContext, user: User, kind: PolicyKind): void {
  if (!isAdmin(ctx, user)) {
    throw new UserFacingError(
      `Only Warden admins can change the ${LABEL[kind].toLowerCase()}. Admins are listed under \`admins\` in access-rules.yaml; ask the platform team.`,
    );
  }
}

async function reply(respond: RespondFn, text: string): Promise<void> {
  await respond({ response_type: 'ephemeral', ...renderBlocks(notice(text)) });
}

function provenance(ctx: WardenCommandContext, kind: PolicyKind): string {
  const active = ctx.policyConfig.active(kind);
  if (active.version === 0) return 'from the file Warden started with';
  const restored = active.restores !== undefined ? `, restoring version ${active.restores}` : '';
  return `version ${active.version}, applied by ${active.savedBy ?? '?'} at ${active.savedAt ?? '?'}${restored}`;
}

/** The text to prefill: comment lines go when the whole file does not fit Slack's input. */
function editableText(text: string): string {
  if (text.length <= SLACK_INPUT_MAX) return text;
  const bare = text.split('\n').filter((l) => !/^\s*#/.test(l)).join('\n').replace(/\n{3,}/g, '\n\n').trim();
  if (bare.length <= SLACK_INPUT_MAX) return `${bare}\n`;
  throw new UserFacingError(`The current file is ${bare.length} characters without comments, more than a Slack form holds (${SLACK_INPUT_MAX}). Change it in the file and restart Warden.`);
}

function policyModal(kind: PolicyKind, text: string, metadata: z.infer<typeof MetadataSchema>): View {
  return {
    type: 'modal',
    callback_id: POLICY_MODAL_ID,
    private_metadata: JSON.stringify(metadata),
    title: { type: 'plain_text', text: `Edit ${LABEL[kind].toLowerCase()}` },
    submit: { type: 'plain_text', text: 'Validate and apply' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: FIELD,
        label: { type: 'plain_text', text: POLICY_FILE_NAMES[kind] },
        hint: { type: 'plain_text', text: 'Checked like the file at start-up; applied to the next request on every replica, and recorded in the audit log.' },
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: SLACK_INPUT_MAX, initial_value: editableText(text) },
      },
    ],
  };
}

/** `file:12: durations.maxMinutes: …` lines, as Slack shows them under the field. */
function fieldError(error: ConfigError): string {
  const lines = error.issues.slice(0, MAX_FIELD_ISSUES).map((i) => `${i.line !== undefined ? `line ${i.line}: ` : ''}${i.path ? `${i.path}: ` : ''}${i.message}`);
  if (error.issues.length > MAX_FIELD_ISSUES) lines.push(`… and ${error.issues.length - MAX_FIELD_ISSUES} more`);
  return lines.join('\n');
}

/** Stores a new version, uses it here at once, and records who changed what. */
async function applyVersion(ctx: WardenCommandContext, user: User, kind: PolicyKind, text: string, restores?: number): Promise<string> {
  const before = ctx.policyConfig.active(kind);
  const saved = await ctx.policyConfig.apply(kind, text, user.id, ctx.deps.clock.now().toISOString(), restores);
  if (!saved) throw new UserFacingError(`Someone applied another version of the ${LABEL[kind].toLowerCase()} meanwhile. Run \`/warden ${COMMAND[kind]} set\` again to start from it.`);
  const diff = diffPolicyText(before.text, text);
  await recordAudit(ctx.deps, {
    requestId: null,
    actorId: user.id,
    type: restores !== undefined ? 'policy.rolled_back' : 'policy.changed',
    detail: { kind, version: saved.version, previousVersion: before.version, ...(restores !== undefined ? { restores } : {}), ...diff, summary: describeDiff(diff) },
  });
  ctx.logger.info('policy version applied', { kind, version: saved.version, by: user.id });
  return `${LABEL[kind]} version ${saved.version} applied: ${describeDiff(diff)}.`;
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
          await reply(respond, [`*${LABEL[kind]} in force* (${provenance(ctx, kind)})`, ...lines].join('\n'));
          return;
        }
        case 'set': {
          requireAdmin(ctx, user, kind);
          await ctx.policyConfig.refresh();
          const view = policyModal(kind, ctx.policyConfig.active(kind).text, { kind, channel: command.channel_id });
          await client.views.open({ trigger_id: command.trigger_id, view });
          return;
        }
        case 'rollback': {
          requireAdmin(ctx, user, kind);
          const previous = await ctx.policyConfig.previous(kind);
          if (!previous) {
            await reply(respond, `Nothing to roll back: the ${LABEL[kind].toLowerCase()} in force are the file Warden started with.`);
            return;
          }
          await reply(respond, `↩️ ${await applyVersion(ctx, user, kind, previous.text, previous.version)} (back to version ${previous.version})`);
          return;
        }
        default:
          await reply(respond, `⚠️ I don't know \`/warden ${target} ${action}\`. Try \`/warden ${COMMAND[kind]}\`, \`set\` or \`rollback\`.`);
      }
    } catch (error) {
      await reply(respond, `⚠️ ${explainError(ctx, error)}`);
    }
  });

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
    if (!user || !isAdmin(ctx, user)) {
      await ack({ response_action: 'errors', errors: { [FIELD]: `Only Warden admins can change the ${LABEL[kind].toLowerCase()}.` } });
      return;
    }
    try {
      ctx.policyConfig.validate(kind, text);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      await ack({ response_action: 'errors', errors: { [FIELD]: fieldError(error) } });
      return;
    }
    await ack();
    try {
      const done = await applyVersion(ctx, user, kind, text);
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
