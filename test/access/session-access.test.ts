import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planSessionAccess, requestSessionAccess } from '../../src/access/workflows/session-access.js';
import type { Origin } from '../../src/access/types.js';
import { makeAccessDeps, type TestDeps } from '../support/access-deps.js';

const I1 = 'i-0abc123def4567890';
const I2 = 'i-0123abcd';
let deps: TestDeps;

beforeEach(async () => {
  deps = await makeAccessDeps();
});

afterEach(async () => {
  await deps.store.close();
});

const plan = (words: string, requesterId = 'ana') => planSessionAccess(deps, { requesterId, words: words.split(' ').filter(Boolean) });

describe('planSessionAccess', () => {
  it('turns instances, account and reason into the SSM session fields', () => {
    expect(plan(`${I1},${I2} sandbox restart the agent, INC-9`)).toEqual({
      kind: 'fields',
      account: deps.directory.org.accounts[1],
      fields: {
        requesterId: 'ana',
        account: '222222222222',
        service: 'ssm',
        accessLevel: 'Write',
        resources: [I1, I2],
        durationMinutes: 60,
        justification: 'restart the agent, INC-9',
      },
    });
  });

  it('asks for the account when several are allowed, and uses the only one otherwise', () => {
    expect(plan(`${I1} fix it`)).toMatchObject({ kind: 'reply', message: expect.stringMatching(/Which account.*payments-prod.*sandbox/) });
    const sandboxOnly = { ...deps, rules: { ...deps.rules, rules: deps.rules.rules.filter((r) => r.name === 'sandbox') } };
    expect(planSessionAccess(sandboxOnly, { requesterId: 'ana', words: [I1, 'fix', 'it'] })).toMatchObject({ kind: 'fields', fields: { account: '222222222222' } });
  });

  it('never asks for longer than the requester’s rule allows', () => {
    const short = {
      ...deps,
      rules: { ...deps.rules, rules: deps.rules.rules.map((r) => ({ ...r, maxDurationMinutes: 30 })) },
    };
    expect(planSessionAccess(short, { requesterId: 'ana', words: [I1, 'sandbox', 'why'] })).toMatchObject({ kind: 'fields', fields: { durationMinutes: 30 } });
  });

  it('only the word right after the instances can be the account; later ones are the reason', () => {
    expect(plan(`${I1} payments-prod moved from sandbox`)).toMatchObject({ kind: 'fields', fields: { account: '111111111111', justification: 'moved from sandbox' } });
  });

  it('refuses what cannot be one request', () => {
    expect(plan('')).toMatchObject({ kind: 'reply', message: expect.stringMatching(/Say which instance/) });
    expect(plan(`${I1} nowhere-account`)).toMatchObject({ kind: 'reply', message: expect.stringMatching(/Which account/) });
    expect(plan(`arn:aws:ec2:eu-west-1:111111111111:instance/${I1} arn:aws:ec2:us-east-1:222222222222:instance/${I2} why`)).toMatchObject({
      kind: 'reply',
      message: expect.stringMatching(/different accounts/),
    });
    expect(plan(`${I1} 999999999999 why`)).toMatchObject({ kind: 'reply', message: expect.stringMatching(/Which account/) });
    expect(plan(`arn:aws:ec2:eu-west-1:999999999999:instance/${I1} why`)).toMatchObject({ kind: 'reply', message: expect.stringMatching(/not an account Warden manages/) });
    const many = Array.from({ length: 11 }, (_, i) => `i-0000000${i.toString(16)}`).join(' ');
    expect(plan(`${many} sandbox why`)).toMatchObject({ kind: 'reply', message: expect.stringMatching(/at most 10/) });
  });

  it('a first word that is neither an instance id nor an account is the instance Name, resolved later', () => {
    expect(plan('web-1 payments-prod restart the agent')).toMatchObject({
      kind: 'name',
      name: 'web-1',
      account: { id: '111111111111' },
      fields: { resources: [], justification: 'restart the agent' },
    });
    expect(plan('web-1 restart the agent')).toMatchObject({ kind: 'reply', message: expect.stringMatching(/instance named `web-1`.*\/access ssh web-1 <account>/) });
  });

  it('a requester no rule covers is told so', () => {
    const nobody = { ...deps, rules: { ...deps.rules, rules: [] } };
    expect(planSessionAccess(nobody, { requesterId: 'ana', words: [I1, 'why'] })).toMatchObject({ kind: 'reply', message: expect.stringMatching(/No access rule/) });
  });
});

describe('requestSessionAccess', () => {
  const origin: Origin = { platform: 'slack', channel: 'DANA', threadTs: '1.0' };

  it('a Name is resolved in the named account; without a resolver (dry run) it says to use the id', async () => {
    let opened = 0;
    const open = async () => (opened++, origin);
    const words = ['web-1', 'sandbox', 'check', 'the', 'agent', 'logs'];
    expect(await requestSessionAccess(deps, { requesterId: 'ana', words }, open)).toMatchObject({ kind: 'reply', message: expect.stringMatching(/dry-run mode/) });
    const asked: string[] = [];
    const withNames = { ...deps, instanceNames: { running: async (account: { name: string }, name: string) => (asked.push(`${account.name}/${name}`), [{ instanceId: I1, name }]) } };
    const outcome = await requestSessionAccess(withNames, { requesterId: 'ana', words }, open);
    expect(asked).toEqual(['sandbox/web-1']);
    expect(opened).toBe(1);
    const stored = await deps.store.getRequest(outcome.kind === 'presented' ? (outcome.requestId ?? '') : '');
    expect(stored!.draft.statements.flatMap((s) => s.resources)).toContain(`arn:aws:ec2:us-east-1:222222222222:instance/${I1}`);
  });

  it('opens a thread only once there is a draft to show, and stores the session policy', async () => {
    let opened = 0;
    const open = async () => (opened++, origin);
    expect(await requestSessionAccess(deps, { requesterId: 'ana', words: [I1] }, open)).toMatchObject({ kind: 'reply' });
    expect(opened).toBe(0);

    const outcome = await requestSessionAccess(deps, { requesterId: 'ana', words: [I1, 'sandbox', 'check', 'the', 'agent', 'logs'] }, open);
    expect(opened).toBe(1);
    expect(outcome.kind).toBe('presented');
    const requestId = outcome.kind === 'presented' ? outcome.requestId : undefined;
    const stored = await deps.store.getRequest(requestId ?? '');
    expect(stored?.origin).toEqual(origin);
    const resources = stored!.draft.statements.flatMap((s) => s.resources).sort();
    expect(resources).toEqual(
      [
        `arn:aws:ec2:us-east-1:222222222222:instance/${I1}`,
        'arn:aws:ssm:us-east-1:222222222222:document/SSM-SessionManagerRunShell',
        'arn:aws:ssm:us-east-1:222222222222:session/${aws:userid}-*',
      ].sort(),
    );
  });
});
