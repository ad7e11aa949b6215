import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DiscoverableService, ResourceDiscovery, ResourceListing } from '../../../src/access/resource-discovery.js';
import { FixtureResourceDiscovery } from '../../../src/aws/discovery/fixture-inventory.js';
import { loadPolicyConfig } from '../../../src/config/load-policy-files.js';
import { hasButton, SLACK, startWardenHarness, visibleText, type WardenHarness } from '../../support/warden-harness.js';

const INVENTORY = `
accounts:
  payments-prod:
    s3: [payments-exports, payments-audit-logs, billing-reports]
    dynamodb: [orders, payments]
    ec2:
      - { id: i-0a1b2c3d4e5f60001, name: web-1, state: running }
      - { id: i-0a1b2c3d4e5f60002, name: payments-worker, state: stopped }
    sqs: [orders, payment-events]
  sandbox:
    s3: [pay-sandbox]
    sqs: [payment-events-test]
`;

let dir: string;
let inventory: ResourceDiscovery;
let h: WardenHarness | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warden-picker-'));
  await writeFile(join(dir, 'playground-resources.yaml'), INVENTORY);
  const { org } = await loadPolicyConfig('examples');
  inventory = (await FixtureResourceDiscovery.fromConfigDir(dir, org.accounts))!;
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

afterEach(async () => {
  await h?.close();
  h = undefined;
});

type ViewBlock = { type: string; block_id: string; optional?: boolean; element: { type: string; action_id: string; min_query_length?: number } };

async function openForm(harness: WardenHarness, user: string) {
  const since = harness.fake.calls.length;
  await harness.sender.command('/access', 'request', { user });
  const opened = await harness.fake.waitFor((c) => c.seq >= since && c.method === 'views.open');
  return opened.response['view'] as { id: string; blocks: ViewBlock[] };
}

const select = (value: string | null) => ({ value: { type: 'static_select', selected_option: value === null ? null : { value } } });

/** The user has chosen an account (and maybe a service) and types into the picker. */
function suggest(harness: WardenHarness, viewId: string, text: string, form: { account: string | null; service?: string; user?: string }) {
  return harness.sender.blockSuggestion({
    user: form.user ?? SLACK.ana,
    viewId,
    actionId: 'value',
    value: text,
    values: { account: select(form.account), ...(form.service ? { service: select(form.service) } : {}) },
  });
}

function submitForm(harness: WardenHarness, viewId: string, f: { account: string; service: string; level: string; picked: string[]; typed: string; justification?: string }) {
  return harness.sender.viewSubmission({
    user: SLACK.ana,
    viewId,
    values: {
      account: select(f.account),
      service: select(f.service),
      access_level: select(f.level),
      picked_resources: { value: { type: 'multi_external_select', selected_options: f.picked.map((value) => ({ text: { type: 'plain_text', text: value }, value })) } },
      resources: { value: f.typed },
      duration: { value: { type: 'number_input', value: '60' } },
      justification: { value: f.justification ?? 'Inspect stuck messages, INC-42' },
    },
  });
}

/** The draft preview the form produced, in the requester's DM thread. */
async function preview(harness: WardenHarness, since: number) {
  const call = await harness.fake.waitFor((c) => c.seq >= since && c.method === 'chat.postMessage' && /Access request|cannot be submitted|draft\.submit/.test(JSON.stringify(c.args)) && !/from the form/.test(String(c.args['text'])), {
    description: 'the draft preview',
  });
  return harness.fake.message(String(call.response['channel']), String(call.response['ts']));
}

