import { afterEach, describe, expect, it } from 'vitest';
import { CachedResourceDiscovery, type ResourceDiscovery } from '../../../src/access/resource-discovery.js';
import { ManualClock } from '../../support/manual-clock.js';
import { FixtureResourceDiscovery } from '../../../src/aws/discovery/fixture-inventory.js';
import { requestFormCard } from '../../../src/chat/teams/forms.js';
import type { JsonObject } from '../../../src/playground/fake-slack/index.js';
import { cardText } from '../../../src/playground/fake-teams/index.js';
import { adaptiveCardProblems } from '../../support/adaptive-validity.js';
import { sampleOrg } from '../../support/org.js';
import { AAD, shown, startTeamsHarness, type TeamsHarness } from '../../support/teams-harness.js';

let h: TeamsHarness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The sample inventory, as the playground serves it. */
const inventory = async (): Promise<ResourceDiscovery> => (await FixtureResourceDiscovery.fromConfigDir('examples', sampleOrg.accounts))!;

type Results = { statusCode: number; type: string; value: { results: Array<{ title: string; value: string }> } };

let searches = 0;
/** What Teams sends as a person types into the picker: an `application/search` invoke in the form's conversation. */
async function search(t: TeamsHarness, base: JsonObject, value: JsonObject, from?: JsonObject): Promise<{ status: number; body: Results }> {
  const { text: _text, entities: _entities, ...activity } = base;
  const sent = await t.sender.post({ ...activity, ...(from ? { from } : {}), id: `f:search-${++searches}`, type: 'invoke', name: 'application/search', value });
  return { status: sent.status, body: sent.body as unknown as Results };
}

async function openForm(t: TeamsHarness) {
  const sent = await t.sender.message({ from: AAD.ana, text: 'access request' });
  const form = await t.teams.waitForMessage(sent.conversationId, /Request AWS access/);
  return { base: sent.activity, form, chat: sent.conversationId };
}

const query = (queryText: string, data: Record<string, string>, options = { skip: 0, top: 15 }) => ({ kind: 'search', queryText, dataset: 'resources', queryOptions: options, data });

