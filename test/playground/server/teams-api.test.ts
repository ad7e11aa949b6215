import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrgInfo, TeamsSnapshot } from '../../../src/playground/api-types.js';
import { loadPolicyConfig } from '../../../src/config/load-policy-files.js';
import { memoryLogger } from '../../../src/logger.js';
import { startPlayground, type RunningPlayground } from '../../../src/playground/start-playground.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../../src/store/store.js';

const ANA = 'a0000000-0000-4000-8000-00000000a0a0';
const BEN = 'b0000000-0000-4000-8000-00000000b0b0';

let playground: RunningPlayground;
let store: Store;
let base: string;

beforeAll(async () => {
  const { org, rules } = await loadPolicyConfig('examples');
  store = SqliteStore.open(':memory:');
  playground = await startPlayground({ org, rules, store, logger: memoryLogger(), port: 0, scheduler: { intervalMs: 60 * 60_000, owner: 'teams-api-test' } });
  base = `http://127.0.0.1:${playground.server.port}`;
});

afterAll(async () => {
  await playground.close();
  await store.close();
});

async function post(path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

async function state(as: string): Promise<TeamsSnapshot> {
  return (await (await fetch(`${base}/playground/teams/state?as=${as}`)).json()) as TeamsSnapshot;
}

async function until(as: string, pattern: RegExp): Promise<TeamsSnapshot> {
  for (let i = 0; i < 100; i++) {
    const snapshot = await state(as);
    const chat = snapshot.conversations.find((c) => c.kind === 'personal');
    if (chat && pattern.test(JSON.stringify(snapshot.messages[chat.id] ?? []))) return snapshot;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no Teams message matching ${pattern}`);
}

describe('the playground server: the Teams tab', () => {
  it('runs Warden on botbuilder with token checks on, against the fake Bot Connector', () => {
    const auth = playground.teams.fake.teamsAuth();
    expect(auth.mode).toBe('local');
    expect(playground.warden.teamsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/messages$/);
  });

  it('lists Teams as a platform and everyone’s Entra ID object id', async () => {
    const org = (await (await fetch(`${base}/playground/org`)).json()) as OrgInfo;
    expect(org.platforms.map((p) => p.id)).toEqual(['slack', 'teams']);
    expect(org.people.find((p) => p.id === 'ana')?.aadObjectId).toBe(ANA);
  });

  it('shows the acting person’s chat with Warden and the channels', async () => {
    const snapshot = await state(ANA);
    expect(snapshot.conversations.map((c) => `${c.kind}:${c.name}`)).toEqual(['personal:Warden', 'channel:access-requests', 'channel:security']);
  });

  it('refuses malformed requests at the boundary', async () => {
    expect((await fetch(`${base}/playground/teams/state?as=ana`)).status).toBe(400);
    expect((await post('/playground/teams/messages', { as: ANA, text: '   ' })).status).toBe(400);
    expect((await post('/playground/teams/messages', { as: 'e0000000-0000-4000-8000-00000000e0e0', text: 'hi' })).status).toBe(404);
    expect((await post('/playground/teams/actions', { as: ANA, conversationId: 'x', messageId: 'nope', verb: 'a', inputs: {} })).status).toBe(400);
  });

  it('delivers messages as signed activities and shows each person the buttons only they may use', async () => {
    expect((await post('/playground/teams/messages', { as: ANA, text: 'I need read access to the billing-reports S3 bucket in payments-prod for 1 hour to check the export' })).status).toBe(200);
    const snapshot = await until(ANA, /draft\.submit/);
    const chat = snapshot.conversations.find((c) => c.kind === 'personal')!;
    const draft = snapshot.messages[chat.id]!.find((m) => JSON.stringify(m.card).includes('draft.submit'))!;
    // Ben may not submit Ana's draft: the server refuses a button he does not see.
    const refused = await post('/playground/teams/actions', { as: BEN, conversationId: draft.conversationId, messageId: draft.id, verb: 'draft.submit', inputs: {} });
    expect(refused.status).toBe(409);
    const submitted = await post('/playground/teams/actions', { as: ANA, conversationId: draft.conversationId, messageId: draft.id, verb: 'draft.submit', inputs: {} });
    expect(submitted.status).toBe(200);
    const bens = await until(BEN, /request\.approve/);
    expect(JSON.stringify(bens.messages)).toContain('Ana Lima requests access to payments-prod');
  });
});
