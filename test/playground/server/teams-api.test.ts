import { describe, expect, it } from 'vitest';
import type { OrgInfo, TeamsSnapshot } from '../../../src/playground/api-types.js';
import { usePlaygroundServer } from './support/playground-server.js';

const ANA = 'a0000000-0000-4000-8000-00000000a0a0';
const BEN = 'b0000000-0000-4000-8000-00000000b0b0';

const server = usePlaygroundServer({ scheduler: { intervalMs: 60 * 60_000, owner: 'teams-api-test' } });
const { post } = server;

async function state(as: string): Promise<TeamsSnapshot> {
  return server.getJson<TeamsSnapshot>(`/playground/teams/state?as=${as}`);
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
    const auth = server.playground.teams.fake.teamsAuth();
    expect(auth.mode).toBe('local');
    expect(server.playground.warden.teamsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/messages$/);
  });

  it('lists Teams as a platform and everyone’s Entra ID object id', async () => {
    const org = await server.getJson<OrgInfo>('/playground/org');
    expect(org.platforms.map((p) => p.id)).toEqual(['slack', 'teams']);
    expect(org.people.find((p) => p.id === 'ana')?.aadObjectId).toBe(ANA);
  });

  it('shows the acting person’s chat with Warden and the channels', async () => {
    const snapshot = await state(ANA);
    expect(snapshot.conversations.map((c) => `${c.kind}:${c.name}`)).toEqual(['personal:Warden', 'channel:access-requests', 'channel:security']);
  });

  it('refuses malformed requests at the boundary', async () => {
    expect((await fetch(`${server.base}/playground/teams/state?as=ana`)).status).toBe(400);
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