describe('the Teams request form’s resource picker', () => {
  it('is a typeahead ChoiceSet over the "resources" dataset that sends the form’s inputs', () => {
    const card = requestFormCard(sampleOrg.accounts, { resourcePicker: true });
    const inputs = card.body.filter((e): e is Extract<typeof e, { id: string }> => 'id' in e);
    expect(inputs.find((i) => i.id === 'pickedResources')).toMatchObject({
      type: 'Input.ChoiceSet',
      style: 'filtered',
      isMultiSelect: true,
      'choices.data': { type: 'Data.Query', dataset: 'resources', associatedInputs: 'auto' },
    });
    expect(inputs.find((i) => i.id === 'resources')).toMatchObject({ isRequired: false });
    // The SDK's validator wants static choices; Teams fills a Data.Query ChoiceSet from the bot's answers.
    expect(adaptiveCardProblems(card)).toEqual(['An Input.ChoiceSet must have at least one choice defined.']);
    expect(adaptiveCardProblems(requestFormCard(sampleOrg.accounts))).toEqual([]);
    // Without discovery the form is as before.
    expect(JSON.stringify(requestFormCard(sampleOrg.accounts))).not.toContain('pickedResources');
  });

  it('answers a search with the chosen account’s matching resources, the form’s service first, paged', async () => {
    const t = (h = await startTeamsHarness({ resourceDiscovery: await inventory() }));
    const { base, form } = await openForm(t);
    expect(JSON.stringify(form.attachments)).toContain('"dataset":"resources"');

    const answer = await search(t, base, query('pay', { account: '111111111111', service: 'sqs' }));
    expect(answer.status).toBe(200);
    expect(answer.body.type).toBe('application/vnd.microsoft.search.searchResponse');
    const results = answer.body.value.results;
    expect(results.slice(0, 2)).toEqual([
      { title: 'payment-events · SQS queues', value: 'arn:aws:sqs:eu-west-1:111111111111:payment-events' },
      { title: 'payment-events-dlq · SQS queues', value: 'arn:aws:sqs:eu-west-1:111111111111:payment-events-dlq' },
    ]);
    expect(results.length).toBeGreaterThan(5);
    expect(results.every((r) => r.value.includes(':111111111111:') || r.value.startsWith('arn:aws:s3:::'))).toBe(true);
    expect(results.map((r) => r.value)).not.toContain('arn:aws:lambda:us-east-1:222222222222:function:pay-export-test');

    const firstTwo = (await search(t, base, query('pay', { account: '111111111111' }, { skip: 0, top: 2 }))).body.value.results;
    const nextTwo = (await search(t, base, query('pay', { account: '111111111111' }, { skip: 2, top: 2 }))).body.value.results;
    expect(firstTwo).toHaveLength(2);
    expect(nextTwo).toHaveLength(2);
    expect(nextTwo.map((r) => r.value)).not.toContain(firstTwo[0]!.value);
  });

  it('answers nothing without an account, for another dataset, or to someone outside the org', async () => {
    const t = (h = await startTeamsHarness({ resourceDiscovery: await inventory() }));
    const { base } = await openForm(t);
    expect((await search(t, base, query('pay', {}))).body.value.results).toEqual([]);
    expect((await search(t, base, { ...query('pay', { account: '111111111111' }), dataset: 'people' })).body.value.results).toEqual([]);
    const stranger = { id: '29:stranger', name: 'Stranger', aadObjectId: 'ffffffff-0000-4000-8000-000000000000' };
    expect((await search(t, base, query('pay', { account: '111111111111' }), stranger)).body.value.results).toEqual([]);
  });

  it('drafts from picked resources and typed names together; a picked ARN of another account is refused on the form', async () => {
    const t = (h = await startTeamsHarness({ resourceDiscovery: await inventory() }));
    const { form, chat } = await openForm(t);
    const fields = { account: '111111111111', service: 'sqs', accessLevel: 'Read', duration: '60', justification: 'stuck payment events' };

    const refused = await t.sender.click({
      from: AAD.ana,
      message: form,
      verb: 'request.form',
      inputs: { ...fields, pickedResources: 'arn:aws:sqs:us-east-1:222222222222:orders-test', resources: '' },
    });
    expect(cardText(refused.card)).toContain('arn:aws:sqs:us-east-1:222222222222:orders-test is not in account payments-prod (111111111111).');

    const since = t.teams.requests.length;
    await t.sender.click({
      from: AAD.ana,
      message: form,
      verb: 'request.form',
      inputs: { ...fields, pickedResources: 'arn:aws:sqs:eu-west-1:111111111111:payment-events,arn:aws:sqs:eu-west-1:111111111111:payment-events-dlq', resources: 'orders' },
    });
    const preview = await t.teams.waitForMessage(chat, /"view":"draft"/, { since });
    for (const queue of ['payment-events', 'payment-events-dlq', 'orders']) expect(shown(preview)).toContain(`arn:aws:sqs:eu-west-1:111111111111:${queue}`);
  });

  it('answers empty while a slow first listing runs, and from the cache it fills afterwards', async () => {
    const sample = await inventory();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const slow: ResourceDiscovery = {
      async list(accountId, service) {
        await released;
        return sample.list(accountId, service);
      },
    };
    const t = (h = await startTeamsHarness({ resourceDiscovery: new CachedResourceDiscovery(slow, { clock: new ManualClock(), ttlSeconds: 600 }), invokeBudgetMs: 50 }));
    const { base } = await openForm(t);
    expect((await search(t, base, query('orders', { account: '111111111111' }))).body.value.results).toEqual([]);
    release();
    const later = await search(t, base, query('orders', { account: '111111111111' }));
    expect(later.body.value.results.map((r) => r.value)).toEqual(['arn:aws:dynamodb:eu-west-1:111111111111:table/orders', 'arn:aws:sqs:eu-west-1:111111111111:orders']);
  });
});
