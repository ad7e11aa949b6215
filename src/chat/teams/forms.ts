import { z } from 'zod';
import type { FieldsDraftInput } from '../../access/drafter.js';
import { ACCESS_LEVELS } from '../../access/types.js';
import type { Account } from '../../config/schemas.js';
// The form's choices and its prefill from a draft are platform-neutral; they live with the Slack modal today.
import { ALSO_IN_LABEL, FORM_SERVICES, type RequestModalPrefill } from '../slack/modals.js';
import type { ActionForm, AdaptiveCard, AdaptiveInput } from './adaptive.js';

/** The deny reason, typed inline on the approval card (Action.ShowCard) instead of a dialog. */
export function denyForm(): ActionForm {
  return {
    inputs: [
      {
        type: 'Input.Text',
        id: 'reason',
        label: 'Why deny? The requester sees this.',
        isMultiline: true,
        isRequired: true,
        maxLength: 1000,
        errorMessage: 'Give a reason of at least a few words, so the requester knows what to change.',
      },
    ],
    submitLabel: 'Deny',
  };
}

/** The typeahead ChoiceSet's dataset: answered by handlers/resource-search.ts. */
export const RESOURCE_DATASET = 'resources';
export const PICKED_RESOURCES_INPUT = 'pickedResources';
/** The further accounts of a multi-account request: a multi-select whose value is the ids, comma-separated. */
export const ALSO_IN_INPUT = 'alsoIn';

export interface RequestFormOptions {
  /** Offer the resource picker: only when resource discovery can answer its searches. */
  resourcePicker?: boolean;
}

/**
 * Typeahead over the account's resources. `associatedInputs: auto` makes Teams send the card's
 * inputs (the account chosen) with each search, as Slack sends a modal's state.
 */
function resourcePicker(): AdaptiveInput {
  return {
    type: 'Input.ChoiceSet',
    id: PICKED_RESOURCES_INPUT,
    label: 'Search the account (choose the account first, then type part of a name)',
    style: 'filtered',
    isMultiSelect: true,
    choices: [],
    'choices.data': { type: 'Data.Query', dataset: RESOURCE_DATASET, associatedInputs: 'auto' },
  };
}

/** The request form (`access request`, and Edit on a draft), with the fields of Slack's modal. */
export function requestFormInputs(accounts: Account[], prefill: RequestModalPrefill, options: RequestFormOptions = {}): AdaptiveInput[] {
  const picker = options.resourcePicker === true;
  return [
    {
      type: 'Input.ChoiceSet',
      id: 'account',
      label: 'Account',
      style: 'compact',
      isRequired: true,
      errorMessage: 'Pick an account.',
      choices: accounts.map((a) => ({ title: `${a.name} (${a.id})`, value: a.id })),
      ...(prefill.accountId ? { value: prefill.accountId } : {}),
    },
    ...(accounts.length > 1
      ? [
          {
            type: 'Input.ChoiceSet' as const,
            id: ALSO_IN_INPUT,
            label: ALSO_IN_LABEL,
            style: 'compact' as const,
            isMultiSelect: true,
            choices: accounts.map((a) => ({ title: `${a.name} (${a.id})`, value: a.id })),
            ...(prefill.alsoIn?.length ? { value: prefill.alsoIn.join(',') } : {}),
          },
        ]
      : []),
    {
      type: 'Input.ChoiceSet',
      id: 'service',
      label: 'Service',
      style: 'compact',
      isRequired: true,
      errorMessage: 'Pick a service.',
      choices: FORM_SERVICES.map((s) => ({ title: s.label, value: s.value })),
      ...(prefill.service && FORM_SERVICES.some((s) => s.value === prefill.service) ? { value: prefill.service } : {}),
    },
    {
      type: 'Input.ChoiceSet',
      id: 'accessLevel',
      label: 'Access level',
      style: 'compact',
      isRequired: true,
      errorMessage: 'Pick an access level.',
      choices: ACCESS_LEVELS.map((l) => ({ title: l, value: l })),
      value: prefill.accessLevel ?? 'Read',
    },
    ...(picker ? [resourcePicker()] : []),
    {
      type: 'Input.Text',
      id: 'resources',
      label: 'Resources: ARNs or names (bucket, table, function…), one per line',
      isMultiline: true,
      // With the picker, either input may name the resources; parseRequestForm asks for one of them.
      isRequired: !picker,
      errorMessage: 'Name at least one resource (a name or an ARN).',
      ...(prefill.resources?.length ? { value: prefill.resources.join('\n') } : {}),
    },
    {
      type: 'Input.Number',
      id: 'duration',
      label: 'Duration (minutes)',
      min: 5,
      isRequired: true,
      errorMessage: 'Give a whole number of minutes, at least 5.',
      value: prefill.durationMinutes ?? 60,
    },
    {
      type: 'Input.Text',
      id: 'justification',
      label: 'Justification',
      isMultiline: true,
      isRequired: true,
      errorMessage: 'Say why you need this access.',
      ...(prefill.justification ? { value: prefill.justification } : {}),
    },
  ];
}