describe('the request form’s resource picker', () => {
  it('is an external select between the account and the names when discovery is on; the names field becomes optional', async () => {
    h = await startWardenHarness({ resourceDiscovery: inventory });
    const view = await openForm(h, SLACK.ana);
    expect(view.blocks.map((b) => b.block_id)).toEqual(['account', 'also_in', 'service', 'access_level', 'picked_resources', 'resources', 'duration', 'justification']);
    const picker = view.blocks.find((b) => b.block_id === 'picked_resources')!;
    expect(picker).toMatchObject({ optional: true, element: { type: 'multi_external_select', action_id: 'value', min_query_length: 1 } });
    expect(view.blocks.find((b) => b.block_id === 'resources')?.optional).toBe(true);
  });

  it('offers only the chosen account’s resources that match the typed text, grouped by type', async () => {
    h = await startWardenHarness({ resourceDiscovery: inventory });
    const view = await openForm(h, SLACK.ana);
    const answer = await suggest(h, view.id, 'pay', { account: '111111111111' });
    expect(answer.status).toBe(200);
    expect(answer.options.groups).toEqual([
      {
        label: 'S3 buckets',
        options: [
          { text: 'payments-audit-logs', value: 'arn:aws:s3:::payments-audit-logs', description: 'arn:aws:s3:::payments-audit-logs' },
          { text: 'payments-exports', value: 'arn:aws:s3:::payments-exports', description: 'arn:aws:s3:::payments-exports' },
        ],
      },
      {
        label: 'DynamoDB tables',
        options: [{ text: 'payments', value: 'arn:aws:dynamodb:eu-west-1:111111111111:table/payments', description: 'arn:aws:dynamodb:eu-west-1:111111111111:table/payments' }],
      },
      {
        label: 'EC2 instances',
        options: [
          {
            text: 'payments-worker (i-0a1b2c3d4e5f60002 · stopped)',
            value: 'arn:aws:ec2:eu-west-1:111111111111:instance/i-0a1b2c3d4e5f60002',
            description: 'arn:aws:ec2:eu-west-1:111111111111:instance/i-0a1b2c3d4e5f60002',
          },
        ],
      },
      {
        label: 'SQS queues',
        options: [{ text: 'payment-events', value: 'arn:aws:sqs:eu-west-1:111111111111:payment-events', description: 'arn:aws:sqs:eu-west-1:111111111111:payment-events' }],
      },
    ]);
    // The payload Bolt got was a block_suggestion from the open modal, with the form's state.
    expect(answer.payload).toMatchObject({ type: 'block_suggestion', block_id: 'picked_resources', action_id: 'value', value: 'pay', container: { type: 'view', view_id: view.id } });

    // The other account has its own resources; an instance is found by its id too.
    const sandbox = await suggest(h, view.id, 'PAY', { account: '222222222222' });
    expect(sandbox.options.groups.flatMap((g) => g.options.map((o) => o.value))).toEqual(['arn:aws:s3:::pay-sandbox', 'arn:aws:sqs:us-east-1:222222222222:payment-events-test']);
    const byId = await suggest(h, view.id, 'i-0a1b2c3d4e5f60001', { account: '111111111111' });
    expect(byId.options.groups).toEqual([{ label: 'EC2 instances', options: [expect.objectContaining({ text: 'web-1 (i-0a1b2c3d4e5f60001 · running)' })] }]);
  });

  it('shows the service chosen in the form first', async () => {
    h = await startWardenHarness({ resourceDiscovery: inventory });
    const view = await openForm(h, SLACK.ana);
    const answer = await suggest(h, view.id, 'pay', { account: '111111111111', service: 'sqs' });
    expect(answer.options.groups.map((g) => g.label)).toEqual(['SQS queues', 'S3 buckets', 'DynamoDB tables', 'EC2 instances']);
  });

  it('offers nothing before an account is chosen, for an account outside the org, or to someone outside it', async () => {
    h = await startWardenHarness({ resourceDiscovery: inventory });
    const view = await openForm(h, SLACK.ana);
    expect((await suggest(h, view.id, 'pay', { account: null })).options.groups).toEqual([]);
    expect((await suggest(h, view.id, 'pay', { account: '999999999999' })).options.groups).toEqual([]);
    expect((await suggest(h, view.id, 'pay', { account: '111111111111', user: 'U0STRANGER' })).options.groups).toEqual([]);
  });

  it('says when a group has more matches than it shows, and stays within Slack’s 100 options', async () => {
    const many: ResourceDiscovery = {
      async list(_account: string, service: DiscoverableService): Promise<ResourceListing> {
        if (service === 'logs') return { resources: Array.from({ length: 250 }, (_, i) => ({ arn: `arn:aws:logs:eu-west-1:111111111111:log-group:/app/pay-${i}`, name: `/app/pay-${i}` })), truncated: true };
        if (service === 'sqs') return { resources: [{ arn: 'arn:aws:sqs:eu-west-1:111111111111:pay-q', name: 'pay-q' }], truncated: false };
        return { resources: [], truncated: false };
      },
    };
    h = await startWardenHarness({ resourceDiscovery: many });
    const view = await openForm(h, SLACK.ana);
    const { options } = await suggest(h, view.id, 'pay', { account: '111111111111' });
    expect(options.groups.map((g) => [g.label, g.options.length])).toEqual([
      ['Log groups (more match: type more; not all listed)', 99],
      ['SQS queues', 1],
    ]);
  });

  it('adds picked resources to the typed names in the draft', async () => {
    h = await startWardenHarness({ resourceDiscovery: inventory });
    const view = await openForm(h, SLACK.ana);
    const since = h.fake.calls.length;
    const result = await submitForm(h, view.id, { account: '111111111111', service: 'sqs', level: 'Read', picked: ['arn:aws:sqs:eu-west-1:111111111111:payment-events'], typed: 'orders' });
    expect(result.status).toBe(200);
    expect(result.body).toBe('');
    const shown = visibleText(await preview(h, since));
    expect(shown).toContain('arn:aws:sqs:eu-west-1:111111111111:payment-events');
    expect(shown).toContain('arn:aws:sqs:eu-west-1:111111111111:orders');
    expect(hasButton(await preview(h, since), 'draft.submit')).toBe(true);
  });

  it('asks for a resource when neither the picker nor the names field has one', async () => {
    h = await startWardenHarness({ resourceDiscovery: inventory });
    const view = await openForm(h, SLACK.ana);
    const result = await submitForm(h, view.id, { account: '111111111111', service: 'sqs', level: 'Read', picked: [], typed: '' });
    expect(result.body).toEqual({ response_action: 'errors', errors: { resources: 'Pick a resource above or type a name or an ARN here.' } });
  });

  it('treats a picked value as untrusted: an ARN of another account is refused in the form', async () => {
    h = await startWardenHarness({ resourceDiscovery: inventory });
    const view = await openForm(h, SLACK.ana);
    // Not an option the picker offered for payments-prod: a forged or stale value.
    const result = await submitForm(h, view.id, { account: '111111111111', service: 'sqs', level: 'Read', picked: ['arn:aws:sqs:us-east-1:222222222222:payment-events-test'], typed: '' });
    expect(result.body).toEqual({
      response_action: 'errors',
      errors: { resources: 'arn:aws:sqs:us-east-1:222222222222:payment-events-test is not in account payments-prod (111111111111).' },
    });
    expect((await h.store.listRequestsByRequester('ana')).items).toEqual([]);
  });

  it('a picked resource meets the same guardrails as the same name typed', async () => {
    h = await startWardenHarness({ resourceDiscovery: inventory });
    const outcome = async (resources: { picked: string[]; typed: string }) => {
      const view = await openForm(h!, SLACK.ana);
      const since = h!.fake.calls.length;
      await submitForm(h!, view.id, { account: '111111111111', service: 's3', level: 'Write', ...resources, justification: 'Rewrite the broken export files' });
      return preview(h!, since);
    };
    const picked = await outcome({ picked: ['arn:aws:s3:::payments-audit-logs'], typed: '' });
    const typed = await outcome({ picked: [], typed: 'payments-audit-logs' });
    for (const message of [picked, typed]) {
      expect(visibleText(message)).toContain('cannot be submitted');
      expect(visibleText(message)).toContain('audit logs are append-only');
      expect(hasButton(message, 'draft.submit')).toBe(false);
    }
  });

  it('is left out when there is no discovery, and the form works as before', async () => {
    h = await startWardenHarness();
    const view = await openForm(h, SLACK.ana);
    expect(view.blocks.map((b) => b.block_id)).not.toContain('picked_resources');
    expect(view.blocks.find((b) => b.block_id === 'resources')?.optional).toBeUndefined();
  });
});
