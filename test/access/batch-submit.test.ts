import { afterEach, describe, expect, it } from 'vitest';
import { draftsPerAccount } from '../../src/access/batch.js';
import { handleRequesterMessage } from '../../src/access/workflows/converse.js';
import { submitDraft } from '../../src/access/workflows/submit.js';
import { makeAccessDeps, type TestDeps } from '../support/access-deps.js';
import { makeDraft } from '../support/builders.js';

const origin = { platform: 'slack', channel: 'D0ANA', threadTs: '1700000000.000001' } as const;
const ASK = 'I need read access to the billing-reports S3 bucket in payments-prod and sandbox for 2 hours to debug the export';

let deps: TestDeps | undefined;
afterEach(async () => {
  await deps?.store.close();
  deps = undefined;
});

async function drafted(d: TestDeps): Promise<string> {
  await handleRequesterMessage(d, { userId: 'ana', origin, text: ASK });
  const requestId = (await d.store.getConversation(`slack:D0ANA:${origin.threadTs}`))?.requestId;
  if (!requestId) throw new Error(`no draft: ${d.notifier.threadTexts().join('\n')}`);
  return requestId;
}

describe('draftsPerAccount', () => {
  it('splits a multi-account draft into whole single-account drafts, the first account first', () => {
    const draft = makeDraft({ alsoIn: [{ accountId: '222222222222', accountName: 'sandbox', statements: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }] }] });
    const [first, second, ...rest] = draftsPerAccount(draft);
    expect(rest).toEqual([]);
    const { alsoIn: _others, ...single } = draft;
    expect(first).toEqual(single);
    expect(second).toMatchObject({ accountId: '222222222222', accountName: 'sandbox', statements: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }], durationMinutes: 120, justification: draft.justification });
    expect(draftsPerAccount(makeDraft())).toHaveLength(1);
  });
});

describe('submitting a multi-account draft', () => {
  it('submits nothing when one account no longer passes its checks, and says which', async () => {
    deps = await makeAccessDeps();
    const requestId = await drafted(deps);
    // The rules change between the preview and the click: sandbox now only for dave.
    deps.rules = { ...deps.rules, rules: deps.rules.rules.map((r) => (r.name === 'sandbox' ? { ...r, requesters: { users: ['dave'], groups: [] } } : r)) };
    await expect(submitDraft(deps, requestId, 'ana')).rejects.toThrow(/no longer passes the policy checks/);
    expect(deps.notifier.threadTexts().at(-1)).toMatch(/These requests cannot be submitted:.*sandbox: No access rule lets you request Read on sandbox/);
    expect((await deps.store.getRequest(requestId))?.state).toBe('drafting');
    expect((await deps.store.listRequestsByRequester('ana')).items).toHaveLength(1);
  });

  it('keeps each request of the batch readable from the store with its batch id and its own draft', async () => {
    deps = await makeAccessDeps();
    const requestId = await drafted(deps);
    await submitDraft(deps, requestId, 'ana');
    const all = (await deps.store.listRequestsByRequester('ana')).items;
    expect(all.map((r) => [r.draft.accountName, r.batchId, r.state]).sort()).toEqual([
      ['payments-prod', requestId, 'pending_approval'],
      ['sandbox', requestId, 'pending_approval'],
    ]);
    for (const r of all) expect(r.draft.alsoIn).toBeUndefined();
    const events = await deps.store.listAudit({ requestId: all.find((r) => r.id !== requestId)!.id });
    expect(events.map((e) => e.type)).toEqual(['request.drafted', 'request.submitted']);
  });
});