export function requestForm(accounts: Account[], prefill: RequestModalPrefill, submitLabel: string, options: RequestFormOptions = {}): ActionForm {
  return { inputs: requestFormInputs(accounts, prefill, options), submitLabel };
}

// What a Teams client merges into Action.Execute data: inputs arrive as strings (numbers sometimes as numbers).
const text = z.union([z.string(), z.number()]).transform(String).optional();
const RequestFormDataSchema = z.object({
  account: text,
  [ALSO_IN_INPUT]: text,
  service: text,
  accessLevel: text,
  resources: text,
  // A multi-select ChoiceSet's value: the picked ARNs, comma-separated (ARNs hold no commas).
  [PICKED_RESOURCES_INPUT]: text,
  duration: text,
  justification: text,
});

/** Checks the form in the invoke's data; the errors name the fields as the form labels them. */
export function parseRequestForm(data: unknown, requesterId: string): { ok: true; input: FieldsDraftInput } | { ok: false; message: string } {
  const parsed = RequestFormDataSchema.safeParse(data);
  if (!parsed.success) return { ok: false, message: 'The form was incomplete. Open it again and fill in every field.' };
  const v = parsed.data;
  const problems: string[] = [];
  const account = v.account?.trim();
  const service = v.service?.trim();
  const accessLevel = ACCESS_LEVELS.find((l) => l === v.accessLevel);
  const alsoIn = [...new Set((v[ALSO_IN_INPUT] ?? '').split(',').map((a) => a.trim()))].filter((a) => a !== '' && a !== account);
  const picked = (v[PICKED_RESOURCES_INPUT] ?? '').split(',').map((r) => r.trim());
  const typed = (v.resources ?? '').split(/[\n,]+/).map((r) => r.trim());
  const resources = [...new Set([...picked, ...typed])].filter(Boolean);
  const duration = Number(v.duration);
  const justification = (v.justification ?? '').trim();
  if (!account) problems.push('Pick an account.');
  if (!service) problems.push('Pick a service.');
  if (!accessLevel) problems.push('Pick an access level.');
  if (resources.length === 0) problems.push('Name at least one resource (a name or an ARN).');
  if (!Number.isInteger(duration) || duration < 5) problems.push('Give the duration as a whole number of minutes, at least 5.');
  if (justification.length < 3) problems.push('Say why you need this access.');
  if (problems.length > 0 || !account || !service || !accessLevel) return { ok: false, message: problems.join(' ') };
  return {
    ok: true,
    input: { requesterId, account, ...(alsoIn.length > 0 ? { alsoIn } : {}), service, accessLevel, resources, durationMinutes: duration, justification },
  };
}

/** The deny reason from the invoke's data, or null when it is too short to tell the requester anything. */
export function parseDenyReason(data: unknown): string | null {
  const parsed = z.object({ reason: z.string() }).safeParse(data);
  const reason = parsed.success ? parsed.data.reason.trim() : '';
  return reason.length >= 3 ? reason : null;
}

/** The Action.Execute verb of the `access request` form; not a card-model action, it exists only on Teams. */
export const REQUEST_FORM_VERB = 'request.form';

/** The `access request` form as a card of its own: the same fields as Slack's modal, drafted on submit. */
export function requestFormCard(accounts: Account[], options: RequestFormOptions = {}): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      { type: 'TextBlock', text: 'Request AWS access', wrap: true, style: 'heading', weight: 'Bolder', size: 'Medium' },
      ...requestFormInputs(accounts, {}, options),
      { type: 'ActionSet', actions: [{ type: 'Action.Execute', title: 'Draft', verb: REQUEST_FORM_VERB, data: {}, style: 'positive', associatedInputs: 'auto' }] },
    ],
    fallbackText: 'Request AWS access: fill in the form.',
    msteams: { width: 'Full' },
  };
}
