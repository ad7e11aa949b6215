import { describe, expect, it } from 'vitest';
import type { SuggestResult } from '../../../src/playground/api-types.js';
import { usePlaygroundServer } from './support/playground-server.js';

const server = usePlaygroundServer();
const { post } = server;

async function openForm(as: string): Promise<string> {
  const since = server.playground.slack.fake.calls.length;
  await post('/playground/slack/messages', { as, channel: `D${as}`, text: '/access request' });
  const opened = await server.playground.slack.fake.waitFor((c) => c.seq >= since && c.method === 'views.open');
  return String((opened.response['view'] as { id: string }).id);
}

describe('the request form’s resource picker in the playground', () => {
  it('offers the sample inventory (examples/playground-resources.yaml) of the account chosen in the form', async () => {
    const viewId = await openForm('U0ANA');
    const suggest = (account: string, value: string) =>
      post('/playground/slack/views/suggest', { as: 'U0ANA', viewId, blockId: 'picked_resources', actionId: 'value', value, values: { account: { value: account } } });

    const prod = await suggest('111111111111', 'orders');
    expect(prod.status).toBe(200);
    expect(prod.body).toEqual({
      ok: true,
      groups: [
        { label: 'DynamoDB tables', options: [{ text: 'orders', value: 'arn:aws:dynamodb:eu-west-1:111111111111:table/orders', description: 'arn:aws:dynamodb:eu-west-1:111111111111:table/orders' }] },
        { label: 'SQS queues', options: [{ text: 'orders', value: 'arn:aws:sqs:eu-west-1:111111111111:orders', description: 'arn:aws:sqs:eu-west-1:111111111111:orders' }] },
      ],
    } satisfies SuggestResult);
    const sandbox = (await suggest('222222222222', 'orders')).body as SuggestResult;
    expect(sandbox.groups.flatMap((g) => g.options.map((o) => o.value))).toEqual(['arn:aws:dynamodb:us-east-1:222222222222:table/orders', 'arn:aws:sqs:us-east-1:222222222222:orders-test']);
  });

  it('answers only for the person whose form it is, and parses what the page sends', async () => {
    const viewId = await openForm('U0CARLA');
    const body = { viewId, blockId: 'picked_resources', actionId: 'value', value: 'pay', values: {} };
    expect((await post('/playground/slack/views/suggest', { ...body, as: 'U0BEN' })).status).toBe(404);
    expect((await post('/playground/slack/views/suggest', { ...body, as: 'U0CARLA', extra: 1 })).status).toBe(400);
    // No account chosen yet: nothing to offer, and no error.
    expect(await post('/playground/slack/views/suggest', { ...body, as: 'U0CARLA' })).toEqual({ status: 200, body: { ok: true, groups: [] } });
  });
});
