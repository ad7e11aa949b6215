import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buttonValue, SLACK, startWardenHarness, type WardenHarness } from '../../support/warden-harness.js';

let h: WardenHarness;

beforeEach(async () => {
  h = await startWardenHarness();
});

afterEach(async () => {
  await h.close();
});

async function lastResponse(pattern: RegExp, since: number): Promise<string> {
  const call = await h.fake.waitFor((c) => c.seq >= since && c.method === 'response_url' && pattern.test(JSON.stringify(c.args)), {
    description: `a command response matching ${pattern}`,
  });
  return JSON.stringify(call.args);
}

const INSTANCE = 'i-0abc123def4567890';

describe('/access ssh', () => {
  it('asks which account when the requester may use several, and drafts nothing', async () => {
    const since = h.fake.calls.length;
    await h.sender.command('/access', `ssh ${INSTANCE}`, { user: SLACK.ana });
    const answer = await lastResponse(/Which account/, since);
    expect(answer).toContain('payments-prod');
    expect(answer).toContain('sandbox');
    expect((await h.store.listRequestsByRequester('ana', { limit: 5 })).items).toEqual([]);
  });

  it('without an instance, or with a malformed one, says how to use it', async () => {
    let since = h.fake.calls.length;
    await h.sender.command('/access', 'ssh', { user: SLACK.ana });
    expect(await lastResponse(/Say which instance/, since)).toContain('/access ssh');
    since = h.fake.calls.length;
    await h.sender.command('/access', 'ssh i-nothex payments-prod', { user: SLACK.ana });
    expect(await lastResponse(/not an EC2 instance id/, since)).toContain('i-nothex');
  });

  it('drafts session access in a DM thread, and Submit sends it to the approvers', async () => {
    const since = h.fake.calls.length;
    await h.sender.command('/access', `ssh ${INSTANCE} payments-prod debug the stuck payment export worker, INC-42`, { user: SLACK.ana });
    await lastResponse(/Drafted `r-/, since);
    const previewCall = await h.fake.waitFor((c) => c.seq >= since && c.method === 'chat.postMessage' && JSON.stringify(c.args).includes('draft.submit'));
    const preview = h.fake.message(String(previewCall.response['channel']), String(previewCall.response['ts']))!;
    const requestId = buttonValue(preview, 'draft.submit');

    const stored = await h.store.getRequest(requestId);
    expect(stored?.state).toBe('drafting');
    expect(stored?.draft.accountId).toBe('111111111111');
    expect(stored?.draft.justification).toBe('debug the stuck payment export worker, INC-42');
    const statements = stored!.draft.statements.map((s) => ({ actions: [...s.actions].sort(), resources: [...s.resources].sort() }));
    expect(statements).toEqual(
      expect.arrayContaining([
        {
          actions: ['ssm:StartSession'],
          resources: ['arn:aws:ec2:eu-west-1:111111111111:instance/i-0abc123def4567890', 'arn:aws:ssm:eu-west-1:111111111111:document/SSM-SessionManagerRunShell'].sort(),
        },
      ]),
    );
    const own = stored!.draft.statements.filter((s) => s.actions.some((a) => a === 'ssm:TerminateSession' || a === 'ssm:ResumeSession'));
    expect(own.flatMap((s) => s.resources)).toEqual(own.flatMap(() => ['arn:aws:ssm:eu-west-1:111111111111:session/${aws:userid}-*']));
    expect(own.flatMap((s) => s.actions).sort()).toEqual(['ssm:ResumeSession', 'ssm:TerminateSession']);
    // Nothing beyond the documented least-privilege session policy.
    expect(stored!.draft.statements.flatMap((s) => s.actions).sort()).toEqual(['ssm:ResumeSession', 'ssm:StartSession', 'ssm:TerminateSession']);

    const s2 = h.fake.calls.length;
    await h.sender.blockAction({ user: SLACK.ana, actionId: 'draft.submit', value: requestId, message: { channel: preview.channel, ts: preview.ts } });
    await h.fake.waitFor((c) => c.seq >= s2 && c.method === 'chat.postMessage' && JSON.stringify(c.args).includes('request.approve'));
    expect((await h.store.getRequest(requestId))?.state).toBe('pending_approval');
  });

  it('a draft the checks refuse says so and how to retry', async () => {
    const since = h.fake.calls.length;
    await h.sender.command('/access', `ssh ${INSTANCE} payments-prod debug`, { user: SLACK.ana });
    expect(await lastResponse(/cannot be submitted/, since)).toContain('/access ssh');
    await h.fake.waitFor((c) => c.seq >= since && c.method === 'chat.postMessage' && JSON.stringify(c.args).includes('fuller justification'));
  });

  it('an instance ARN names its account; another account than the one named is refused', async () => {
    let since = h.fake.calls.length;
    await h.sender.command('/access', `ssh arn:aws:ec2:us-east-1:222222222222:instance/${INSTANCE}`, { user: SLACK.ana });
    expect(await lastResponse(/Say why/, since)).toContain('/access ssh');
    since = h.fake.calls.length;
    await h.sender.command('/access', `ssh arn:aws:ec2:us-east-1:222222222222:instance/${INSTANCE} look at the agent logs`, { user: SLACK.ana });
    await lastResponse(/Drafted `r-/, since);
    const [request] = (await h.store.listRequestsByRequester('ana', { limit: 5 })).items;
    expect(request?.draft.accountId).toBe('222222222222');
    expect(request?.draft.justification).toBe('look at the agent logs');

    since = h.fake.calls.length;
    await h.sender.command('/access', `ssh arn:aws:ec2:us-east-1:222222222222:instance/${INSTANCE} payments-prod`, { user: SLACK.ana });
    expect(await lastResponse(/not payments-prod/, since)).toContain('222222222222');
  });
});
