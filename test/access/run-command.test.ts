import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkDraft } from '../../src/access/checks.js';
import { checkRunDraft, MAX_COMMAND_CHARS, planRunCommand, runDraft } from '../../src/access/workflows/run-command.js';
import { RUN_DOCUMENT } from '../../src/access/types.js';
import { makeAccessDeps, type TestDeps } from '../support/access-deps.js';

const I1 = 'i-0abc123def4567890';
const WHY = 'INC-42 the export worker is stuck on the payments queue';
let deps: TestDeps;

beforeEach(async () => {
  deps = await makeAccessDeps();
});

afterEach(async () => {
  await deps.store.close();
});

const plan = (text: string, requesterId = 'ana') => planRunCommand(deps, { requesterId, text });

describe('planRunCommand', () => {
  it('splits at the first standalone `--`: the instance, account and reason before, the command after, as typed', () => {
    expect(plan(`${I1} payments-prod ${WHY} -- grep -- "a  b" /var/log/app.log | tail -n 5`)).toEqual({
      kind: 'plan',
      account: deps.directory.org.accounts[0],
      instance: I1,
      byName: false,
      justification: WHY,
      command: 'grep -- "a  b" /var/log/app.log | tail -n 5',
      durationMinutes: 15,
    });
    // Some keyboards turn -- into an em dash.
    expect(plan(`web-1 sandbox ${WHY} — uptime`)).toMatchObject({ kind: 'plan', instance: 'web-1', byName: true, command: 'uptime' });
    // A multi-line command keeps its lines.
    expect(plan(`${I1} sandbox ${WHY} -- cd /srv\nls -la`)).toMatchObject({ command: 'cd /srv\nls -la' });
  });

  it('an instance ARN names its account', () => {
    expect(plan(`arn:aws:ec2:us-east-1:222222222222:instance/${I1} ${WHY} -- uptime`)).toMatchObject({ kind: 'plan', instance: I1, account: { id: '222222222222' } });
    expect(plan(`arn:aws:ec2:us-east-1:222222222222:instance/${I1} payments-prod ${WHY} -- uptime`)).toMatchObject({ kind: 'reply', message: expect.stringMatching(/not payments-prod/) });
  });

  it('refuses what cannot be shown to approvers exactly, or is not one run', () => {
    expect(plan(`${I1} sandbox ${WHY} uptime`)).toMatchObject({ kind: 'reply', message: expect.stringMatching(/after `--`/) });
    expect(plan(`${I1} sandbox ${WHY} --`)).toMatchObject({ kind: 'reply', message: expect.stringMatching(/which command/) });
    expect(plan(`${I1} sandbox ${WHY} -- echo \`\`\`x\`\`\``)).toMatchObject({ kind: 'reply', message: expect.stringMatching(/three backticks/) });
    expect(plan(`${I1} sandbox ${WHY} -- echo ${'x'.repeat(MAX_COMMAND_CHARS)}`)).toMatchObject({ kind: 'reply', message: expect.stringMatching(/too long for approvers to read all of it/) });
    // Short enough in characters, but `&` becomes `&amp;` on Slack: the card could not show it whole.
    expect(plan(`${I1} sandbox ${WHY} -- ${'true && '.repeat(240)}true`)).toMatchObject({ kind: 'reply', message: expect.stringMatching(/too long for approvers to read all of it/) });
    expect(plan(`${I1} sandbox ${WHY} -- curl -s [x](https://example.com)`)).toMatchObject({ kind: 'reply', message: expect.stringMatching(/show as a link/) });
    expect(plan(`${I1} sandbox ${WHY} -- [ -f /etc/app.conf ] && (cat /etc/app.conf)`)).toMatchObject({ kind: 'plan', command: '[ -f /etc/app.conf ] && (cat /etc/app.conf)' });
    expect(plan(`-- uptime`)).toMatchObject({ kind: 'reply', message: expect.stringMatching(/Say which instance/) });
    expect(plan(`i-nothex sandbox ${WHY} -- uptime`)).toMatchObject({ kind: 'reply', message: expect.stringMatching(/neither an EC2 instance id/) });
    expect(plan(`${I1},i-0123abcd sandbox ${WHY} -- uptime`)).toMatchObject({ kind: 'reply', message: expect.stringMatching(/one instance/) });
    expect(plan(`${I1} sandbox -- uptime`)).toMatchObject({ kind: 'reply', message: expect.stringMatching(/Say why/) });
    expect(plan(`${I1} ${WHY} -- uptime`)).toMatchObject({ kind: 'reply', message: expect.stringMatching(/Which account/) });
    const nobody = { ...deps, rules: { ...deps.rules, rules: [] } };
    expect(planRunCommand(nobody, { requesterId: 'ana', text: `${I1} ${WHY} -- uptime` })).toMatchObject({ kind: 'reply', message: expect.stringMatching(/No access rule/) });
  });
});

describe('the run draft and its checks', () => {
  const prod = () => deps.directory.org.accounts[0]!;
  const run = { instanceId: I1, command: 'uptime', document: RUN_DOCUMENT } as const;

  it('asks for exactly SendCommand on the instance and the document, and GetCommandInvocation', () => {
    expect(runDraft(prod(), run, WHY, 15).statements).toEqual([
      { actions: ['ssm:SendCommand'], resources: [`arn:aws:ec2:eu-west-1:111111111111:instance/${I1}`, 'arn:aws:ssm:eu-west-1:111111111111:document/AWS-RunShellScript'] },
      { actions: ['ssm:GetCommandInvocation'], resources: ['*'] },
    ]);
  });

  it('passes the same gate as any request, with the SendCommand escalation kept as a finding for the approvers', async () => {
    const checked = await checkRunDraft(deps, 'ana', runDraft(prod(), run, WHY, 15));
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.route.approverIds.sort()).toEqual(['ben', 'carla']);
    // A write in prod: two approvals (examples/guardrails.yaml), and a high risk.
    expect(checked.route.quorum).toBe(2);
    expect(checked.risk.level).toBe('high');
    expect(checked.review?.findings.join('\n')).toMatch(/ssm:SendCommand runs commands on instances.*Approve only a command you have read/);
    // Nothing is attached to anyone, so no grant conditions are listed.
    expect(checked.review?.conditions).toEqual([]);
    // The plain gate, for a person holding SendCommand, still refuses it.
    expect(await checkDraft(deps, 'ana', runDraft(prod(), run, WHY, 15))).toMatchObject({ ok: false, problems: [expect.objectContaining({ code: 'privilege-escalation' })] });
  });

  it('the other checks still refuse: a short reason in prod, an account the requester may not use', async () => {
    expect(await checkRunDraft(deps, 'ana', runDraft(prod(), run, 'debug', 15))).toMatchObject({ ok: false, problems: [expect.objectContaining({ code: 'weak-justification' })] });
    const sandboxOnly = { ...deps, rules: { ...deps.rules, rules: deps.rules.rules.filter((r) => r.name === 'sandbox') } };
    expect(await checkRunDraft(sandboxOnly, 'ana', runDraft(prod(), run, WHY, 15))).toMatchObject({ ok: false, problems: [expect.objectContaining({ code: 'no-rule' })] });
  });
});
