import type { View } from '@slack/types';
import { z } from 'zod';
import type { FieldsDraftInput } from '../../access/drafter.js';
import { ACCESS_LEVELS, type AccessLevel, type PermissionDraft } from '../../access/types.js';
import type { Account } from '../../config/schemas.js';

export const REQUEST_MODAL_ID = 'access_request_modal';
export const DENY_MODAL_ID = 'deny_reason_modal';

/** Services the form offers; anything else can still be asked for in words. */
export const FORM_SERVICES: { value: string; label: string }[] = [
  { value: 's3', label: 'S3' },
  { value: 'dynamodb', label: 'DynamoDB' },
  { value: 'ec2', label: 'EC2' },
  { value: 'rds', label: 'RDS' },
  { value: 'lambda', label: 'Lambda' },
  { value: 'logs', label: 'CloudWatch Logs' },
  { value: 'ssm', label: 'Systems Manager' },
  { value: 'sqs', label: 'SQS' },
  { value: 'sns', label: 'SNS' },
  { value: 'kms', label: 'KMS' },
];

const option = (value: string, label: string) => ({ text: { type: 'plain_text' as const, text: label }, value });

export interface RequestModalPrefill {
  accountId?: string;
  /** Ids of the further accounts of a multi-account draft. */
  alsoIn?: string[];
  service?: string;
  accessLevel?: AccessLevel;
  resources?: string[];
  durationMinutes?: number;
  justification?: string;
}

/** Resource names or ARNs of a draft, for the Edit form. */
export function prefillFromDraft(draft: PermissionDraft): RequestModalPrefill {
  const first = draft.statements[0]?.actions[0];
  const service = first?.split(':')[0];
  const resources = [...new Set(draft.statements.flatMap((s) => s.resources))].filter((r) => r !== '*');
  return {
    accountId: draft.accountId,
    // Edit keeps every account of a multi-account draft; the form lets the requester change them.
    ...(draft.alsoIn?.length ? { alsoIn: draft.alsoIn.map((a) => a.accountId) } : {}),
    ...(service ? { service } : {}),
    accessLevel: draft.accessLevel,
    resources,
    durationMinutes: draft.durationMinutes,
    justification: draft.justification,
  };
}

/** The form's resource picker: an external select whose options come from resource discovery (see handlers/resource-options.ts). */
export const RESOURCE_PICKER_BLOCK = 'picked_resources';
export const RESOURCE_PICKER_ACTION = 'value';

/** The form's further accounts: the same access in each, one request per account at submit. */
export const ALSO_IN_BLOCK = 'also_in';
export const ALSO_IN_LABEL = 'Also in (the same access, one request per account)';

function alsoInBlock(options: ReturnType<typeof option>[], initial: readonly string[]) {
  const chosen = options.filter((o) => initial.includes(o.value));
  return {
    type: 'input' as const,
    block_id: ALSO_IN_BLOCK,
    optional: true,
    label: { type: 'plain_text' as const, text: ALSO_IN_LABEL },
    hint: { type: 'plain_text' as const, text: 'Resources are named once, for the account above; each of these gets the same ones in its own account, checked and approved on its own.' },
    element: {
      type: 'multi_static_select' as const,
      action_id: 'value',
      placeholder: { type: 'plain_text' as const, text: 'No other account' },
      options,
      ...(chosen.length > 0 ? { initial_options: chosen } : {}),
    },
  };
}

export interface RequestModalOptions {
  /** Offer the resource picker: only when discovery (or the playground inventory) can answer it. */
  resourcePicker?: boolean;
}

function resourcePickerBlock() {
  return {
    type: 'input' as const,
    block_id: RESOURCE_PICKER_BLOCK,
    optional: true,
    label: { type: 'plain_text' as const, text: 'Search the account' },
    hint: { type: 'plain_text' as const, text: 'Choose the account first, then type part of a name: its matching buckets, tables, instances, databases, functions, log groups and queues. Picked ones are added to those typed below.' },
    element: {
      type: 'multi_external_select' as const,
      action_id: RESOURCE_PICKER_ACTION,
      min_query_length: 1,
      placeholder: { type: 'plain_text' as const, text: 'Type part of a name' },
    },
  };
}

