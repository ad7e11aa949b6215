import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SlackSnapshot } from '../../../src/playground/api-types.js';
import { usePlaygroundServer } from './support/playground-server.js';

const server = usePlaygroundServer();
const { post } = server;

const fake = () => server.playground.slack.fake;
const GUARDRAILS = readFileSync('examples/guardrails.yaml', 'utf8').replace('deniedActions:\n', '# frozen for the migration\ndeniedActions:\n  - actions: ["sqs:*"]\n    reason: "frozen"\n    wayOut: "ask #platform"\n');

describe('the Slack tab’s attach-file control (server side)', () => {
  it('shares the attached file with the message as a file_share event the bot answers, and shows it on the page', async () => {
    const since = fake().calls.length;
    const result = await post('/playground/slack/messages', { as: 'U0DAVE', channel: 'DU0DAVE', text: 'have a look', file: { name: 'guardrails.yaml', text: GUARDRAILS } });
    expect(result.status).toBe(200);
    const mine = fake().messages('DU0DAVE').find((m) => m.user === 'U0DAVE' && m.files);
    expect(mine?.files?.[0]).toMatchObject({ name: 'guardrails.yaml', size: Buffer.byteLength(GUARDRAILS) });
    // The real Bolt app got the upload: in a DM, words it does not know get the list of file commands.
    const hint = await fake().waitFor((c) => c.seq >= since && c.method === 'chat.postMessage' && c.args['thread_ts'] === mine?.ts, { description: 'the bot’s answer to the upload' });
    expect(String(hint.args['text'])).toMatch(/can't tell what to do with that file.*guardrails set/);

    const snapshot = await server.getJson<SlackSnapshot>('/playground/slack/state?as=U0DAVE');
    expect(snapshot.messages['DU0DAVE']?.find((m) => m.ts === mine?.ts)?.files).toEqual(['guardrails.yaml']);
  });

  it('refuses a file with a slash command, and a file name with folders', async () => {
    const command = await post('/playground/slack/messages', { as: 'U0DAVE', channel: 'DU0DAVE', text: '/warden guardrails set', file: { name: 'guardrails.yaml', text: 'x' } });
    expect(command.status).toBe(400);
    expect(JSON.stringify(command.body)).toMatch(/cannot attach a file to \/warden/);
    const path = await post('/playground/slack/messages', { as: 'U0DAVE', channel: 'DU0DAVE', text: 'guardrails set', file: { name: '../guardrails.yaml', text: 'x' } });
    expect(path.status).toBe(400);
  });
});