export function requestModal(accounts: Account[], prefill: RequestModalPrefill, privateMetadata: string, options: RequestModalOptions = {}): View {
  const picker = options.resourcePicker === true;
  const accountOptions = accounts.map((a) => option(a.id, `${a.name} (${a.id})`));
  const initialAccount = accountOptions.find((o) => o.value === prefill.accountId);
  const serviceOptions = FORM_SERVICES.map((s) => option(s.value, s.label));
  const initialService = serviceOptions.find((o) => o.value === prefill.service);
  const levelOptions = ACCESS_LEVELS.map((l) => option(l, l));
  const initialLevel = levelOptions.find((o) => o.value === prefill.accessLevel);
  return {
    type: 'modal',
    callback_id: REQUEST_MODAL_ID,
    private_metadata: privateMetadata,
    title: { type: 'plain_text', text: 'Request AWS access' },
    submit: { type: 'plain_text', text: 'Draft' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: 'account',
        label: { type: 'plain_text', text: 'Account' },
        element: { type: 'static_select', action_id: 'value', options: accountOptions, ...(initialAccount ? { initial_option: initialAccount } : {}) },
      },
      ...(accounts.length > 1 ? [alsoInBlock(accountOptions, prefill.alsoIn ?? [])] : []),
      {
        type: 'input',
        block_id: 'service',
        label: { type: 'plain_text', text: 'Service' },
        element: { type: 'static_select', action_id: 'value', options: serviceOptions, ...(initialService ? { initial_option: initialService } : {}) },
      },
      {
        type: 'input',
        block_id: 'access_level',
        label: { type: 'plain_text', text: 'Access level' },
        element: { type: 'static_select', action_id: 'value', options: levelOptions, initial_option: initialLevel ?? levelOptions[1]! },
      },
      ...(picker ? [resourcePickerBlock()] : []),
      {
        type: 'input',
        block_id: 'resources',
        // With the picker, either field may name the resources; the submit handler asks for one of them.
        ...(picker ? { optional: true } : {}),
        label: { type: 'plain_text', text: 'Resources' },
        hint: { type: 'plain_text', text: 'ARNs or names (bucket, table, function…), one per line.' },
        element: {
          type: 'plain_text_input',
          action_id: 'value',
          multiline: true,
          ...(prefill.resources?.length ? { initial_value: prefill.resources.join('\n') } : {}),
        },
      },
      {
        type: 'input',
        block_id: 'duration',
        label: { type: 'plain_text', text: 'Duration (minutes)' },
        element: {
          type: 'number_input',
          action_id: 'value',
          is_decimal_allowed: false,
          min_value: '5',
          initial_value: String(prefill.durationMinutes ?? 60),
        },
      },
      {
        type: 'input',
        block_id: 'justification',
        label: { type: 'plain_text', text: 'Justification' },
        element: {
          type: 'plain_text_input',
          action_id: 'value',
          multiline: true,
          ...(prefill.justification ? { initial_value: prefill.justification } : {}),
        },
      },
    ],
  };
}

export function denyModal(requestId: string): View {
  return {
    type: 'modal',
    callback_id: DENY_MODAL_ID,
    private_metadata: JSON.stringify({ requestId }),
    title: { type: 'plain_text', text: 'Deny access request' },
    submit: { type: 'plain_text', text: 'Deny' },
    close: { type: 'plain_text', text: 'Back' },
    blocks: [
      {
        type: 'input',
        block_id: 'reason',
        label: { type: 'plain_text', text: `Why deny ${requestId}?` },
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, min_length: 3 },
      },
    ],
  };
}

const selected = z.object({ selected_option: z.object({ value: z.string() }).nullable().optional() });
const text = z.object({ value: z.string().nullable().optional() });

const multiSelected = z.object({ selected_options: z.array(z.object({ value: z.string() })).nullable().optional() });

const RequestValuesSchema = z.object({
  account: z.object({ value: selected }),
  // Only in a form of an org with more than one account.
  [ALSO_IN_BLOCK]: z.object({ value: multiSelected }).optional(),
  service: z.object({ value: selected }),
  access_level: z.object({ value: selected }),
  // Only in a form that has the picker; a picked value is an ARN as untrusted as a typed one.
  [RESOURCE_PICKER_BLOCK]: z.object({ [RESOURCE_PICKER_ACTION]: multiSelected }).optional(),
  resources: z.object({ value: text }),
  duration: z.object({ value: text }),
  justification: z.object({ value: text }),
});

export const ModalMetadataSchema = z.object({
  requestId: z.string().optional(),
  channel: z.string().optional(),
  threadTs: z.string().optional(),
});

export type FieldErrors = Record<string, string>;

/** Parses the request form; returns per-field errors Slack shows under each input. */
export function parseRequestModal(values: unknown, requesterId: string): { ok: true; input: FieldsDraftInput } | { ok: false; errors: FieldErrors } {
  const parsed = RequestValuesSchema.safeParse(values);
  if (!parsed.success) return { ok: false, errors: { account: 'The form was incomplete. Close it and run `/access request` again.' } };
  const v = parsed.data;
  const errors: FieldErrors = {};
  const account = v.account.value.selected_option?.value;
  const service = v.service.value.selected_option?.value;
  const level = v.access_level.value.selected_option?.value;
  const alsoIn = (v[ALSO_IN_BLOCK]?.value.selected_options ?? []).map((o) => o.value).filter((id) => id !== account);
  const picked = (v[RESOURCE_PICKER_BLOCK]?.[RESOURCE_PICKER_ACTION].selected_options ?? []).map((o) => o.value.trim());
  const typed = (v.resources.value.value ?? '').split(/[\n,]+/).map((r) => r.trim());
  const resources = [...new Set([...picked, ...typed])].filter(Boolean);
  const duration = Number(v.duration.value.value);
  const justification = (v.justification.value.value ?? '').trim();
  if (!account) errors['account'] = 'Pick an account.';
  if (!service) errors['service'] = 'Pick a service.';
  const accessLevel = ACCESS_LEVELS.find((l) => l === level);
  if (!accessLevel) errors['access_level'] = 'Pick an access level.';
  if (resources.length === 0) errors['resources'] = v[RESOURCE_PICKER_BLOCK] ? 'Pick a resource above or type a name or an ARN here.' : 'Name at least one resource (a name or an ARN).';
  if (!Number.isInteger(duration) || duration < 5) errors['duration'] = 'Give a whole number of minutes, at least 5.';
  if (justification.length < 3) errors['justification'] = 'Say why you need this access.';
  if (Object.keys(errors).length > 0 || !account || !service || !accessLevel) return { ok: false, errors };
  return {
    ok: true,
    input: { requesterId, account, ...(alsoIn.length > 0 ? { alsoIn } : {}), service, accessLevel, resources, durationMinutes: duration, justification },
  };
}

export function parseDenyModal(values: unknown): string | null {
  const parsed = z.object({ reason: z.object({ value: text }) }).safeParse(values);
  const reason = parsed.success ? (parsed.data.reason.value.value ?? '').trim() : '';
  return reason.length >= 3 ? reason : null;
}
